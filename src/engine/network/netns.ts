/**
 * One network namespace per container, kept alive by a bind mount of its nsfs file under berth's
 * run dir (what `ip netns add` does under /run/netns, but per daemon, so daemons never share
 * names). The native addon creates and binds it in one step (`unshare --net=<file>` without the
 * execs: this is on every container start's path).
 */
import fs from 'node:fs';
import path from 'node:path';
import { native, UmountFlags } from '../../base/native.js';
import { internal } from '../../base/errors.js';

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
  try {
    native().createNetns(file);
  } catch (err) {
    throw internal(`creating network namespace ${file}: ${(err as Error).message}`, err);
  }
}

export function netnsExists(file: string): boolean {
  return isMounted(file);
}

export async function removeNetns(file: string): Promise<void> {
  if (isMounted(file)) {
    try {
      native().umount2(file, 0);
    } catch {
      native().umount2(file, UmountFlags.MNT_DETACH); // still busy (a process entering it): detach
    }
  }
  fs.rmSync(file, { force: true });
}
