/** Overlay mounting through the native addon, and mount-table queries. */
import fs from 'node:fs';
import path from 'node:path';
import { unavailable } from '../../base/errors.js';
import { isMounted } from '../../base/mountinfo.js';
import { native, UmountFlags } from '../../base/native.js';

export { isMounted, mountPoints } from '../../base/mountinfo.js';

/** The kernel copies mount data into one page; longer overlay option strings fail. */
export const MOUNT_DATA_MAX = 4095;

/**
 * Mounts an overlay. `lowers` are absolute dirs, top layer first. When the option string would
 * exceed a page, the lowers are given as `shortLinks` names relative to `shortDir` (symlinks to
 * the layer dirs), mounted with `shortDir` as the working directory, as Docker's overlay2 does.
 */
export function mountOverlay(target: string, lowers: string[], upper: string, work: string, short?: { dir: string; names: string[] }): void {
  const opts = (l: string[]) => `lowerdir=${l.join(':')},upperdir=${upper},workdir=${work}`;
  let data = opts(lowers);
  if (data.length <= MOUNT_DATA_MAX || !short) {
    native().mount('overlay', target, 'overlay', 0, data);
    return;
  }
  data = opts(short.names);
  if (data.length > MOUNT_DATA_MAX) throw unavailable(`overlay for ${target}: ${lowers.length} layers do not fit in one mount call`);
  const cwd = process.cwd();
  // Synchronous chdir/mount/chdir: no other JS runs in between on this thread.
  process.chdir(short.dir);
  try {
    native().mount('overlay', target, 'overlay', 0, data);
  } finally {
    process.chdir(cwd);
  }
}

/** Unmounts if mounted; a busy mount is detached lazily so the call is idempotent and never hangs. */
export function unmountIfMounted(target: string): void {
  if (!isMounted(target)) return;
  try {
    native().umount2(target, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EBUSY') native().umount2(target, UmountFlags.MNT_DETACH);
    else if ((err as NodeJS.ErrnoException).code !== 'EINVAL') throw err;
  }
}

/** True when an overlay can be mounted with upper/work dirs under `root` (probe at open). */
export function overlayWorks(root: string): boolean {
  const probe = fs.mkdtempSync(path.join(root, '.probe-'));
  try {
    for (const d of ['lower1', 'lower2', 'upper', 'work', 'merged']) fs.mkdirSync(path.join(probe, d));
    const merged = path.join(probe, 'merged');
    try {
      native().mount('overlay', merged, 'overlay', 0, `lowerdir=${probe}/lower2:${probe}/lower1,upperdir=${probe}/upper,workdir=${probe}/work`);
    } catch {
      return false;
    }
    native().umount2(merged, UmountFlags.MNT_DETACH);
    return true;
  } finally {
    fs.rmSync(probe, { recursive: true, force: true });
  }
}
