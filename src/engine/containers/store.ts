/**
 * Container records on disk: `<root>/<id>/config.v1.json`, one JSON file per container written
 * atomically (tmp + fsync + rename + fsync of the dir). Plain files rather than SQLite because
 * each record lives exactly as long as the container's directory (bundle, etc files, logs) and is
 * removed with it; a crash can never leave a record without its directory or the other way round.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ContainerInfo } from './types.js';

/** What we persist: the public info plus what supervision needs to survive a restart. */
export interface ContainerRecord {
  info: ContainerInfo;
  /** Set by an explicit stop/kill-by-user: restart policies (except after daemon restart for always) leave it alone. */
  manuallyStopped: boolean;
  hasBeenStarted: boolean;
  cgroupsPath: string;
}

export const RECORD_FILE = 'config.v1.json';
const FILE = RECORD_FILE;

export function containerDir(root: string, id: string): string {
  return path.join(root, id);
}

/**
 * durable: false skips both fsyncs. The write is still atomic (tmp + rename) and survives kill -9
 * (the data is in the kernel once write returns); only a power cut may bring back the previous
 * record. Used for state the daemon re-derives at recovery anyway.
 */
export function saveRecord(root: string, rec: ContainerRecord, durable = true): void {
  const dir = containerDir(root, rec.info.id);
  fs.mkdirSync(dir, { recursive: true });
  const tmp = path.join(dir, `.${FILE}.tmp`);
  const fd = fs.openSync(tmp, 'w', 0o600);
  try {
    fs.writeSync(fd, JSON.stringify(rec, null, 1));
    if (durable) fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, path.join(dir, FILE));
  if (!durable) return;
  const dfd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(dfd);
  } finally {
    fs.closeSync(dfd);
  }
}

/** Every readable record under root; unreadable ones are reported and skipped (never crash recovery). */
export function loadRecords(root: string, onBad: (dir: string, err: unknown) => void): ContainerRecord[] {
  const out: ContainerRecord[] = [];
  let entries: string[] = [];
  try {
    entries = fs.readdirSync(root);
  } catch {
    return out;
  }
  for (const name of entries) {
    if (!/^[0-9a-f]{64}$/.test(name)) continue;
    const file = path.join(root, name, FILE);
    if (!fs.existsSync(file)) continue;
    try {
      out.push(JSON.parse(fs.readFileSync(file, 'utf8')) as ContainerRecord);
    } catch (err) {
      onBad(path.join(root, name), err);
    }
  }
  return out;
}
