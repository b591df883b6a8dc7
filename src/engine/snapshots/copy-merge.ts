/**
 * The copy driver's merge: copies one layer directory onto a rootfs, applying the layer's
 * overlay-form whiteouts by deleting (0/0 char device → delete that path; opaque dir → empty the
 * existing dir first). Never follows symlinks: an existing non-directory in the way is removed,
 * exactly as overlay would hide it. Hardlinks inside a layer stay hardlinks.
 */
import fs from 'node:fs';
import path from 'node:path';
import { native } from '../../base/native.js';
import { isOpaque, isWhiteout } from './whiteouts.js';

export function mergeLayerInto(layerDir: string, rootfs: string, xattrs: Record<string, Record<string, string>>): void {
  const links = new Map<string, string>();
  walk(layerDir, rootfs, '', xattrs, links);
}

function walk(src: string, dst: string, rel: string, xattrs: Record<string, Record<string, string>>, links: Map<string, string>): void {
  for (const name of fs.readdirSync(src)) {
    const s = path.join(src, name);
    const d = path.join(dst, name);
    const r = rel ? `${rel}/${name}` : name;
    const st = fs.lstatSync(s);
    const existing = lstatOrNull(d);
    if (isWhiteout(st)) {
      if (existing) fs.rmSync(d, { recursive: true, force: true });
      continue;
    }
    if (st.isDirectory()) {
      if (existing && (!existing.isDirectory() || isOpaque(s))) fs.rmSync(d, { recursive: true, force: true });
      if (!existing || !existing.isDirectory() || isOpaque(s)) fs.mkdirSync(d);
      walk(s, d, r, xattrs, links);
      setMeta(d, st);
    } else {
      if (existing) fs.rmSync(d, { recursive: true, force: true });
      const inode = `${st.dev}:${st.ino}`;
      const first = st.nlink > 1 ? links.get(inode) : undefined;
      if (first) {
        fs.linkSync(first, d);
        continue;
      }
      if (st.isSymbolicLink()) fs.symlinkSync(fs.readlinkSync(s), d);
      else if (st.isFIFO()) native().mknod(d, fs.constants.S_IFIFO | (st.mode & 0o7777), 0, 0);
      else if (st.isFile()) fs.copyFileSync(s, d);
      else continue; // the unpacker never creates other types
      setMeta(d, st);
      if (st.nlink > 1) links.set(inode, d);
    }
    for (const [k, v] of Object.entries(xattrs[r] ?? {})) native().lsetxattr(d, k, Buffer.from(v, 'base64'));
  }
}

function setMeta(p: string, st: fs.Stats): void {
  fs.lchownSync(p, st.uid, st.gid);
  if (!st.isSymbolicLink()) fs.chmodSync(p, st.mode & 0o7777);
  fs.lutimesSync(p, st.atime, st.mtime);
}

function lstatOrNull(p: string): fs.Stats | null {
  try {
    return fs.lstatSync(p);
  } catch {
    return null;
  }
}
