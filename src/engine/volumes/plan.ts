/**
 * Which mounts a container gets, with Docker's precedence (moby daemon/volumes.go
 * registerMountPoints): its own mounts (-v, --mount, --tmpfs) first, then the mount points of
 * --volumes-from containers, then anonymous volumes for the image's VOLUME paths; a destination
 * taken by an earlier source is skipped by later ones, and twice among the container's own
 * mounts is an error. Pure: nothing is created here.
 */
import { invalidArgument } from '../../base/errors.js';
import { checkTarget, type MountSpec } from '../../api/docker/volume-spec.js';
import type { ContainerMountRequest, MountPoint } from './types.js';

export type PlannedMount =
  | { kind: 'spec'; spec: MountSpec }
  | { kind: 'inherited'; mountPoint: MountPoint }
  | { kind: 'image-volume'; destination: string };

export function planMounts(req: Pick<ContainerMountRequest, 'mounts' | 'volumesFrom' | 'imageVolumes'>): PlannedMount[] {
  const plan: PlannedMount[] = [];
  const taken = new Set<string>();
  for (const spec of req.mounts) {
    const dest = checkTarget(spec.type, spec.target);
    if (taken.has(dest)) throw invalidArgument(`Duplicate mount point: ${dest}`);
    taken.add(dest);
    plan.push({ kind: 'spec', spec: { ...spec, target: dest } });
  }
  for (const from of req.volumesFrom) {
    for (const mp of from.mountPoints) {
      if (mp.type === 'tmpfs' || taken.has(mp.destination)) continue;
      taken.add(mp.destination);
      const rw = from.mode === '' ? mp.rw : from.mode === 'rw';
      plan.push({ kind: 'inherited', mountPoint: { ...mp, rw, mode: from.mode || mp.mode, anonymous: false } });
    }
  }
  for (const raw of req.imageVolumes) {
    // An image is input too: its VOLUME paths get the same checks as the user's.
    const dest = checkTarget('volume', raw);
    if (taken.has(dest)) continue;
    taken.add(dest);
    plan.push({ kind: 'image-volume', destination: dest });
  }
  return plan;
}
