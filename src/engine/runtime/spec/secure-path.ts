/**
 * Resolves a path inside a container rootfs the way the container would see it: symlinks are
 * followed relative to the rootfs and ".." never climbs above it (filepath-securejoin's idea),
 * so an image's `/etc/passwd -> /../../host/etc/shadow` stays inside the rootfs.
 */
import fs from 'node:fs';
import path from 'node:path';
import { invalidArgument } from '../../../base/errors.js';

const maxSymlinks = 255;

/** Host path for `unsafePath` (absolute or relative to /) inside `root`; the result may not exist. */
export function secureJoin(root: string, unsafePath: string): string {
  const base = path.resolve(root);
  let pending = unsafePath.split('/').filter((c) => c !== '' && c !== '.');
  const done: string[] = [];
  let links = 0;
  while (pending.length > 0) {
    const part = pending.shift()!;
    if (part === '..') {
      done.pop();
      continue;
    }
    const candidate = path.join(base, ...done, part);
    let st: fs.Stats | undefined;
    try {
      st = fs.lstatSync(candidate);
    } catch {
      st = undefined; // missing: keep the name, nothing more to resolve
    }
    if (st?.isSymbolicLink()) {
      if (++links > maxSymlinks) throw invalidArgument(`too many symlinks resolving ${JSON.stringify(unsafePath)} in the container rootfs`);
      const target = fs.readlinkSync(candidate);
      if (target.startsWith('/')) done.length = 0;
      pending = [...target.split('/').filter((c) => c !== '' && c !== '.'), ...pending];
      continue;
    }
    done.push(part);
  }
  return path.join(base, ...done);
}

/** Reads a regular file inside the rootfs (securely resolved); null when absent or not a regular file. */
export function readRootfsFile(root: string, unsafePath: string, maxBytes = 16 * 1024 * 1024): string | null {
  const p = secureJoin(root, unsafePath);
  let st: fs.Stats;
  try {
    st = fs.statSync(p);
  } catch {
    return null;
  }
  if (!st.isFile()) return null;
  if (st.size > maxBytes) throw invalidArgument(`${unsafePath} in the container rootfs is larger than ${maxBytes} bytes`);
  return fs.readFileSync(p, 'utf8');
}
