/**
 * The content-addressed blob store: `<root>/blobs/sha256/<hex>`.
 * Rules:
 *  - A blob becomes visible only under the digest of its bytes: data is streamed into
 *    `<root>/ingest/`, hashed as it is written, fsynced, checked against the expected digest and
 *    size, and only then renamed into `blobs/` (then the directory is fsynced). So a blob that
 *    `has()` reports is complete and correct, and an acknowledged write survives kill -9.
 *  - Leftover ingest files (a crash mid-write) are deleted at open.
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { invalidArgument, notFound } from '../../base/errors.js';
import { assertSha256Digest, digestHex } from '../../api/oci/index.js';
import { fsyncDir } from './atomic-file.js';

/** Data written to the ingest area but not yet visible; commit or abort it. */
export interface PendingBlob {
  /** sha256 of the bytes written. */
  readonly digest: string;
  readonly size: number;
  /** The temp file, readable until commit/abort. */
  readonly path: string;
  /** Makes the blob visible; throws InvalidArgument if `expected` differs from the real digest. */
  commit(expected?: string, what?: string): Promise<string>;
  abort(): void;
}

export interface BlobInfo {
  digest: string;
  size: number;
}

export class ContentStore {
  private constructor(readonly root: string) {}

  static async open(root: string): Promise<ContentStore> {
    fs.mkdirSync(path.join(root, 'blobs', 'sha256'), { recursive: true });
    const ingest = path.join(root, 'ingest');
    fs.rmSync(ingest, { recursive: true, force: true });
    fs.mkdirSync(ingest, { recursive: true });
    return new ContentStore(root);
  }

  blobPath(digest: string): string {
    assertSha256Digest(digest);
    return path.join(this.root, 'blobs', 'sha256', digestHex(digest));
  }

  has(digest: string): boolean {
    return fs.existsSync(this.blobPath(digest));
  }

  /** Size in bytes; NotFound if absent. */
  size(digest: string): number {
    try {
      return fs.statSync(this.blobPath(digest)).size;
    } catch {
      throw notFound(`blob "${digest}" not found`);
    }
  }

  read(digest: string): Buffer {
    try {
      return fs.readFileSync(this.blobPath(digest));
    } catch {
      throw notFound(`blob "${digest}" not found`);
    }
  }

  createReadStream(digest: string): Readable {
    if (!this.has(digest)) throw notFound(`blob "${digest}" not found`);
    return fs.createReadStream(this.blobPath(digest));
  }

  /** Streams `input` into the ingest area; nothing is visible until the returned blob is committed. */
  async ingest(input: Readable | Buffer, opts: { maxBytes?: number; what?: string } = {}): Promise<PendingBlob> {
    const tmp = path.join(this.root, 'ingest', randomBytes(12).toString('hex'));
    const hash = createHash('sha256');
    let size = 0;
    const max = opts.maxBytes ?? Number.MAX_SAFE_INTEGER;
    const fh = await fs.promises.open(tmp, 'w', 0o644);
    try {
      for await (const chunk of Buffer.isBuffer(input) ? [input] : (input as AsyncIterable<Buffer>)) {
        size += chunk.length;
        if (size > max) throw invalidArgument(`${opts.what ?? 'blob'} is larger than ${max} bytes`);
        hash.update(chunk);
        // write(2) may be short; loop until the chunk is all on disk.
        for (let off = 0; off < chunk.length; ) off += (await fh.write(chunk, off)).bytesWritten;
      }
      await fh.sync();
    } catch (err) {
      await fh.close().catch(() => undefined);
      fs.rmSync(tmp, { force: true });
      if (!Buffer.isBuffer(input)) input.destroy();
      throw err;
    }
    await fh.close();
    const digest = 'sha256:' + hash.digest('hex');
    return this.pending(tmp, digest, size);
  }

  /** Convenience: ingest and commit in one step, verifying `expected` when given. */
  async put(input: Readable | Buffer, expected?: string, what?: string): Promise<BlobInfo> {
    const p = await this.ingest(input, what !== undefined ? { what } : {});
    const digest = await p.commit(expected, what);
    return { digest, size: p.size };
  }

  delete(digest: string): number {
    const p = this.blobPath(digest);
    let size = 0;
    try {
      size = fs.statSync(p).size;
      fs.rmSync(p);
    } catch {
      return 0;
    }
    return size;
  }

  list(): BlobInfo[] {
    const dir = path.join(this.root, 'blobs', 'sha256');
    return fs
      .readdirSync(dir)
      .filter((n) => /^[a-f0-9]{64}$/.test(n))
      .map((n) => ({ digest: 'sha256:' + n, size: fs.statSync(path.join(dir, n)).size }));
  }

  private pending(tmp: string, digest: string, size: number): PendingBlob {
    let done = false;
    return {
      digest,
      size,
      path: tmp,
      commit: async (expected, what) => {
        if (done) throw invalidArgument(`blob ${digest} was already committed or aborted`);
        done = true;
        if (expected !== undefined && expected !== digest) {
          fs.rmSync(tmp, { force: true });
          throw invalidArgument(`${what ?? 'blob'}: digest mismatch: expected ${expected}, got ${digest}`);
        }
        const target = this.blobPath(digest);
        // Renaming over an existing blob is harmless: same digest means the same bytes.
        fs.renameSync(tmp, target);
        fsyncDir(path.dirname(target));
        return digest;
      },
      abort: () => {
        done = true;
        fs.rmSync(tmp, { force: true });
      },
    };
  }
}
