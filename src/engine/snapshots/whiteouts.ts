/**
 * OCI whiteouts in overlayfs form, the on-disk format of every layer directory (both drivers):
 *  - `.wh.<name>` in a tar → a 0/0 character device `<name>` (overlay hides the lower file);
 *  - `.wh..wh..opq` in a tar → xattr `trusted.overlay.opaque=y` on its directory (overlay hides
 *    everything below it from lower layers).
 * The copy driver reads the same markers and applies them by deleting.
 */
import fs from 'node:fs';
import { native } from '../../base/native.js';

export const WHITEOUT_PREFIX = '.wh.';
export const OPAQUE_MARKER = '.wh..wh..opq';
export const OPAQUE_XATTR = 'trusted.overlay.opaque';

export function makeWhiteout(p: string): void {
  native().mknod(p, fs.constants.S_IFCHR, 0, 0);
}

export function markOpaque(dir: string): void {
  native().lsetxattr(dir, OPAQUE_XATTR, Buffer.from('y'));
}

export function isWhiteout(st: fs.Stats): boolean {
  return st.isCharacterDevice() && st.rdev === 0;
}

export function isOpaque(dir: string): boolean {
  return native().lgetxattr(dir, OPAQUE_XATTR)?.toString() === 'y';
}
