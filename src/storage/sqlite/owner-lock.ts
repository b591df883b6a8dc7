/**
 * Who has a store open for writing. SQLite itself allows many connections, but berth's watches are
 * fed in-process, so exactly one process may write a store; and restore must not replace a file
 * under a running server. The owner writes its pid to `<db>.owner`; a file whose pid is dead
 * (kill -9) is stale and taken over.
 */
import fs from 'node:fs';
import { BerthError } from '../../base/errors.js';

const openInThisProcess = new Set<string>();

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The pid of a live process that owns dbPath, or null. */
export function liveOwner(dbPath: string): number | null {
  if (openInThisProcess.has(dbPath)) return process.pid;
  let text: string;
  try {
    text = fs.readFileSync(`${dbPath}.owner`, 'utf8');
  } catch {
    return null;
  }
  const pid = Number.parseInt(text.trim(), 10);
  if (!Number.isSafeInteger(pid) || pid <= 0 || pid === process.pid) return null;
  return pidAlive(pid) ? pid : null;
}

export function acquireOwner(dbPath: string): void {
  const owner = liveOwner(dbPath);
  if (owner !== null) {
    const hint = owner === process.pid ? ' (this process)' : `; if that is not a berth process, remove ${dbPath}.owner`;
    throw new BerthError('FailedPrecondition', `datastore ${dbPath} is already open in process ${owner}${hint}`);
  }
  fs.writeFileSync(`${dbPath}.owner`, `${process.pid}\n`);
  openInThisProcess.add(dbPath);
}

export function releaseOwner(dbPath: string): void {
  openInThisProcess.delete(dbPath);
  try {
    if (fs.readFileSync(`${dbPath}.owner`, 'utf8').trim() === String(process.pid)) fs.rmSync(`${dbPath}.owner`, { force: true });
  } catch {
    // already gone
  }
}
