/**
 * Unpacks one (uncompressed) layer tar into a fresh directory with tar-stream — never the tar
 * binary. Hostile entries are refused with a message naming the entry, and nothing is ever
 * written outside `dest`:
 *  - names: NUL bytes, absolute paths, `..`, over-long paths/components are refused;
 *  - every parent component is lstat'ed: a symlink (or non-directory) there is refused, so no
 *    write can go through a symlink; the final component is unlinked, never followed;
 *  - hardlinks must name an existing non-directory entry of this same layer;
 *  - block/char devices are refused (except 0/0 char devices, overlay's own whiteout form);
 *  - per-entry, total-size and entry-count caps.
 * The caller unpacks into a temp dir and renames it on success / deletes it on failure.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import tarStream from 'tar-stream';
import { invalidArgument, notImplemented, resourceExhausted } from '../../base/errors.js';
import { native } from '../../base/native.js';
import { entryComponents } from './entry-path.js';
import type { UnpackLimits } from './limits.js';
import { entryXattrs, installBinaryXattrDecoding } from './pax-xattrs.js';
import { OPAQUE_MARKER, WHITEOUT_PREFIX, makeWhiteout, markOpaque } from './whiteouts.js';

export interface UnpackResult {
  /** Bytes of regular-file content. */
  bytes: number;
  entries: number;
  /** xattrs set, by layer-relative path (base64 values); the copy driver re-applies them. */
  xattrs: Record<string, Record<string, string>>;
}

interface Meta {
  mode: number;
  uid: number;
  gid: number;
  mtime: Date;
}

const show = (name: string) => JSON.stringify(name.length > 200 ? name.slice(0, 200) + '…' : name);

export async function unpackLayer(input: Readable, dest: string, limits: UnpackLimits): Promise<UnpackResult> {
  installBinaryXattrDecoding();
  const extract = tarStream.extract();
  input.on('error', (err) => extract.destroy(err));
  input.pipe(extract);
  const result: UnpackResult = { bytes: 0, entries: 0, xattrs: {} };
  const dirMeta = new Map<string, Meta>();
  try {
    for await (const entry of extract) {
      const header = entry.header;
      result.entries++;
      if (result.entries > limits.maxEntries) throw resourceExhausted(`layer has more than ${limits.maxEntries} entries (at ${show(header.name)})`);
      await applyEntry(dest, header, entry as unknown as AsyncIterable<Buffer>, limits, result, dirMeta);
    }
  } catch (err) {
    input.destroy();
    extract.destroy();
    throw err;
  }
  // Directory metadata last: creating children changes a directory's mtime, and a 0555 dir
  // must stay writable while we fill it.
  for (const [p, m] of dirMeta) applyMeta(p, m, false);
  return result;
}

async function applyEntry(
  dest: string,
  header: tarStream.Header,
  body: AsyncIterable<Buffer>,
  limits: UnpackLimits,
  result: UnpackResult,
  dirMeta: Map<string, Meta>,
): Promise<void> {
  const name = header.name;
  const parts = entryComponents(name, limits.maxPathBytes);
  const meta: Meta = { mode: (header.mode ?? 0o644) & 0o7777, uid: header.uid ?? 0, gid: header.gid ?? 0, mtime: header.mtime ?? new Date(0) };
  const type = header.type ?? 'file';

  if (parts.length === 0) {
    // The layer root ("./"): only its metadata matters.
    await drain(body);
    if (type === 'directory') dirMeta.set(dest, meta);
    return;
  }
  const parent = ensureParents(dest, parts.slice(0, -1), name);
  const base = parts[parts.length - 1]!;

  if (base === OPAQUE_MARKER) {
    await drain(body);
    markOpaque(parent);
    return;
  }
  if (base.startsWith(WHITEOUT_PREFIX)) {
    await drain(body);
    const hidden = base.slice(WHITEOUT_PREFIX.length);
    if (hidden === '' || hidden === '.' || hidden === '..' || hidden.startsWith(WHITEOUT_PREFIX)) throw invalidArgument(`layer entry ${show(name)} is an invalid whiteout`);
    const target = path.join(parent, hidden);
    removeExisting(target);
    makeWhiteout(target);
    return;
  }

  const target = path.join(parent, base);
  const existing = lstatOrNull(target);
  if (existing && !(existing.isDirectory() && type === 'directory')) fs.rmSync(target, { recursive: true, force: true });

  switch (type) {
    case 'directory':
      await drain(body);
      if (!existing || !existing.isDirectory()) fs.mkdirSync(target, { mode: 0o755 });
      dirMeta.set(target, meta);
      break;
    case 'file':
    case 'contiguous-file': {
      const size = header.size ?? 0;
      if (size > limits.maxEntryBytes) throw resourceExhausted(`layer entry ${show(name)} is ${size} bytes, over the ${limits.maxEntryBytes}-byte limit`);
      if (result.bytes + size > limits.maxTotalBytes) throw resourceExhausted(`layer entry ${show(name)} takes the layer over the ${limits.maxTotalBytes}-byte limit`);
      result.bytes += size;
      // 'wx' = O_CREAT|O_EXCL: never opens through a symlink planted at the final component.
      const fh = await fs.promises.open(target, 'wx', 0o600);
      try {
        for await (const chunk of body) {
          // write(2) may be short; loop until the chunk is all on disk.
          for (let off = 0; off < chunk.length; ) off += (await fh.write(chunk, off)).bytesWritten;
        }
      } finally {
        await fh.close();
      }
      applyMeta(target, meta, false);
      break;
    }
    case 'symlink': {
      await drain(body);
      const link = header.linkname ?? '';
      if (link.includes('\0') || Buffer.byteLength(link) > limits.maxPathBytes) throw invalidArgument(`layer entry ${show(name)} has an invalid symlink target`);
      fs.symlinkSync(link, target);
      applyMeta(target, meta, true);
      break;
    }
    case 'link': {
      await drain(body);
      const linkParts = entryComponents(header.linkname ?? '', limits.maxPathBytes, `hardlink target of ${show(name)}:`);
      if (linkParts.length === 0) throw invalidArgument(`layer entry ${show(name)} is a hardlink to the layer root`);
      const linkParent = checkExistingParents(dest, linkParts.slice(0, -1), name);
      const source = path.join(linkParent, linkParts[linkParts.length - 1]!);
      const st = lstatOrNull(source);
      if (!st) throw invalidArgument(`layer entry ${show(name)} is a hardlink to ${show(header.linkname ?? '')}, which is not in the layer`);
      if (st.isDirectory()) throw invalidArgument(`layer entry ${show(name)} is a hardlink to a directory`);
      fs.linkSync(source, target);
      break;
    }
    case 'fifo':
      await drain(body);
      native().mknod(target, fs.constants.S_IFIFO | meta.mode, 0, 0);
      applyMeta(target, meta, false);
      break;
    case 'character-device':
    case 'block-device':
      await drain(body);
      if (type === 'character-device' && (header.devmajor ?? 0) === 0 && (header.devminor ?? 0) === 0) {
        makeWhiteout(target);
        break;
      }
      throw invalidArgument(`layer entry ${show(name)} is a ${type} (${header.devmajor}:${header.devminor}); device nodes are not allowed in layers`);
    default:
      throw notImplemented(`layer entry ${show(name)} has unsupported type ${String(type)}`);
  }

  const xattrs = entryXattrs(header.pax as Record<string, string> | undefined);
  if (xattrs.size > 0 && type !== 'link') {
    const rel = parts.join('/');
    const rec: Record<string, string> = (result.xattrs[rel] ??= {});
    for (const [k, v] of xattrs) {
      try {
        native().lsetxattr(target, k, v);
      } catch (err) {
        // As Docker does: a filesystem that cannot hold this xattr (e.g. user.* on a symlink)
        // does not fail the layer.
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP') continue;
        throw err;
      }
      rec[k] = v.toString('base64');
    }
    // Setting xattrs on a file after chmod keeps the mode; security.capability is dropped by chown,
    // which already happened in applyMeta.
  }
}

/** Creates missing parent dirs; refuses any existing parent that is a symlink or not a directory. */
function ensureParents(dest: string, parents: string[], name: string): string {
  let cur = dest;
  for (const p of parents) {
    cur = path.join(cur, p);
    const st = lstatOrNull(cur);
    if (!st) fs.mkdirSync(cur, { mode: 0o755 });
    else if (st.isSymbolicLink()) throw invalidArgument(`layer entry ${show(name)} would be written through the symlink ${show(path.relative(dest, cur))}`);
    else if (!st.isDirectory()) throw invalidArgument(`layer entry ${show(name)} has a parent ${show(path.relative(dest, cur))} that is not a directory`);
  }
  return cur;
}

function checkExistingParents(dest: string, parents: string[], name: string): string {
  let cur = dest;
  for (const p of parents) {
    cur = path.join(cur, p);
    const st = lstatOrNull(cur);
    if (!st || !st.isDirectory()) throw invalidArgument(`layer entry ${show(name)} is a hardlink through ${show(path.relative(dest, cur))}, which is not a directory of the layer`);
  }
  return cur;
}

function removeExisting(p: string): void {
  if (lstatOrNull(p)) fs.rmSync(p, { recursive: true, force: true });
}

function lstatOrNull(p: string): fs.Stats | null {
  try {
    return fs.lstatSync(p);
  } catch {
    return null;
  }
}

function applyMeta(p: string, m: Meta, isSymlink: boolean): void {
  fs.lchownSync(p, m.uid, m.gid);
  // chmod after chown: chown clears setuid/setgid bits.
  if (!isSymlink) fs.chmodSync(p, m.mode);
  fs.lutimesSync(p, m.mtime, m.mtime);
}

async function drain(body: AsyncIterable<Buffer>): Promise<void> {
  for await (const chunk of body) void chunk;
}
