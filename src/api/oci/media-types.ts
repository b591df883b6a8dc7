/** OCI image-spec and Docker schema2 media types berth reads and writes. */
export const MediaTypes = {
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  ociLayer: 'application/vnd.oci.image.layer.v1.tar',
  ociLayerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  ociLayerZstd: 'application/vnd.oci.image.layer.v1.tar+zstd',
  ociLayerNondistributable: 'application/vnd.oci.image.layer.nondistributable.v1.tar',
  ociLayerNondistributableGzip: 'application/vnd.oci.image.layer.nondistributable.v1.tar+gzip',
  dockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  dockerLayer: 'application/vnd.docker.image.rootfs.diff.tar',
  dockerLayerGzip: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  dockerForeignLayerGzip: 'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip',
} as const;

export const indexMediaTypes: readonly string[] = [MediaTypes.ociIndex, MediaTypes.dockerManifestList];
export const manifestMediaTypes: readonly string[] = [MediaTypes.ociManifest, MediaTypes.dockerManifest];

export const isIndexMediaType = (t: string | undefined): boolean => t !== undefined && indexMediaTypes.includes(t);
export const isManifestMediaType = (t: string | undefined): boolean => t !== undefined && manifestMediaTypes.includes(t);

/** Layer compression as announced by a media type; 'unknown' leaves it to the magic bytes. */
export function layerCompressionOf(mediaType: string): 'none' | 'gzip' | 'zstd' | 'unknown' {
  if (mediaType.endsWith('+zstd') || mediaType.endsWith('.zstd')) return 'zstd';
  if (mediaType.endsWith('+gzip') || mediaType.endsWith('.gzip')) return 'gzip';
  if (mediaType.endsWith('.tar') || mediaType.endsWith('v1.tar')) return 'none';
  return 'unknown';
}

/** Annotation keys that carry an image's name inside an OCI layout's index.json. */
export const Annotations = {
  refName: 'org.opencontainers.image.ref.name',
  containerdImageName: 'io.containerd.image.name',
} as const;
