/**
 * Layer snapshots: each image layer unpacked once and shared read-only; per-container writable
 * rootfs on overlayfs, or a plain copy where overlay is unavailable.
 */
import fs from 'node:fs';
import path from 'node:path';
import { unavailable } from '../../base/errors.js';
import { defaultUnpackLimits, type UnpackLimits } from './limits.js';
import { overlayWorks } from './mounts.js';
import { DirSnapshotter } from './snapshotter.js';
import type { LayerSnapshotter } from './types.js';

export type { LayerSnapshotter, LayerInfo, SnapshotInfo, ApplyLayerRequest, SnapshotDriver } from './types.js';
export { defaultUnpackLimits, type UnpackLimits } from './limits.js';

/**
 * Opens (creating if needed) a snapshotter under `root`. `auto` (the default) probes an overlay
 * mount and falls back to `copy`; `overlay` fails with Unavailable when the probe fails.
 */
export async function openSnapshotter(opts: { root: string; driver?: 'overlay' | 'copy' | 'auto'; limits?: Partial<UnpackLimits> }): Promise<LayerSnapshotter> {
  const root = path.resolve(opts.root);
  for (const d of ['layers', 'snapshots', 'l']) fs.mkdirSync(path.join(root, d), { recursive: true });
  // Unpacks and deletes interrupted by a crash.
  for (const name of fs.readdirSync(path.join(root, 'layers'))) {
    if (name.startsWith('.tmp-')) fs.rmSync(path.join(root, 'layers', name), { recursive: true, force: true });
  }
  const wanted = opts.driver ?? 'auto';
  let driver: 'overlay' | 'copy' = 'copy';
  if (wanted !== 'copy') {
    const works = overlayWorks(root);
    if (works) driver = 'overlay';
    else if (wanted === 'overlay') throw unavailable(`overlayfs cannot be mounted under ${root}`);
  }
  return new DirSnapshotter(root, driver, { ...defaultUnpackLimits, ...opts.limits });
}
/** Tar entry-name validation (shared with the image archive reader). */
export { entryComponents as tarEntryComponents } from './entry-path.js';
