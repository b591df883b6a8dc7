/**
 * Turns a spooled archive into a load plan: which images, their configs, manifests and layer
 * blobs, every digest checked against what the archive's metadata claims. Two formats:
 *  - docker-save: manifest.json lists Config + Layers (paths) + RepoTags (also Docker ≥25's
 *    archives, which carry an OCI layout too: manifest.json is preferred);
 *  - OCI layout (skopeo `oci-archive:`): index.json → manifests (→ nested indexes, platform
 *    picked for this host) → config + layer blobs under blobs/sha256/.
 * Layer compression comes from the media type or, when it says nothing, the magic bytes; zstd is
 * refused with NotImplemented.
 */
import fs from 'node:fs';
import { invalidArgument, notImplemented } from '../../base/errors.js';
import {
  Annotations,
  MediaTypes,
  digestHex,
  isIndexMediaType,
  layerCompressionOf,
  parseJson,
  validateDockerArchiveManifest,
  validateIndex,
  validateManifest,
  type Descriptor,
  type ImageManifest,
} from '../../api/oci/index.js';
import type { PendingBlob } from '../content/index.js';
import type { SpooledArchive } from './archive-spool.js';
import { chainIds } from './chain-id.js';
import { MAX_JSON_BLOB, hostPlatform, parseImageConfig } from './image-config.js';
import { normalizeReference } from './reference.js';
import type { ImageConfig } from './types.js';

export interface PlannedLayer {
  blob: PendingBlob;
  mediaType: string;
  compression: 'none' | 'gzip';
  diffId: string;
  chainId: string;
}

export interface PlannedImage {
  config: PendingBlob;
  configJson: ImageConfig;
  /** Manifest bytes: from the archive (OCI) or made here (docker-save). */
  manifest: Buffer;
  manifestMediaType: string;
  layers: PlannedLayer[];
  /** Normalized references. */
  tags: string[];
}

function readSmall(blob: PendingBlob, what: string): Buffer {
  if (blob.size > MAX_JSON_BLOB) throw invalidArgument(`${what} is larger than ${MAX_JSON_BLOB} bytes`);
  return fs.readFileSync(blob.path);
}

export function sniffCompression(blob: PendingBlob, what: string): 'none' | 'gzip' {
  const head = Buffer.alloc(4);
  const fd = fs.openSync(blob.path, 'r');
  let n = 0;
  try {
    n = fs.readSync(fd, head, 0, 4, 0);
  } finally {
    fs.closeSync(fd);
  }
  if (n >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (n === 4 && head.readUInt32LE(0) === 0xfd2fb528) throw notImplemented(`${what} is zstd-compressed; berth cannot unpack zstd layers yet`);
  return 'none';
}

function layerMediaType(c: 'none' | 'gzip'): string {
  return c === 'gzip' ? MediaTypes.ociLayerGzip : MediaTypes.ociLayer;
}

export function planArchive(archive: SpooledArchive): PlannedImage[] {
  if (archive.get('manifest.json')) return planDockerArchive(archive);
  if (archive.get('index.json')) return planOciLayout(archive);
  throw invalidArgument('image archive has neither manifest.json (docker save) nor index.json (OCI layout)');
}

function planDockerArchive(archive: SpooledArchive): PlannedImage[] {
  const entries = validateDockerArchiveManifest(parseJson(readSmall(archive.get('manifest.json')!, 'manifest.json'), 'manifest.json'));
  return entries.map((e, i) => {
    const what = `manifest.json entry ${i}`;
    const config = archive.get(e.Config);
    if (!config) throw invalidArgument(`${what}: config ${JSON.stringify(e.Config)} is not in the archive`);
    const configJson = parseImageConfig(readSmall(config, `config ${e.Config}`), `config ${e.Config}`);
    const named = /^(?:blobs\/sha256\/)?([a-f0-9]{64})(?:\.json)?$/.exec(e.Config);
    if (named && 'sha256:' + named[1] !== config.digest) throw invalidArgument(`config ${e.Config}: digest mismatch: its name says sha256:${named[1]}, content is ${config.digest}`);
    const diffIds = configJson.rootfs.diff_ids;
    if (diffIds.length !== e.Layers.length) throw invalidArgument(`${what}: ${e.Layers.length} layers but the config lists ${diffIds.length} diff_ids`);
    const chains = chainIds(diffIds);
    const layers = e.Layers.map((p, j): PlannedLayer => {
      const blob = archive.get(p);
      if (!blob) throw invalidArgument(`${what}: layer ${JSON.stringify(p)} is not in the archive`);
      const compression = sniffCompression(blob, `layer ${p}`);
      if (compression === 'none' && blob.digest !== diffIds[j]) throw invalidArgument(`layer ${p}: digest mismatch: the config says ${diffIds[j]}, content is ${blob.digest}`);
      return { blob, mediaType: layerMediaType(compression), compression, diffId: diffIds[j]!, chainId: chains[j]! };
    });
    const manifest: ImageManifest = {
      schemaVersion: 2,
      mediaType: MediaTypes.ociManifest,
      config: { mediaType: MediaTypes.ociConfig, digest: config.digest, size: config.size },
      layers: layers.map((l) => ({ mediaType: l.mediaType, digest: l.blob.digest, size: l.blob.size })),
    };
    const tags = (e.RepoTags ?? []).map((t) => normalizeReference(t));
    return { config, configJson, manifest: Buffer.from(JSON.stringify(manifest)), manifestMediaType: MediaTypes.ociManifest, layers, tags };
  });
}

function blobFor(archive: SpooledArchive, d: Descriptor, what: string): PendingBlob {
  const blob = archive.get(`blobs/sha256/${digestHex(d.digest)}`);
  if (!blob) throw invalidArgument(`${what} ${d.digest} is not in the archive`);
  if (blob.digest !== d.digest) throw invalidArgument(`${what} blobs/sha256/${digestHex(d.digest)}: digest mismatch: content is ${blob.digest}`);
  if (blob.size !== d.size) throw invalidArgument(`${what} ${d.digest}: size mismatch: descriptor says ${d.size}, blob has ${blob.size}`);
  return blob;
}

function nameOf(d: Descriptor): string | undefined {
  const a = d.annotations ?? {};
  const full = a[Annotations.containerdImageName];
  if (full) return normalizeReference(full);
  const ref = a[Annotations.refName];
  // The OCI annotation is often a bare tag ("latest"): that names no repository, so no tag.
  if (ref && /[:/@]/.test(ref)) {
    try {
      return normalizeReference(ref);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

function planOciLayout(archive: SpooledArchive): PlannedImage[] {
  const index = validateIndex(parseJson(readSmall(archive.get('index.json')!, 'index.json'), 'index.json'), 'index.json');
  const byManifest = new Map<string, PlannedImage>();
  for (const top of index.manifests) {
    const chosen = resolveManifest(archive, top, 0);
    const name = nameOf(top);
    let planned = byManifest.get(chosen.digest);
    if (!planned) {
      planned = planManifest(archive, chosen);
      byManifest.set(chosen.digest, planned);
    }
    if (name && !planned.tags.includes(name)) planned.tags.push(name);
  }
  return [...byManifest.values()];
}

/** Follows nested indexes down to one image manifest for this host's platform. */
function resolveManifest(archive: SpooledArchive, d: Descriptor, depth: number): Descriptor {
  if (depth > 4) throw invalidArgument(`index nesting deeper than 4 at ${d.digest}`);
  if (!isIndexMediaType(d.mediaType)) return d;
  const blob = blobFor(archive, d, 'index');
  const nested = validateIndex(parseJson(readSmall(blob, `index ${d.digest}`), `index ${d.digest}`), `index ${d.digest}`);
  const host = hostPlatform();
  const match =
    nested.manifests.find((m) => m.platform && m.platform.os === host.os && m.platform.architecture === host.architecture) ??
    nested.manifests.find((m) => !m.platform);
  if (!match) throw invalidArgument(`index ${d.digest} has no manifest for ${host.os}/${host.architecture}`);
  return resolveManifest(archive, match, depth + 1);
}

function planManifest(archive: SpooledArchive, d: Descriptor): PlannedImage {
  const blob = blobFor(archive, d, 'manifest');
  const raw = readSmall(blob, `manifest ${d.digest}`);
  const manifest = validateManifest(parseJson(raw, `manifest ${d.digest}`), `manifest ${d.digest}`);
  const config = blobFor(archive, manifest.config, 'config');
  const configJson = parseImageConfig(readSmall(config, `config ${config.digest}`), `config ${config.digest}`);
  const diffIds = configJson.rootfs.diff_ids;
  if (diffIds.length !== manifest.layers.length) throw invalidArgument(`manifest ${d.digest}: ${manifest.layers.length} layers but the config lists ${diffIds.length} diff_ids`);
  const chains = chainIds(diffIds);
  const layers = manifest.layers.map((l, j): PlannedLayer => {
    const lb = blobFor(archive, l, 'layer');
    const announced = layerCompressionOf(l.mediaType);
    if (announced === 'zstd') throw notImplemented(`layer ${l.digest} is zstd-compressed (${l.mediaType}); berth cannot unpack zstd layers yet`);
    const compression = sniffCompression(lb, `layer ${l.digest}`);
    return { blob: lb, mediaType: l.mediaType, compression, diffId: diffIds[j]!, chainId: chains[j]! };
  });
  return { config, configJson, manifest: raw, manifestMediaType: manifest.mediaType ?? d.mediaType, layers, tags: [] };
}
