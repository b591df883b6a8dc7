/**
 * Docker's copy-up: the image's content at a mount's destination is copied into a new, empty
 * volume, keeping owners, modes, timestamps, symlinks (as links, never followed), hard links and
 * device/FIFO nodes. Written here rather than taken from npm: fs.cp and the copy packages drop
 * ownership and special files, which an image's /var/lib/... content depends on. Extended
 * attributes are not copied.
 *
 * The copy goes to a scratch directory first and is then moved into the volume entry by entry
 * (rename never follows a symlink in its last component), and only while the volume is still
 * empty: a container sharing the volume cannot plant a link that redirects the copy onto the host.
 */
import fs from 'node:fs';
import path from 'node:path';
import { native } from '../../base/native.js';

/** Copies the tree under `src` (a directory) into the empty directory `dest`. */
export async function copyTree(src: string, dest: string): Promise<void> {
  const links = new Map<string, string>(); // "dev:ino" of a multiply linked file → its first copy
  const walk = async (from: string, to: string): Promise<void> => {
    for (const entry of await fs.promises.readdir(from)) {
      const s = path.join(from, entry);
      const d = path.join(to, entry);
      const st = await fs.promises.lstat(s);
      await copyEntry(s, d, st, links, walk);
    }
  };
  await walk(src, dest);
}

async function copyEntry(s: string, d: string, st: fs.Stats, links: Map<string, string>, walk: (from: string, to: string) => Promise<void>): Promise<void> {
  const key = `${st.dev}:${st.ino}`;
  if (!st.isDirectory() && st.nlink > 1) {
    const first = links.get(key);
    if (first) {
      await fs.promises.link(first, d);
      return;
    }
    links.set(key, d);
  }
  if (st.isDirectory()) {
    await fs.promises.mkdir(d, { mode: 0o700 });
    await walk(s, d);
  } else if (st.isSymbolicLink()) {
    await fs.promises.symlink(await fs.promises.readlink(s), d);
    await fs.promises.lchown(d, st.uid, st.gid);
    await fs.promises.lutimes(d, st.atime, st.mtime);
    return;
  } else if (st.isFile()) {
    await fs.promises.copyFile(s, d);
  } else if (st.isFIFO() || st.isCharacterDevice() || st.isBlockDevice()) {
    native().mknod(d, st.mode, Math.floor(st.rdev / 256) & 0xfff, (st.rdev & 0xff) | ((st.rdev >> 12) & 0xfff00));
  } else return; // sockets belong to a process, not to an image
  await applyAttributes(d, st);
}

/** Owner, mode (incl. setuid/setgid/sticky, which chown clears, so after it) and times. */
export async function applyAttributes(p: string, st: fs.Stats): Promise<void> {
  await fs.promises.lchown(p, st.uid, st.gid);
  await fs.promises.chmod(p, st.mode & 0o7777);
  await fs.promises.utimes(p, st.atime, st.mtime);
}

/** Moves every entry of `from` into `to` (same filesystem); false, moving nothing, when `to` is no longer empty. */
export function moveEntries(from: string, to: string): boolean {
  if (fs.readdirSync(to).length > 0) return false;
  for (const entry of fs.readdirSync(from)) fs.renameSync(path.join(from, entry), path.join(to, entry));
  return true;
}
