/**
 * Packs a directory tree into a tar stream (tar-stream does the format; the walk is ours because
 * export, cp and commit each need their own naming and filtering). Hard links are kept as links,
 * special files as their device entries; sockets are skipped, as Docker's archiver does.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Pack } from 'tar-stream';

export type TarHeader = Parameters<Pack['entry']>[0];

export interface PackOptions {
  /** The tar name of `src` itself ('' = the tree's content at the archive root, no entry for the root). */
  name: string;
  /** Called per entry (relative path from src, "" for src): skip it, or emit extra entries instead. */
  filter?: (rel: string, st: fs.Stats, full: string) => 'keep' | 'skip' | { replace: TarHeader[]; descend: boolean };
}

function entry(pack: Pack, header: TarHeader, body?: fs.ReadStream): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!body) {
      // An empty buffer: a body-less *file* entry would otherwise wait for an end() forever.
      pack.entry(header, Buffer.alloc(0), (err) => (err ? reject(err) : resolve()));
      return;
    }
    const sink = pack.entry(header, (err) => (err ? reject(err) : resolve()));
    body.once('error', (err) => {
      sink.destroy(err);
      reject(err);
    });
    body.pipe(sink);
  });
}

function headerFor(name: string, st: fs.Stats, full: string): TarHeader | undefined {
  const base = { name, mode: st.mode & 0o7777, uid: st.uid, gid: st.gid, mtime: st.mtime };
  if (st.isDirectory()) return { ...base, type: 'directory', name: name.endsWith('/') ? name : `${name}/` };
  if (st.isSymbolicLink()) return { ...base, type: 'symlink', linkname: fs.readlinkSync(full) };
  if (st.isFile()) return { ...base, type: 'file', size: st.size };
  if (st.isCharacterDevice() || st.isBlockDevice()) {
    return { ...base, type: st.isCharacterDevice() ? 'character-device' : 'block-device', devmajor: (st.rdev >> 8) & 0xfff, devminor: (st.rdev & 0xff) | ((st.rdev >> 12) & 0xfff00) };
  }
  if (st.isFIFO()) return { ...base, type: 'fifo' };
  return undefined;
}

/** Writes the tree at `src` into `pack` (not finalized: the caller may add more). */
export async function packTree(pack: Pack, src: string, opts: PackOptions): Promise<void> {
  const links = new Map<string, string>();
  const visit = async (full: string, rel: string, name: string): Promise<void> => {
    const st = fs.lstatSync(full);
    const verdict = opts.filter?.(rel, st, full) ?? 'keep';
    if (verdict === 'skip') return;
    let descend = st.isDirectory();
    if (verdict !== 'keep') {
      for (const h of verdict.replace) await entry(pack, h);
      descend = verdict.descend;
    } else if (name !== '') {
      const h = headerFor(name, st, full);
      if (h && h.type === 'file' && st.nlink > 1) {
        const key = `${st.dev}:${st.ino}`;
        const first = links.get(key);
        if (first) {
          await entry(pack, { ...h, type: 'link', size: 0, linkname: first });
          return;
        }
        links.set(key, name);
      }
      if (h) await entry(pack, h, h.type === 'file' && h.size ? fs.createReadStream(full) : undefined);
    }
    if (!descend) return;
    for (const child of fs.readdirSync(full).sort()) {
      await visit(path.join(full, child), rel ? `${rel}/${child}` : child, name === '' ? child : `${name.replace(/\/$/, '')}/${child}`);
    }
  };
  await visit(src, '', opts.name);
}
