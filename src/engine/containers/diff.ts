/**
 * `docker diff`: what a container changed against its image, as Docker reports it: one entry per
 * path, Kind 0 = modified, 1 = added, 2 = deleted, sorted by path. A deleted or added directory
 * is reported once for itself plus (added) each entry under it, as moby's overlay walker does.
 */
import fs from 'node:fs';
import path from 'node:path';
import { native } from '../../base/native.js';
import type { ContainerFs } from './fs-view.js';

export type ChangeKind = 0 | 1 | 2;
export interface Change { path: string; kind: ChangeKind }

/**
 * Files the runtime creates as mount targets for berth's own bind mounts: Docker keeps them in a
 * hidden "init" layer, so they never show in a diff (or a commit).
 */
export const INIT_PATHS = new Set(['/etc/hosts', '/etc/hostname', '/etc/resolv.conf', '/.dockerenv']);

const isWhiteout = (st: fs.Stats) => st.isCharacterDevice() && st.rdev === 0;
const isOpaque = (dir: string) => native().lgetxattr(dir, 'trusted.overlay.opaque')?.toString() === 'y';

function lstat(p: string): fs.Stats | undefined {
  try {
    return fs.lstatSync(p);
  } catch {
    return undefined;
  }
}

/** Whether `rel` exists in the image's merged lower layers (honouring whiteouts and opaque dirs). */
export function inImage(lowerDirs: string[], rel: string): fs.Stats | undefined {
  const parts = rel.split('/').filter(Boolean);
  for (const layer of lowerDirs) {
    const st = lstat(path.join(layer, ...parts));
    if (st) return isWhiteout(st) ? undefined : st;
    // An opaque or whited-out ancestor in this layer hides everything below it.
    for (let i = parts.length - 1; i >= 1; i--) {
      const ancestor = path.join(layer, ...parts.slice(0, i));
      const a = lstat(ancestor);
      if (a && (isWhiteout(a) || (a.isDirectory() && isOpaque(ancestor)))) return undefined;
    }
  }
  return undefined;
}

function overlayChanges(fsv: ContainerFs & { upperDir: string }): Change[] {
  const out: Change[] = [];
  /** Returns false when the dir held only init files (it is then no change of the container's). */
  const walk = (rel: string, parentAdded: boolean): boolean => {
    const names = fs.readdirSync(path.join(fsv.upperDir, rel));
    let reported = names.length === 0;
    for (const name of names) {
      const r = `${rel}/${name}`;
      if (INIT_PATHS.has(r)) continue;
      reported = true;
      const full = path.join(fsv.upperDir, r);
      const st = fs.lstatSync(full);
      if (isWhiteout(st)) {
        if (!parentAdded && inImage(fsv.lowerDirs, r)) out.push({ path: r, kind: 2 });
        continue;
      }
      const added = parentAdded || !inImage(fsv.lowerDirs, r);
      const entry: Change = { path: r, kind: added ? 1 : 0 };
      out.push(entry);
      if (st.isDirectory()) {
        // An opaque dir replaced the image's dir: what the image had below it is gone.
        if (!added && isOpaque(full)) for (const gone of imageEntries(fsv.lowerDirs, r)) if (!lstat(path.join(fsv.upperDir, gone))) out.push({ path: gone, kind: 2 });
        if (!walk(r, added) && !added) out.splice(out.indexOf(entry), 1);
      }
    }
    return reported;
  };
  walk('', false);
  return out;
}

/** The names directly inside an image dir (merged over the layers), as relative paths. */
function imageEntries(lowerDirs: string[], rel: string): string[] {
  const names = new Set<string>();
  const hidden = new Set<string>();
  for (const layer of lowerDirs) {
    const dir = path.join(layer, rel);
    let entries: string[] = [];
    try {
      entries = fs.readdirSync(dir);
    } catch {
      continue;
    }
    for (const n of entries) {
      if (hidden.has(n) || names.has(n)) continue;
      if (isWhiteout(fs.lstatSync(path.join(dir, n)))) hidden.add(n);
      else names.add(n);
    }
    if (isOpaque(dir)) break;
  }
  return [...names].map((n) => `${rel}/${n}`);
}

function sameEntry(a: fs.Stats, b: fs.Stats, rootPath: string, lowerPath: string): boolean {
  if ((a.mode & 0o170777) !== (b.mode & 0o170777) || a.uid !== b.uid || a.gid !== b.gid) return false;
  if (a.isDirectory()) return true;
  if (a.isSymbolicLink()) return fs.readlinkSync(rootPath) === fs.readlinkSync(lowerPath);
  // Copies set times through utimes (microseconds at best): sub-millisecond drift is no change.
  return a.size === b.size && Math.abs(a.mtimeMs - b.mtimeMs) < 1;
}

/** The copy driver keeps no separate layer: compare the rootfs with the image, both ways. */
function copyChanges(fsv: ContainerFs): Change[] {
  const out: Change[] = [];
  const lowerPath = (rel: string) => {
    for (const layer of fsv.lowerDirs) if (lstat(path.join(layer, rel))) return path.join(layer, rel);
    return '';
  };
  const walk = (rel: string) => {
    const present = new Set(fs.readdirSync(path.join(fsv.rootfs, rel)));
    for (const name of present) {
      const r = `${rel}/${name}`;
      if (INIT_PATHS.has(r)) continue;
      const st = fs.lstatSync(path.join(fsv.rootfs, r));
      const base = inImage(fsv.lowerDirs, r);
      if (!base) {
        out.push({ path: r, kind: 1 });
        if (st.isDirectory()) for (const c of addedTree(fsv.rootfs, r)) out.push({ path: c, kind: 1 });
        continue;
      }
      if (st.isDirectory() !== base.isDirectory() || !sameEntry(st, base, path.join(fsv.rootfs, r), lowerPath(r))) out.push({ path: r, kind: 0 });
      if (st.isDirectory() && base.isDirectory()) walk(r);
    }
    for (const gone of imageEntries(fsv.lowerDirs, rel)) if (!present.has(path.basename(gone))) out.push({ path: gone, kind: 2 });
  };
  walk('');
  return out;
}

function addedTree(root: string, rel: string): string[] {
  const out: string[] = [];
  for (const name of fs.readdirSync(path.join(root, rel))) {
    const r = `${rel}/${name}`;
    out.push(r);
    if (fs.lstatSync(path.join(root, r)).isDirectory()) out.push(...addedTree(root, r));
  }
  return out;
}

export function containerChanges(fsv: ContainerFs): Change[] {
  const changes = fsv.kind === 'overlay' && fsv.upperDir ? overlayChanges({ ...fsv, upperDir: fsv.upperDir }) : copyChanges(fsv);
  return changes.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Bytes of regular files under a directory, each inode counted once (Docker's directory size). */
export function treeSize(root: string): number {
  const seen = new Set<string>();
  let total = 0;
  const walk = (dir: string) => {
    let names: string[];
    try {
      names = fs.readdirSync(dir);
    } catch {
      return;
    }
    for (const name of names) {
      const st = lstat(path.join(dir, name));
      if (!st) continue;
      if (st.isDirectory()) walk(path.join(dir, name));
      else if (st.isFile()) {
        const key = `${st.dev}:${st.ino}`;
        if (st.nlink > 1 && seen.has(key)) continue;
        seen.add(key);
        total += st.size;
      }
    }
  };
  walk(root);
  return total;
}

/** The bytes a container added or changed (Docker's SizeRw). */
export function changesSize(fsv: ContainerFs): number {
  if (fsv.kind === 'overlay' && fsv.upperDir) return treeSize(fsv.upperDir);
  let total = 0;
  for (const ch of containerChanges(fsv)) {
    if (ch.kind === 2) continue;
    const st = lstat(path.join(fsv.rootfs, ch.path));
    if (st?.isFile()) total += st.size;
  }
  return total;
}
