/**
 * The layer snapshotter. On-disk layout under `root`:
 *   layers/<chainID hex>/fs          a layer's own files (overlay whiteout form), read-only by convention
 *   layers/<chainID hex>/layer.json  LayerInfo + the xattrs the copy driver re-applies
 *   layers/.tmp-*                    unpacks in progress (deleted at open)
 *   l/<16 hex>                       short symlinks to layer dirs, for very deep overlay stacks
 *   snapshots/<key>/snapshot.json    which layers, which driver
 *   snapshots/<key>/{upper,work,merged}   (overlay)   snapshots/<key>/rootfs   (copy)
 * Invariants: a layer dir exists only complete (rename is the commit); a layer used by a snapshot
 * is never removed; nothing outside `root` is written.
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Transform } from 'node:stream';
import { alreadyExists, asBerthError, failedPrecondition, invalidArgument, isBerthError, notFound } from '../../base/errors.js';
import { assertSha256Digest, digestHex } from '../../api/oci/index.js';
import { writeFileAtomic } from '../content/index.js';
import { mergeLayerInto } from './copy-merge.js';
import type { UnpackLimits } from './limits.js';
import { isMounted, mountOverlay, mountPoints, unmountIfMounted } from './mounts.js';
import type { ApplyLayerRequest, LayerInfo, LayerSnapshotter, RootfsSnapshot, SnapshotDriver, SnapshotInfo } from './types.js';
import { unpackLayer } from './unpack.js';

interface LayerFile extends LayerInfo {
  xattrs: Record<string, Record<string, string>>;
}

interface SnapshotFile {
  key: string;
  chainIds: string[];
  kind: SnapshotDriver;
  createdAt: string;
  /** False while prepare() builds it: the record pins its layers against gc from the start. */
  complete: boolean;
}

/** Our own errors pass through; syscall failures keep their meaning; anything else is a bad tar/stream. */
function layerError(chainId: string, err: unknown): Error {
  if (isBerthError(err)) return err;
  if (typeof (err as NodeJS.ErrnoException).code === 'string' && (err as NodeJS.ErrnoException).syscall) return asBerthError(err);
  return invalidArgument(`layer ${chainId} is not a valid tar: ${(err as Error).message}`);
}

const keyPattern = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

export class DirSnapshotter implements LayerSnapshotter {
  constructor(
    readonly root: string,
    readonly driver: SnapshotDriver,
    private readonly limits: UnpackLimits,
  ) {}

  private layerDir(chainId: string): string {
    assertSha256Digest(chainId, 'chainID');
    return path.join(this.root, 'layers', digestHex(chainId));
  }

  layerPath(chainId: string): string {
    return path.join(this.layerDir(chainId), 'fs');
  }

  private snapshotDir(key: string): string {
    if (!keyPattern.test(key)) throw invalidArgument(`snapshot key ${JSON.stringify(key)} is invalid`);
    return path.join(this.root, 'snapshots', key);
  }

  hasLayer(chainId: string): boolean {
    return fs.existsSync(path.join(this.layerDir(chainId), 'layer.json'));
  }

  private readLayer(chainId: string): LayerFile {
    try {
      return JSON.parse(fs.readFileSync(path.join(this.layerDir(chainId), 'layer.json'), 'utf8')) as LayerFile;
    } catch {
      throw notFound(`layer "${chainId}" not found`);
    }
  }

  getLayer(chainId: string): LayerInfo {
    const { xattrs: _x, ...info } = this.readLayer(chainId);
    return info;
  }

  async applyLayer(req: ApplyLayerRequest): Promise<LayerInfo> {
    assertSha256Digest(req.diffId, 'diffID');
    const final = this.layerDir(req.chainId);
    const hash = createHash('sha256');
    let tarSize = 0;
    const hasher = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        hash.update(chunk);
        tarSize += chunk.length;
        req.onProgress?.(tarSize);
        cb(null, chunk);
      },
    });
    req.tar.on('error', (err) => hasher.destroy(err));
    req.tar.pipe(hasher);
    const verify = () => {
      const got = 'sha256:' + hash.digest('hex');
      if (got !== req.diffId) throw invalidArgument(`layer ${req.chainId}: diffID mismatch: expected ${req.diffId}, got ${got}`);
    };

    if (this.hasLayer(req.chainId)) {
      try {
        for await (const chunk of hasher) void chunk;
      } catch (err) {
        req.tar.destroy();
        throw layerError(req.chainId, err);
      }
      verify();
      return this.getLayer(req.chainId);
    }

    const tmp = path.join(this.root, 'layers', `.tmp-${randomBytes(8).toString('hex')}`);
    fs.mkdirSync(path.join(tmp, 'fs'), { recursive: true });
    try {
      const result = await unpackLayer(hasher, path.join(tmp, 'fs'), this.limits);
      // tar-stream stops at the end-of-archive blocks; the padding after them is part of the diffID.
      for await (const chunk of hasher) void chunk;
      verify();
      const info: LayerFile = {
        chainId: req.chainId,
        diffId: req.diffId,
        size: result.bytes,
        tarSize,
        entries: result.entries,
        createdAt: new Date().toISOString(),
        xattrs: result.xattrs,
      };
      writeFileAtomic(path.join(tmp, 'layer.json'), JSON.stringify(info));
      if (!this.hasLayer(req.chainId)) {
        fs.rmSync(final, { recursive: true, force: true }); // an incomplete dir without layer.json
        try {
          fs.renameSync(tmp, final);
        } catch (err) {
          // Another applyLayer of the same layer won the race: theirs is just as good.
          if (!this.hasLayer(req.chainId)) throw err;
        }
      }
      fs.rmSync(tmp, { recursive: true, force: true });
      this.ensureShortLink(req.chainId);
      const { xattrs: _x, ...out } = info;
      return out;
    } catch (err) {
      req.tar.destroy();
      hasher.destroy();
      fs.rmSync(tmp, { recursive: true, force: true });
      throw layerError(req.chainId, err);
    }
  }

  private shortName(chainId: string): string {
    return digestHex(chainId).slice(0, 16);
  }

  private ensureShortLink(chainId: string): void {
    const link = path.join(this.root, 'l', this.shortName(chainId));
    const target = path.join('..', 'layers', digestHex(chainId), 'fs');
    try {
      if (fs.readlinkSync(link) === target) return;
      fs.rmSync(link, { force: true });
    } catch {
      /* absent */
    }
    fs.symlinkSync(target, link);
  }

  async removeLayer(chainId: string): Promise<boolean> {
    const dir = this.layerDir(chainId);
    if (!fs.existsSync(dir)) return false;
    const users = this.snapshotFiles().filter((s) => s.chainIds.includes(chainId));
    if (users.length > 0) throw failedPrecondition(`layer "${chainId}" is used by ${users.length} snapshot(s): ${users.map((u) => u.key).join(', ')}`);
    // Rename first so a crash mid-delete never leaves a half layer that looks complete.
    const doomed = path.join(this.root, 'layers', `.tmp-rm-${randomBytes(8).toString('hex')}`);
    fs.renameSync(dir, doomed);
    fs.rmSync(path.join(this.root, 'l', this.shortName(chainId)), { force: true });
    fs.rmSync(doomed, { recursive: true, force: true });
    return true;
  }

  list(): LayerInfo[] {
    const out: LayerInfo[] = [];
    for (const name of fs.readdirSync(path.join(this.root, 'layers'))) {
      if (!/^[a-f0-9]{64}$/.test(name)) continue;
      const chainId = 'sha256:' + name;
      if (this.hasLayer(chainId)) out.push(this.getLayer(chainId));
    }
    return out;
  }

  /** Every snapshot record, including ones still being prepared (they pin their layers too). */
  private snapshotFiles(): SnapshotFile[] {
    const out: SnapshotFile[] = [];
    for (const key of fs.readdirSync(path.join(this.root, 'snapshots'))) {
      if (!keyPattern.test(key)) continue;
      const s = this.readSnapshot(key);
      if (s) out.push(s);
    }
    return out;
  }

  snapshots(): SnapshotInfo[] {
    const mounted = mountPoints();
    return this.snapshotFiles().map(({ complete: _c, ...s }) => ({
      ...s,
      mounted: s.kind === 'overlay' ? mounted.has(path.join(this.snapshotDir(s.key), 'merged')) : true,
    }));
  }

  usage(): { layers: number; layerBytes: number; snapshots: number } {
    const layers = this.list();
    return { layers: layers.length, layerBytes: layers.reduce((a, l) => a + l.size, 0), snapshots: this.snapshots().length };
  }

  private readSnapshot(key: string): SnapshotFile | null {
    try {
      return JSON.parse(fs.readFileSync(path.join(this.snapshotDir(key), 'snapshot.json'), 'utf8')) as SnapshotFile;
    } catch {
      return null;
    }
  }

  async prepare(key: string, chainIds: string[]): Promise<RootfsSnapshot> {
    const dir = this.snapshotDir(key);
    if (fs.existsSync(path.join(dir, 'snapshot.json'))) throw alreadyExists(`snapshot "${key}" already exists`);
    for (const c of chainIds) if (!this.hasLayer(c)) throw notFound(`layer "${c}" not found (needed by snapshot "${key}")`);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    const file: SnapshotFile = { key, chainIds, kind: this.driver, createdAt: new Date().toISOString(), complete: false };
    try {
      writeFileAtomic(path.join(dir, 'snapshot.json'), JSON.stringify(file));
      for (const c of chainIds) if (!this.hasLayer(c)) throw notFound(`layer "${c}" not found (needed by snapshot "${key}")`);
      if (this.driver === 'overlay') {
        for (const d of ['upper', 'work', 'merged']) fs.mkdirSync(path.join(dir, d));
      } else {
        const rootfs = path.join(dir, 'rootfs');
        fs.mkdirSync(rootfs, { mode: 0o755 });
        for (const c of chainIds) mergeLayerInto(this.layerPath(c), rootfs, this.readLayer(c).xattrs);
      }
      writeFileAtomic(path.join(dir, 'snapshot.json'), JSON.stringify({ ...file, complete: true }));
      return await this.mount(key);
    } catch (err) {
      unmountIfMounted(path.join(dir, 'merged'));
      fs.rmSync(dir, { recursive: true, force: true });
      throw err;
    }
  }

  async mount(key: string): Promise<RootfsSnapshot> {
    const dir = this.snapshotDir(key);
    const s = this.readSnapshot(key);
    if (!s) throw notFound(`snapshot "${key}" not found`);
    if (s.complete === false) throw failedPrecondition(`snapshot "${key}" is incomplete (its prepare was interrupted); remove it`);
    if (s.kind === 'copy') return { key, path: path.join(dir, 'rootfs'), kind: 'copy' };
    const merged = path.join(dir, 'merged');
    if (!isMounted(merged)) {
      for (const c of s.chainIds) if (!this.hasLayer(c)) throw notFound(`layer "${c}" not found (needed by snapshot "${key}")`);
      let lowers = [...s.chainIds].reverse().map((c) => this.layerPath(c)); // top layer first
      let short: { dir: string; names: string[] } | undefined;
      if (lowers.length === 0) {
        // overlay needs a lower dir; an image without layers gets an empty one.
        const empty = path.join(this.root, 'empty');
        fs.mkdirSync(empty, { recursive: true });
        lowers = [empty];
      } else {
        for (const c of s.chainIds) this.ensureShortLink(c);
        short = { dir: path.join(this.root, 'l'), names: [...s.chainIds].reverse().map((c) => this.shortName(c)) };
      }
      mountOverlay(merged, lowers, path.join(dir, 'upper'), path.join(dir, 'work'), short);
    }
    return { key, path: merged, kind: 'overlay' };
  }

  async unmount(key: string): Promise<void> {
    const s = this.readSnapshot(key);
    if (s?.kind === 'overlay') unmountIfMounted(path.join(this.snapshotDir(key), 'merged'));
  }

  async remove(key: string): Promise<void> {
    const dir = this.snapshotDir(key);
    unmountIfMounted(path.join(dir, 'merged'));
    // Drop snapshot.json first: a crash mid-delete leaves an incomplete dir, not a broken snapshot.
    fs.rmSync(path.join(dir, 'snapshot.json'), { force: true });
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
