/** A container's mount points as OCI runtime-spec mounts (binds remounted read-only by the runtime when asked). */
import type { OciMount } from '../../api/oci/runtime-spec.js';
import type { MountPoint } from './types.js';

export function ociMounts(mountPoints: MountPoint[]): OciMount[] {
  return mountPoints.map((mp): OciMount => {
    if (mp.type === 'tmpfs') {
      // Docker's defaults for tmpfs mounts: noexec,nosuid,nodev unless the user says otherwise.
      const user = mp.tmpfsOptions ?? [];
      const defaults = [['exec', 'noexec'], ['suid', 'nosuid'], ['dev', 'nodev']].filter(([on, off]) => !user.includes(on!) && !user.includes(off!)).map(([, off]) => off!);
      return { destination: mp.destination, type: 'tmpfs', source: 'tmpfs', options: [...defaults, ...user, mp.rw ? 'rw' : 'ro'] };
    }
    const propagation = mp.type === 'bind' ? mp.propagation || 'rprivate' : 'rprivate';
    return { destination: mp.destination, type: 'bind', source: mp.source, options: ['rbind', propagation, mp.rw ? 'rw' : 'ro'] };
  });
}
