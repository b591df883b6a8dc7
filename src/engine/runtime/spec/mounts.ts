/**
 * The container's filesystem mounts, in mount order (parents before children): Docker's default
 * /proc, /dev, /dev/pts, /dev/shm, /dev/mqueue, /sys, /sys/fs/cgroup, then the per-container
 * files (/etc/hosts, /etc/hostname, /etc/resolv.conf) and /dev/init.
 */
import type { OciMount } from '../../../api/oci/runtime-spec.js';

export const DefaultShmSize = 64 * 1024 * 1024;

export interface MountInput {
  files: { hosts: string; hostname: string; resolvConf: string };
  shmPath?: string;
  shmSize: number;
  initPath?: string;
  readOnlyRootfs: boolean;
  privileged: boolean;
  userns: boolean;
  /** The container gets its own network namespace (sysfs can only be mounted fresh then, under a user namespace). */
  ownNetns: boolean;
  /** The container's own mounts (volumes, binds, tmpfs). */
  extra?: OciMount[];
}

export function buildMounts(m: MountInput): OciMount[] {
  const sysRo = m.privileged ? [] : ['ro'];
  const mounts: OciMount[] = [
    { destination: '/proc', type: 'proc', source: 'proc', options: ['nosuid', 'noexec', 'nodev'] },
    { destination: '/dev', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k'] },
    { destination: '/dev/pts', type: 'devpts', source: 'devpts', options: ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620', 'gid=5'] },
    m.shmPath
      ? { destination: '/dev/shm', type: 'bind', source: m.shmPath, options: ['rbind', 'rprivate', 'nosuid', 'noexec', 'nodev'] }
      : { destination: '/dev/shm', type: 'tmpfs', source: 'shm', options: ['nosuid', 'noexec', 'nodev', 'mode=1777', `size=${m.shmSize}`] },
    { destination: '/dev/mqueue', type: 'mqueue', source: 'mqueue', options: ['nosuid', 'noexec', 'nodev'] },
    // A user namespace may not mount sysfs for a network namespace it does not own: bind the host's then.
    m.userns && !m.ownNetns
      ? { destination: '/sys', type: 'bind', source: '/sys', options: ['rbind', 'nosuid', 'noexec', 'nodev', ...sysRo] }
      : { destination: '/sys', type: 'sysfs', source: 'sysfs', options: ['nosuid', 'noexec', 'nodev', ...sysRo] },
    // Docker clears "ro" on the cgroup mount for privileged and user-namespaced containers (remount limits).
    { destination: '/sys/fs/cgroup', type: 'cgroup', source: 'cgroup', options: [...(m.privileged || m.userns ? [] : ['ro']), 'nosuid', 'noexec', 'nodev'] },
  ];
  // Docker makes these files read-only together with a read-only rootfs.
  const fileOpts = ['rbind', 'rprivate', ...(m.readOnlyRootfs ? ['ro'] : [])];
  mounts.push(
    { destination: '/etc/hosts', type: 'bind', source: m.files.hosts, options: fileOpts },
    { destination: '/etc/hostname', type: 'bind', source: m.files.hostname, options: fileOpts },
    { destination: '/etc/resolv.conf', type: 'bind', source: m.files.resolvConf, options: fileOpts },
  );
  if (m.initPath) mounts.push({ destination: '/dev/init', type: 'bind', source: m.initPath, options: ['bind', 'ro'] });
  return withExtraMounts(mounts, m.extra ?? []);
}

/**
 * Docker: a container's own mount replaces a default one at the same destination (e.g. /dev/shm,
 * /etc/hosts), and its mounts go parents first (fewest path components first, stable otherwise).
 */
function withExtraMounts(defaults: OciMount[], extra: OciMount[]): OciMount[] {
  if (extra.length === 0) return defaults;
  const taken = new Set(extra.map((e) => e.destination));
  const depth = (p: string) => p.split('/').filter(Boolean).length;
  const sorted = extra.map((e, i) => ({ e, i })).sort((a, b) => depth(a.e.destination) - depth(b.e.destination) || a.i - b.i).map(({ e }) => e);
  return [...defaults.filter((d) => !taken.has(d.destination)), ...sorted];
}
