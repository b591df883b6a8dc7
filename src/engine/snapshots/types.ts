/**
 * The snapshotter as the image store sees it. Words: a "layer" is one image layer unpacked once
 * into `<root>/layers/<chainID hex>/fs`, read-only and shared by every container; a "snapshot"
 * is one container's writable rootfs (key = container id) over a stack of layers.
 */
import type { Readable } from 'node:stream';
import type { RootfsSnapshot, Snapshotter } from '../images/types.js';
import type { UnpackLimits } from './limits.js';

export type SnapshotDriver = 'overlay' | 'copy';

export interface LayerInfo {
  chainId: string;
  diffId: string;
  /** Bytes of regular-file content unpacked. */
  size: number;
  /** Bytes of the uncompressed layer tar (what `docker save` writes). */
  tarSize: number;
  entries: number;
  createdAt: string;
}

export interface SnapshotInfo {
  key: string;
  chainIds: string[];
  kind: SnapshotDriver;
  mounted: boolean;
  createdAt: string;
}

export interface ApplyLayerRequest {
  chainId: string;
  /** sha256 of the uncompressed tar; the stream is hashed and refused on mismatch. */
  diffId: string;
  /** The uncompressed layer tar. */
  tar: Readable;
  /** Called with the bytes of tar read so far. */
  onProgress?: (bytesRead: number) => void;
}

export interface LayerSnapshotter extends Snapshotter {
  readonly driver: SnapshotDriver;
  readonly root: string;
  hasLayer(chainId: string): boolean;
  /** NotFound if absent. */
  getLayer(chainId: string): LayerInfo;
  /**
   * Unpacks a layer atomically (temp dir inside the layers dir, renamed on success, deleted on
   * failure). If the layer already exists, the stream is still read to verify the diffID.
   */
  applyLayer(req: ApplyLayerRequest): Promise<LayerInfo>;
  /** Deletes a layer; FailedPrecondition while a snapshot uses it; false if it was absent. */
  removeLayer(chainId: string): Promise<boolean>;
  /** Every layer. */
  list(): LayerInfo[];
  /** Every container snapshot. */
  snapshots(): SnapshotInfo[];
  usage(): { layers: number; layerBytes: number; snapshots: number };
  /** The read-only directory of a layer (its own diff, overlay whiteout form). */
  layerPath(chainId: string): string;
}

export type { RootfsSnapshot, Snapshotter, UnpackLimits };
