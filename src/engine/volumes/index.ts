/**
 * The volumes subsystem's entry point: the local volume driver under <data-dir>/volumes, with the
 * hook the container manager uses to give containers their mounts (see types.ts).
 */
import { LocalVolumes, type LocalVolumesOptions } from './service.js';

export function openVolumes(o: LocalVolumesOptions): LocalVolumes {
  return new LocalVolumes(o);
}

export type { LocalVolumes } from './service.js';
export { ociMounts } from './oci-mounts.js';
export * from './types.js';
