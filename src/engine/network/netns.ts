/**
 * One network namespace per container, kept alive by a bind mount of its nsfs file under berth's
 * run dir (what `ip netns add` does under /run/netns, but per daemon, so daemons never share
 * names). `unshare --net=<file>` creates and binds it in one step.
 */
import fs from 'node:fs';
import path from 'node:path';
import { run } from './host.js';

function isMounted(file: string): boolean {
  try {
    // An nsfs bind mount has its own inode on the nsfs filesystem (dev differs from its dir's).
    return fs.statSync(file).dev !== fs.statSync(path.dirname(file)).dev;
  } catch {
    return false;
  }
}

export async function createNetns(file: string): Promise<void> {
  if (isMounted(file)) return;
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  fs.writeFileSync(file, '');
  await run('unshare', [`--net=${file}`, 'true']);
}

export function netnsExists(file: string): boolean {
  return isMounted(file);
}

export async function removeNetns(file: string): Promise<void> {
  if (isMounted(file)) await run('umount', [file]).catch(() => run('umount', ['-l', file]));
  fs.rmSync(file, { force: true });
}
