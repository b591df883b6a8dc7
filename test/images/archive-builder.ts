/** Builds docker-save and OCI-layout archives in memory from layer tars (for tests). */
import { buildTar, sha256, type TarEntry } from './tar-builder.js';

export interface BuiltImage {
  archive: Buffer;
  configDigest: string;
  diffIds: string[];
}

export function imageConfig(diffIds: string[], history?: Array<Record<string, unknown>>): Buffer {
  return Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      created: '2024-01-01T00:00:00Z',
      config: { Cmd: ['sh'] },
      rootfs: { type: 'layers', diff_ids: diffIds },
      history: history ?? diffIds.map((_, i) => ({ created: '2024-01-01T00:00:00Z', created_by: `layer ${i}` })),
    }),
  );
}

export async function dockerArchive(layers: Buffer[], repoTags: string[] | null, opts: { config?: Buffer; layerNames?: string[] } = {}): Promise<BuiltImage> {
  const diffIds = layers.map((l) => sha256(l));
  const config = opts.config ?? imageConfig(diffIds);
  const configName = sha256(config).slice(7) + '.json';
  const layerNames = opts.layerNames ?? diffIds.map((d) => `${d.slice(7)}/layer.tar`);
  const entries: TarEntry[] = [{ name: configName, data: config }];
  layers.forEach((l, i) => entries.push({ name: layerNames[i]!, data: l }));
  entries.push({ name: 'manifest.json', data: JSON.stringify([{ Config: configName, RepoTags: repoTags, Layers: layerNames }]) });
  return { archive: await buildTar(entries), configDigest: sha256(config), diffIds };
}

export async function ociArchive(
  blobs: Array<{ mediaType: string; data: Buffer; diffId: string }>,
  refName: string,
): Promise<BuiltImage> {
  const diffIds = blobs.map((b) => b.diffId);
  const config = imageConfig(diffIds);
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha256(config), size: config.length },
      layers: blobs.map((b) => ({ mediaType: b.mediaType, digest: sha256(b.data), size: b.data.length })),
    }),
  );
  const index = {
    schemaVersion: 2,
    manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: sha256(manifest), size: manifest.length, annotations: { 'org.opencontainers.image.ref.name': refName } }],
  };
  const entries: TarEntry[] = [
    { name: 'oci-layout', data: '{"imageLayoutVersion":"1.0.0"}' },
    { name: 'index.json', data: JSON.stringify(index) },
    { name: 'blobs/sha256/' + sha256(config).slice(7), data: config },
    { name: 'blobs/sha256/' + sha256(manifest).slice(7), data: manifest },
    ...blobs.map((b) => ({ name: 'blobs/sha256/' + sha256(b.data).slice(7), data: b.data })),
  ];
  return { archive: await buildTar(entries), configDigest: sha256(config), diffIds };
}
