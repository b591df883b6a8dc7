/** Overlay mounting through the native addon, and mount-table queries. */
import fs from 'node:fs';
import path from 'node:path';
import { unavailable } from '../../base/errors.js';
import { native, UmountFlags } from '../../base/native.js';

/** The kernel copies mount data into one page; longer overlay option strings fail. */
export const MOUNT_DATA_MAX = 4095;

/** Mount points of this mount namespace (octal escapes in mountinfo decoded). */
export function mountPoints(): Set<string> {
  const out = new Set<string>();
  for (const line of fs.readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) {
    const f = line.split(' ');
    if (f.length > 4) out.add(f[4]!.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8))));
  }
  return out;
}

export function isMounted(p: string): boolean {
  return mountPoints().has(path.resolve(p));
}

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
