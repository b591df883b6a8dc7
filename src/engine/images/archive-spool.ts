/**
 * Reads an image archive (docker-save or OCI layout tar) once, streaming every regular file into
 * the content store's ingest area (hashed on the way, not yet visible). The loader then decides
 * which files are blobs it wants, commits those with their expected digests and aborts the rest.
 * Entry names are checked like layer entries (no `..`, no absolute paths, no NUL); symlinks
 * (old docker-save archives link duplicate layers) are resolved inside the archive only.
 */
import path from 'node:path';
import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import tarStream from 'tar-stream';
import { asBerthError, invalidArgument, isBerthError, resourceExhausted } from '../../base/errors.js';
import type { ContentStore, PendingBlob } from '../content/index.js';
import { tarEntryComponents } from '../snapshots/index.js';

const MAX_ARCHIVE_ENTRIES = 100_000;

export class SpooledArchive {
  readonly files = new Map<string, PendingBlob>();
  readonly symlinks = new Map<string, string>();

  /** The spooled file at `name` (after `./` and symlink resolution), or undefined. */
  get(name: string): PendingBlob | undefined {
    let key = normalize(name);
    for (let hops = 0; hops < 16 && key !== undefined; hops++) {
      const f = this.files.get(key);
      if (f) return f;
      const target = this.symlinks.get(key);
      if (target === undefined) return undefined;
      key = normalize(path.posix.join(path.posix.dirname(key), target));
    }
    return undefined;
  }

  abortAll(): void {
    for (const f of this.files.values()) f.abort();
  }
}

function normalize(name: string): string | undefined {
  const n = path.posix.normalize(name).replace(/^(\.\/)+/, '').replace(/\/$/, '');
  return n.startsWith('../') || n === '..' || n.startsWith('/') ? undefined : n;
}

/** `docker load` also takes gzip-compressed archives: sniff the magic bytes of the first chunk. */
async function gunzipIfNeeded(input: Readable): Promise<Readable> {
  const it = input[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const first = await it.next();
  const head: Buffer = first.done ? Buffer.alloc(0) : Buffer.from(first.value);
  const rest = Readable.from(
    (async function* () {
      if (head.length) yield head;
      for (;;) {
        const n = await it.next();
        if (n.done) return;
        yield Buffer.from(n.value);
      }
    })(),
  );
  if (head[0] !== 0x1f || head[1] !== 0x8b) return rest;
  const gunzip = zlib.createGunzip();
  rest.on('error', (err) => gunzip.destroy(err));
  return rest.pipe(gunzip);
}

export async function spoolArchive(raw: Readable, content: ContentStore): Promise<SpooledArchive> {
  const archive = new SpooledArchive();
  const extract = tarStream.extract();
  const input = await gunzipIfNeeded(raw);
  input.on('error', (err) => extract.destroy(err));
  input.pipe(extract);
  let count = 0;
  try {
    for await (const entry of extract) {
      const h = entry.header;
      if (++count > MAX_ARCHIVE_ENTRIES) throw resourceExhausted(`image archive has more than ${MAX_ARCHIVE_ENTRIES} entries`);
      const parts = tarEntryComponents(h.name, 4096, 'archive entry');
      const name = parts.join('/');
      if (h.type === 'file' || h.type === 'contiguous-file') {
        const blob = await content.ingest(Readable.from(entry as unknown as AsyncIterable<Buffer>), { what: `archive entry ${JSON.stringify(name)}` });
        archive.files.get(name)?.abort();
        archive.files.set(name, blob);
      } else {
        for await (const chunk of entry as unknown as AsyncIterable<Buffer>) void chunk;
        if (h.type === 'symlink' && h.linkname) archive.symlinks.set(name, h.linkname);
        else if (h.type === 'link' && h.linkname) archive.symlinks.set(name, '/' + h.linkname); // resolved from the root below
      }
    }
  } catch (err) {
    input.destroy();
    raw.destroy();
    extract.destroy();
    archive.abortAll();
    if (isBerthError(err)) throw err;
    if (typeof (err as NodeJS.ErrnoException).code === 'string') throw asBerthError(err); // disk errors
    throw invalidArgument(`image archive is not a valid tar: ${(err as Error).message}`);
  }
  // Hardlinks name their target from the archive root.
  for (const [k, v] of archive.symlinks) if (v.startsWith('/')) archive.symlinks.set(k, path.posix.relative(path.posix.dirname(k) || '.', v.slice(1)));
  return archive;
}
