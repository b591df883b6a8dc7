/**
 * The image metadata, persisted as one JSON file (`<root>/images.json`) replaced atomically
 * (temp + fsync + rename) on every change.
 * Why JSON and not SQLite: the whole state is small (a record per image), always fully in memory,
 * written by one process under one lock; an atomic file replace gives the same crash safety with
 * nothing to migrate or compact, and keeps the store inspectable with `cat`.
 * Invariants: every blob and layer a record names was committed before the record was written
 * (so a crash leaves at most unreferenced blobs/layers, which gc removes); a tag names at most
 * one image.
 */
import fs from 'node:fs';
import path from 'node:path';
import { internal } from '../../base/errors.js';
import { writeFileAtomic } from '../content/index.js';

export interface StoredLayer {
  /** The blob in the content store (compressed or not). */
  digest: string;
  mediaType: string;
  size: number;
  diffId: string;
  chainId: string;
  /** Bytes of unpacked regular files. */
  unpackedSize: number;
}

export interface StoredImage {
  id: string;
  manifestDigest: string;
  manifestMediaType: string;
  layers: StoredLayer[];
  /** Normalized references: `docker.io/library/busybox:latest`. */
  tags: string[];
  /** Normalized `repo@sha256:…` (set by pulls/pushes; loads leave it empty, as Docker does). */
  repoDigests: string[];
  created: string;
  loadedAt: string;
}

interface StateFile {
  version: 1;
  images: StoredImage[];
}

export class ImageState {
  readonly images = new Map<string, StoredImage>();

  private constructor(private readonly file: string) {}

  static open(root: string): ImageState {
    const s = new ImageState(path.join(root, 'images.json'));
    let text: string | undefined;
    try {
      text = fs.readFileSync(s.file, 'utf8');
    } catch {
      return s;
    }
    try {
      const parsed = JSON.parse(text) as StateFile;
      for (const img of parsed.images) s.images.set(img.id, img);
    } catch (err) {
      throw internal(`image metadata ${s.file} is corrupt: ${(err as Error).message}`, err);
    }
    return s;
  }

  save(): void {
    const data: StateFile = { version: 1, images: [...this.images.values()] };
    writeFileAtomic(this.file, JSON.stringify(data));
  }

  findByTag(normalized: string): StoredImage | undefined {
    for (const img of this.images.values()) if (img.tags.includes(normalized)) return img;
    return undefined;
  }

  /** Points `normalized` at `id`, taking it away from any other image. */
  setTag(normalized: string, id: string): void {
    for (const img of this.images.values()) {
      if (img.id !== id) img.tags = img.tags.filter((t) => t !== normalized);
    }
    const img = this.images.get(id);
    if (img && !img.tags.includes(normalized)) img.tags.push(normalized);
  }
}
