/**
 * A new image from a parent image plus one layer (docker commit): the layer tar goes into the
 * content store uncompressed (its digest is its diffID), is unpacked by the snapshotter, and a
 * config (the parent's, with the new run config, diff_ids and a history entry) and an OCI
 * manifest are written beside it. The caller records the image and its tag.
 */
import type { Readable } from 'node:stream';
import { MediaTypes } from '../../api/oci/media-types.js';
import type { ContentStore } from '../content/index.js';
import type { LayerSnapshotter } from '../snapshots/index.js';
import { chainIds } from './chain-id.js';
import type { StoredImage } from './image-state.js';
import type { ImageConfig } from './types.js';

export interface CommitRequest {
  /** The new layer, an uncompressed OCI layer tar. */
  layerTar: Readable;
  /** The image's run config (Env, Cmd, Entrypoint, …). */
  config: NonNullable<ImageConfig['config']>;
  /** The history entry's created_by (Docker: the container's command). */
  createdBy: string;
  comment?: string;
  author?: string;
}

export async function commitLayerImage(content: ContentStore, snapshotter: LayerSnapshotter, parent: StoredImage, parentConfig: ImageConfig, req: CommitRequest): Promise<{ image: StoredImage; config: ImageConfig }> {
  const blob = await content.put(req.layerTar, undefined, 'committed layer');
  const diffId = blob.digest;
  const diffIds = [...parentConfig.rootfs.diff_ids, diffId];
  const chainId = chainIds(diffIds).at(-1)!;
  const unpacked = await snapshotter.applyLayer({ chainId, diffId, tar: content.createReadStream(diffId) });
  const now = new Date().toISOString();
  const config: ImageConfig = {
    architecture: parentConfig.architecture,
    os: parentConfig.os,
    created: now,
    ...(req.author ? { author: req.author } : {}),
    ...(req.comment ? { comment: req.comment } : {}),
    config: req.config,
    rootfs: { type: 'layers', diff_ids: diffIds },
    history: [
      ...(parentConfig.history ?? []),
      { created: now, created_by: req.createdBy, ...(req.author ? { author: req.author } : {}), ...(req.comment ? { comment: req.comment } : {}) },
    ],
  };
  const cfg = await content.put(Buffer.from(JSON.stringify(config)), undefined, 'image config');
  const layers: StoredImage['layers'] = [...parent.layers, { digest: diffId, mediaType: MediaTypes.ociLayer, size: blob.size, diffId, chainId, unpackedSize: unpacked.size }];
  const manifest = {
    schemaVersion: 2,
    mediaType: MediaTypes.ociManifest,
    config: { mediaType: MediaTypes.ociConfig, digest: cfg.digest, size: cfg.size },
    layers: layers.map((l) => ({ mediaType: l.mediaType, digest: l.digest, size: l.size })),
  };
  const m = await content.put(Buffer.from(JSON.stringify(manifest)), undefined, 'manifest');
  return {
    image: { id: cfg.digest, manifestDigest: m.digest, manifestMediaType: MediaTypes.ociManifest, layers, tags: [], repoDigests: [], created: now, loadedAt: now },
    config,
  };
}
