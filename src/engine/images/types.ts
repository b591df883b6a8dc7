/**
 * The image service's and snapshotter's contract, as the container manager uses them.
 * Words: an image "id" is `sha256:<hex of the config blob>`; a "reference" is what users type
 * (`busybox`, `busybox:1`, `docker.io/library/busybox:latest`, `name@sha256:…`, an id or id prefix).
 * A layer snapshot is keyed by its "chainID" (OCI image spec: chainID(L0)=diffID(L0),
 * chainID(Ln)=sha256(chainID(Ln-1) + " " + diffID(Ln))).
 */
import type { ImageConfig } from '../../api/oci/types.js';

/** The OCI image config (image-spec config.json) is a wire type: it lives in src/api/oci. */
export type { ImageConfig };

export interface ImageRecord {
  id: string; // sha256:<config digest hex>
  repoTags: string[]; // familiar form: "busybox:latest", "example.com/x/y:1"
  repoDigests: string[]; // "busybox@sha256:…"
  config: ImageConfig;
  chainIds: string[]; // bottom layer first; one per diff_id
  size: number; // bytes of unpacked layers
  created: string;
  /** Digest of the image manifest in the content store (made up for docker-save loads). Added field. */
  manifestDigest?: string;
}

/** A container's root filesystem: a writable layer over the image's read-only layers. */
export interface RootfsSnapshot {
  key: string; // the container id
  path: string; // where the rootfs is (overlay merged dir, or the copied tree)
  kind: 'overlay' | 'copy';
}

export interface ImageService {
  /** Throws NotFound `image "x" not found`. */
  resolve(reference: string): ImageRecord;
  list(): ImageRecord[];
}

export interface Snapshotter {
  /** Creates (and mounts) a fresh writable rootfs for `key` over the given layers. */
  prepare(key: string, chainIds: string[]): Promise<RootfsSnapshot>;
  /** Mounts an existing container rootfs again (after a reboot or daemon restart); idempotent. */
  mount(key: string): Promise<RootfsSnapshot>;
  /** Unmounts, keeping the writable layer; idempotent. */
  unmount(key: string): Promise<void>;
  /** Unmounts and deletes the writable layer; idempotent. */
  remove(key: string): Promise<void>;
}
