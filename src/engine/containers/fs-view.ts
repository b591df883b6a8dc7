/**
 * A container's filesystem as diff/export/commit/cp need it: the rootfs as the container sees
 * it, its own writable layer (overlay: the upper dir; copy: none, the rootfs is a full copy)
 * and the image's read-only layer directories, top first.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ImageService } from '../images/types.js';
import type { LayerSnapshotter } from '../snapshots/index.js';
import type { ContainerInfo } from './types.js';

export interface ContainerFs {
  kind: 'overlay' | 'copy';
  rootfs: string;
  /** overlay only: the container's changes, in overlay whiteout form. */
  upperDir?: string;
  /** The image's layer dirs, topmost first (overlay whiteout form). */
  lowerDirs: string[];
}

export function containerFs(c: ContainerInfo, images: ImageService, snapshots: LayerSnapshotter): ContainerFs {
  const snapshot = snapshots.snapshots().find((s) => s.key === c.id);
  const chainIds = snapshot?.chainIds ?? images.resolve(c.imageId).chainIds;
  const lowerDirs = [...chainIds].reverse().map((id) => snapshots.layerPath(id));
  if ((snapshot?.kind ?? snapshots.driver) === 'copy') return { kind: 'copy', rootfs: c.rootfs, lowerDirs };
  // The overlay snapshot layout (snapshots/snapshotter.ts): <root>/snapshots/<key>/{upper,work,merged}.
  const upperDir = path.join(snapshots.root, 'snapshots', c.id, 'upper');
  if (!fs.existsSync(upperDir)) throw new Error(`container ${c.id.slice(0, 12)} has no writable layer at ${upperDir}`);
  return { kind: 'overlay', rootfs: c.rootfs, upperDir, lowerDirs };
}
