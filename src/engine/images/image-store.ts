/**
 * The image store: image metadata (tags → manifest → config → layers) over the content store and
 * the layer snapshotter. Layout under `root`: `content/` (blobs), `images.json` (metadata).
 * Rules:
 *  - order of writes: blobs committed → layers unpacked → metadata saved. A crash in between
 *    leaves only unreferenced blobs/layers, which gc() removes; never a record naming a missing blob.
 *  - every mutation (load, tag, remove, gc) runs on one serial queue, so gc never sees a load's
 *    blobs before its record exists.
 */
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import zlib from 'node:zlib';
import { failedPrecondition, invalidArgument, isBerthError, notFound } from '../../base/errors.js';
import { ContentStore } from '../content/index.js';
import type { LayerSnapshotter } from '../snapshots/index.js';
import { planArchive, type PlannedImage } from './archive-plan.js';
import { writeDockerArchive, type SaveItem } from './archive-save.js';
import { spoolArchive } from './archive-spool.js';
import { historyRows, type HistoryRow } from './history.js';
import { commitLayerImage, type CommitRequest } from './image-commit.js';
import { parseImageConfig } from './image-config.js';
import { ImageState, type StoredImage } from './image-state.js';
import { familiarName, formatReference, looksLikeId, parseReference, repositoryName } from './reference.js';
import { SerialQueue } from '../../base/serial-queue.js';
import type { ImageConfig, ImageRecord, ImageService } from './types.js';

export type LoadProgress = { id: string; status: string; current?: number; total?: number };
export type RemoveResult = Array<{ Untagged?: string; Deleted?: string }>;
/** A container using an image (rmi's conflicts name it; a running one is a hard conflict). */
export interface ImageUser { id: string; running: boolean }

export class ImageStore implements ImageService {
  private readonly serial = new SerialQueue();
  private readonly configs = new Map<string, ImageConfig>();

  private constructor(
    readonly root: string,
    readonly content: ContentStore,
    readonly snapshotter: LayerSnapshotter,
    private readonly state: ImageState,
  ) {}

  static async open(opts: { root: string; snapshotter: LayerSnapshotter }): Promise<ImageStore> {
    const root = path.resolve(opts.root);
    const content = await ContentStore.open(path.join(root, 'content'));
    return new ImageStore(root, content, opts.snapshotter, ImageState.open(root));
  }

  // ---- lookups ----

  private config(id: string): ImageConfig {
    let c = this.configs.get(id);
    if (!c) {
      c = parseImageConfig(this.content.read(id), `config ${id}`);
      this.configs.set(id, c);
    }
    return c;
  }

  private record(img: StoredImage): ImageRecord {
    const config = this.config(img.id);
    return {
      id: img.id,
      repoTags: img.tags.map((t) => familiarName(t)),
      repoDigests: img.repoDigests.map((d) => familiarName(d)),
      config,
      chainIds: img.layers.map((l) => l.chainId),
      size: img.layers.reduce((a, l) => a + l.unpackedSize, 0),
      created: config.created ?? img.created,
      manifestDigest: img.manifestDigest,
    };
  }

  /** Finds the stored image; `how` says whether the user named it by id or by reference. */
  private find(reference: string): { img: StoredImage; byId: boolean; normalized?: string } {
    if (typeof reference !== 'string' || reference === '') throw invalidArgument('image reference is empty');
    const full = /^(?:sha256:)?([a-f0-9]{64})$/.exec(reference);
    if (full) {
      const img = this.state.images.get('sha256:' + full[1]);
      if (img) return { img, byId: true };
    }
    let parsed: ReturnType<typeof parseReference> | undefined;
    try {
      parsed = parseReference(reference);
    } catch (err) {
      if (!looksLikeId(reference)) throw err;
    }
    if (parsed) {
      const normalized = formatReference(parsed);
      if (parsed.digest) {
        const repo = repositoryName(parsed);
        for (const img of this.state.images.values()) {
          if (img.repoDigests.includes(`${repo}@${parsed.digest}`) || (img.manifestDigest === parsed.digest && img.tags.some((t) => t.startsWith(repo + ':')))) {
            return { img, byId: false, normalized };
          }
        }
      } else {
        const img = this.state.findByTag(normalized);
        if (img) return { img, byId: false, normalized };
      }
    }
    if (looksLikeId(reference)) {
      const prefix = reference.startsWith('sha256:') ? reference : 'sha256:' + reference;
      const matches = [...this.state.images.values()].filter((i) => i.id.startsWith(prefix));
      if (matches.length === 1) return { img: matches[0]!, byId: true };
      if (matches.length > 1) throw invalidArgument(`image id prefix "${reference}" is ambiguous: it matches ${matches.length} images`);
    }
    throw notFound(`image "${reference}" not found`);
  }

  resolve(reference: string): ImageRecord {
    return this.record(this.find(reference).img);
  }

  list(): ImageRecord[] {
    return [...this.state.images.values()].map((i) => this.record(i));
  }

  inspect(reference: string): ImageRecord {
    return this.resolve(reference);
  }

  history(reference: string): HistoryRow[] {
    const img = this.find(reference).img;
    return historyRows(img.id, img.tags.map((t) => familiarName(t)), this.config(img.id), img.layers.map((l) => l.unpackedSize));
  }

  /** The manifest blob of an image (for registry pushes and `docker save`-like exports). */
  manifest(reference: string): { digest: string; mediaType: string; bytes: Buffer } {
    const img = this.find(reference).img;
    return { digest: img.manifestDigest, mediaType: img.manifestMediaType, bytes: this.content.read(img.manifestDigest) };
  }

  // ---- load / save ----

  load(input: Readable, onProgress?: (p: LoadProgress) => void): Promise<{ images: ImageRecord[]; tags: string[] }> {
    return this.serial.run(async () => {
      const archive = await spoolArchive(input, this.content);
      try {
        const plans = planArchive(archive);
        if (plans.length === 0) throw invalidArgument('image archive contains no images');
        const stored: StoredImage[] = [];
        for (const plan of plans) stored.push(await this.commitPlan(plan, onProgress));
        // Metadata last: everything it names now exists.
        const tags: string[] = [];
        for (const img of stored) {
          const existing = this.state.images.get(img.id);
          const wanted = img.tags;
          if (existing) {
            existing.layers = img.layers;
            existing.manifestDigest = img.manifestDigest;
            existing.manifestMediaType = img.manifestMediaType;
          } else {
            this.state.images.set(img.id, { ...img, tags: [] });
          }
          for (const t of wanted) {
            this.state.setTag(t, img.id);
            tags.push(familiarName(t));
          }
        }
        this.state.save();
        return { images: stored.map((s) => this.record(this.state.images.get(s.id)!)), tags };
      } finally {
        archive.abortAll(); // whatever was not committed
      }
    });
  }

  private async commitPlan(plan: PlannedImage, onProgress?: (p: LoadProgress) => void): Promise<StoredImage> {
    const commit = async (blob: PlannedImage['config'], what: string) => {
      if (this.content.has(blob.digest)) return;
      await blob.commit(blob.digest, what);
    };
    await commit(plan.config, 'config');
    const id = plan.config.digest;
    const manifest = await this.content.put(plan.manifest, undefined, 'manifest');
    const layers: StoredImage['layers'] = [];
    for (const l of plan.layers) {
      await commit(l.blob, `layer ${l.blob.digest}`);
      const short = l.diffId.slice(7, 19);
      const total = l.compression === 'none' ? l.blob.size : undefined;
      const existed = this.snapshotter.hasLayer(l.chainId);
      onProgress?.({ id: short, status: existed ? 'Verifying layer' : 'Loading layer', current: 0, ...(total !== undefined ? { total } : {}) });
      const raw = this.content.createReadStream(l.blob.digest);
      const tar = l.compression === 'gzip' ? raw.pipe(zlib.createGunzip()) : raw;
      if (l.compression === 'gzip') raw.on('error', (err) => tar.destroy(err));
      const info = await this.snapshotter.applyLayer({
        chainId: l.chainId,
        diffId: l.diffId,
        tar,
        onProgress: (n) => onProgress?.({ id: short, status: existed ? 'Verifying layer' : 'Loading layer', current: n, ...(total !== undefined ? { total } : {}) }),
      });
      onProgress?.({ id: short, status: existed ? 'Layer already exists' : 'Loaded layer', current: info.tarSize, total: info.tarSize });
      layers.push({ digest: l.blob.digest, mediaType: l.mediaType, size: l.blob.size, diffId: l.diffId, chainId: l.chainId, unpackedSize: info.size });
    }
    this.configs.set(id, plan.configJson);
    return {
      id,
      manifestDigest: manifest.digest,
      manifestMediaType: plan.manifestMediaType,
      layers,
      tags: plan.tags,
      repoDigests: [],
      created: plan.configJson.created ?? '',
      loadedAt: new Date().toISOString(),
    };
  }

  async save(references: string[], out: Writable): Promise<void> {
    if (references.length === 0) throw invalidArgument('no images to save');
    const items = new Map<string, SaveItem>();
    for (const ref of references) {
      const { img, byId, normalized } = this.find(ref);
      let item = items.get(img.id);
      if (!item) {
        item = {
          id: img.id,
          repoTags: [],
          config: this.content.read(img.id),
          // A stored layer blob is the plain tar (digest = diffID) or gzip (zstd is refused at load).
          layers: img.layers.map((l) => ({
            diffId: l.diffId,
            tarSize: this.snapshotter.getLayer(l.chainId).tarSize,
            compression: l.digest === l.diffId ? ('none' as const) : ('gzip' as const),
            open: () => this.content.createReadStream(l.digest),
          })),
        };
        items.set(img.id, item);
      }
      if (!byId && normalized && !normalized.includes('@')) {
        const fam = familiarName(normalized);
        if (!item.repoTags.includes(fam)) item.repoTags.push(fam);
      }
    }
    await writeDockerArchive([...items.values()], out);
  }

  /** docker commit: `parent` plus one layer becomes a new image, tagged `tag` when given. */
  commit(parent: string, req: CommitRequest & { tag?: string }): Promise<ImageRecord> {
    return this.serial.run(async () => {
      const base = this.find(parent).img;
      const target = req.tag ? formatReference(parseReference(req.tag)) : undefined;
      if (target && parseReference(req.tag!).digest) throw invalidArgument(`cannot tag with a digest reference "${req.tag}"`);
      const { image, config } = await commitLayerImage(this.content, this.snapshotter, base, this.config(base.id), req);
      this.configs.set(image.id, config);
      if (!this.state.images.has(image.id)) this.state.images.set(image.id, image);
      if (target) this.state.setTag(target, image.id);
      this.state.save();
      return this.record(this.state.images.get(image.id)!);
    });
  }

  // ---- tags and removal ----

  tag(source: string, target: string): Promise<void> {
    return this.serial.run(() => {
      const { img } = this.find(source);
      const parsed = parseReference(target);
      if (parsed.digest) throw invalidArgument(`cannot tag with a digest reference "${target}"`);
      this.state.setTag(formatReference(parsed), img.id);
      this.state.save();
    });
  }

  /**
   * `rmi`, with Docker's rules and conflict messages: a name the image has others of is only
   * untagged; the image itself goes unless a container uses it (without force) or a running one
   * does (even with force, when named by id).
   */
  remove(reference: string, opts: { force?: boolean; inUse: Map<string, ImageUser[]> }): Promise<RemoveResult> {
    return this.serial.run(async () => {
      const { img, byId, normalized } = this.find(reference);
      const users = opts.inUse.get(img.id) ?? [];
      const short = img.id.slice(7, 19);
      const out: RemoveResult = [];
      const untag = (t: string) => {
        img.tags = img.tags.filter((x) => x !== t);
        img.repoDigests = img.repoDigests.filter((x) => x !== t);
        out.push({ Untagged: familiarName(t) });
      };
      // The name the user typed, when it is one of the image's own tags / repo digests.
      const own = !byId && normalized && (img.tags.includes(normalized) || img.repoDigests.includes(normalized)) ? normalized : undefined;
      if (own && img.tags.length + img.repoDigests.length > 1) {
        // Other names keep the image alive: just drop this one (Docker does not check containers here).
        untag(own);
        this.state.save();
        return out;
      }
      // From here on the image itself goes (or, forced while in use, loses all its names).
      const user = users.find((u) => u.running) ?? users[0];
      if (user && own && !opts.force) {
        throw failedPrecondition(`conflict: unable to remove repository reference "${reference}" (must force) - container ${user.id.slice(0, 12)} is using its referenced image ${short}`);
      }
      if (user && !own && (user.running || !opts.force)) {
        const hardness = user.running ? 'cannot be forced' : 'must be forced';
        throw failedPrecondition(`conflict: unable to delete ${short} (${hardness}) - image is being used by ${user.running ? 'running' : 'stopped'} container ${user.id.slice(0, 12)}`);
      }
      if (!own && img.tags.length > 1 && !opts.force) {
        throw failedPrecondition(`conflict: unable to delete ${short} (must be forced) - image is referenced in multiple repositories (${img.tags.map((t) => familiarName(t)).join(', ')})`);
      }
      for (const t of [...img.tags, ...img.repoDigests]) untag(t);
      if (users.length > 0) {
        // Forced while containers use it: keep the (now untagged) image so their layers stay.
        this.state.save();
        return out;
      }
      this.state.images.delete(img.id);
      this.configs.delete(img.id);
      this.state.save();
      out.push({ Deleted: img.id });
      const freed = await this.collect(new Set(), { onlyOf: img });
      for (const c of freed.layers) out.push({ Deleted: c });
      return out;
    });
  }

  /** Removes blobs and layer snapshots that no image (and no image in `inUse`) references. */
  gc(inUse: Set<string>): Promise<{ blobsRemoved: number; layersRemoved: number; bytesFreed: number }> {
    return this.serial.run(async () => {
      const r = await this.collect(inUse);
      return { blobsRemoved: r.blobs, layersRemoved: r.layers.length, bytesFreed: r.bytes };
    });
  }

  private async collect(inUse: Set<string>, scope?: { onlyOf: StoredImage }): Promise<{ blobs: number; layers: string[]; bytes: number }> {
    const keepBlobs = new Set<string>();
    const keepChains = new Set<string>();
    for (const img of this.state.images.values()) {
      keepBlobs.add(img.id).add(img.manifestDigest);
      for (const l of img.layers) {
        keepBlobs.add(l.digest);
        keepChains.add(l.chainId);
      }
    }
    for (const id of inUse) if (id.startsWith('sha256:')) keepBlobs.add(id);
    const candidatesBlobs = scope
      ? [scope.onlyOf.id, scope.onlyOf.manifestDigest, ...scope.onlyOf.layers.map((l) => l.digest)].map((digest) => ({ digest }))
      : this.content.list();
    const candidateChains = scope ? scope.onlyOf.layers.map((l) => l.chainId) : this.snapshotter.list().map((l) => l.chainId);
    let blobs = 0;
    let bytes = 0;
    for (const b of candidatesBlobs) {
      if (keepBlobs.has(b.digest)) continue;
      const freed = this.content.has(b.digest) ? this.content.delete(b.digest) : -1;
      if (freed >= 0) {
        blobs++;
        bytes += freed;
      }
    }
    const layers: string[] = [];
    for (const c of new Set(candidateChains)) {
      if (keepChains.has(c) || !this.snapshotter.hasLayer(c)) continue;
      const size = this.snapshotter.getLayer(c).size;
      try {
        if (await this.snapshotter.removeLayer(c)) {
          layers.push(c);
          bytes += size;
        }
      } catch (err) {
        // A container snapshot still stacks on it: keep it.
        if (!isBerthError(err, 'FailedPrecondition')) throw err;
      }
    }
    return { blobs, layers, bytes };
  }
}
