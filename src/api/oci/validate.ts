/**
 * Parses untrusted JSON into OCI wire types. Every failure is InvalidArgument naming `what`
 * (e.g. `manifest sha256:…`) and the offending field.
 */
import { invalidArgument } from '../../base/errors.js';
import { assertSha256Digest } from './digest.js';
import type { Descriptor, DockerArchiveEntry, ImageIndex, ImageManifest } from './types.js';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function parseJson(data: Buffer | string, what: string): unknown {
  try {
    return JSON.parse(typeof data === 'string' ? data : data.toString('utf8'));
  } catch (err) {
    throw invalidArgument(`${what} is not valid JSON: ${(err as Error).message}`);
  }
}

function stringMap(v: unknown, what: string): Record<string, string> | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isObject(v) || Object.values(v).some((x) => typeof x !== 'string')) throw invalidArgument(`${what} must map strings to strings`);
  return v as Record<string, string>;
}

export function validateDescriptor(v: unknown, what: string): Descriptor {
  if (!isObject(v)) throw invalidArgument(`${what} is not an object`);
  if (typeof v.mediaType !== 'string' || v.mediaType === '') throw invalidArgument(`${what} has no mediaType`);
  assertSha256Digest(v.digest, `${what} digest`);
  if (typeof v.size !== 'number' || !Number.isSafeInteger(v.size) || v.size < 0) throw invalidArgument(`${what} has an invalid size`);
  const d: Descriptor = { mediaType: v.mediaType, digest: v.digest, size: v.size };
  const annotations = stringMap(v.annotations, `${what} annotations`);
  if (annotations) d.annotations = annotations;
  if (Array.isArray(v.urls)) d.urls = v.urls.filter((u): u is string => typeof u === 'string');
  if (isObject(v.platform)) {
    const p = v.platform;
    if (typeof p.architecture !== 'string' || typeof p.os !== 'string') throw invalidArgument(`${what} platform needs os and architecture`);
    d.platform = { architecture: p.architecture, os: p.os };
    if (typeof p.variant === 'string') d.platform.variant = p.variant;
  }
  return d;
}

export function validateManifest(v: unknown, what: string): ImageManifest {
  if (!isObject(v)) throw invalidArgument(`${what} is not an object`);
  if (v.schemaVersion !== 2) throw invalidArgument(`${what} has schemaVersion ${String(v.schemaVersion)}, expected 2`);
  if (!Array.isArray(v.layers)) throw invalidArgument(`${what} has no layers array`);
  const m: ImageManifest = {
    schemaVersion: 2,
    config: validateDescriptor(v.config, `${what} config`),
    layers: v.layers.map((l, i) => validateDescriptor(l, `${what} layer ${i}`)),
  };
  if (typeof v.mediaType === 'string') m.mediaType = v.mediaType;
  const annotations = stringMap(v.annotations, `${what} annotations`);
  if (annotations) m.annotations = annotations;
  return m;
}

export function validateIndex(v: unknown, what: string): ImageIndex {
  if (!isObject(v)) throw invalidArgument(`${what} is not an object`);
  if (v.schemaVersion !== 2) throw invalidArgument(`${what} has schemaVersion ${String(v.schemaVersion)}, expected 2`);
  if (!Array.isArray(v.manifests)) throw invalidArgument(`${what} has no manifests array`);
  const idx: ImageIndex = { schemaVersion: 2, manifests: v.manifests.map((m, i) => validateDescriptor(m, `${what} manifest ${i}`)) };
  if (typeof v.mediaType === 'string') idx.mediaType = v.mediaType;
  const annotations = stringMap(v.annotations, `${what} annotations`);
  if (annotations) idx.annotations = annotations;
  return idx;
}

export function validateDockerArchiveManifest(v: unknown, what = 'manifest.json'): DockerArchiveEntry[] {
  if (!Array.isArray(v)) throw invalidArgument(`${what} is not a list`);
  return v.map((e, i) => {
    if (!isObject(e) || typeof e.Config !== 'string') throw invalidArgument(`${what} entry ${i} has no Config`);
    if (!Array.isArray(e.Layers) || e.Layers.some((l) => typeof l !== 'string')) throw invalidArgument(`${what} entry ${i} has no Layers list`);
    const tags = e.RepoTags ?? null;
    if (tags !== null && (!Array.isArray(tags) || tags.some((t) => typeof t !== 'string'))) throw invalidArgument(`${what} entry ${i} has bad RepoTags`);
    return { Config: e.Config, RepoTags: tags as string[] | null, Layers: e.Layers as string[] };
  });
}
