/**
 * Linux capabilities for a container, with Docker's semantics (moby oci/caps): the default set,
 * cap-add/cap-drop with "ALL", names with or without "CAP_", and privileged = everything.
 * "Everything" means what this daemon itself holds (its bounding set): asking the runtime for a
 * capability the daemon lacks makes the container fail to start (this host has no
 * CAP_SYS_RESOURCE), so such names are dropped with a warning instead.
 */
import { invalidArgument } from '../../../base/errors.js';

/** Capability names by number (linux/capability.h), CAP_CHOWN = 0 … CAP_CHECKPOINT_RESTORE = 40. */
export const KnownCapabilities: readonly string[] = [
  'CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_DAC_READ_SEARCH', 'CAP_FOWNER', 'CAP_FSETID', 'CAP_KILL', 'CAP_SETGID', 'CAP_SETUID',
  'CAP_SETPCAP', 'CAP_LINUX_IMMUTABLE', 'CAP_NET_BIND_SERVICE', 'CAP_NET_BROADCAST', 'CAP_NET_ADMIN', 'CAP_NET_RAW',
  'CAP_IPC_LOCK', 'CAP_IPC_OWNER', 'CAP_SYS_MODULE', 'CAP_SYS_RAWIO', 'CAP_SYS_CHROOT', 'CAP_SYS_PTRACE', 'CAP_SYS_PACCT',
  'CAP_SYS_ADMIN', 'CAP_SYS_BOOT', 'CAP_SYS_NICE', 'CAP_SYS_RESOURCE', 'CAP_SYS_TIME', 'CAP_SYS_TTY_CONFIG', 'CAP_MKNOD',
  'CAP_LEASE', 'CAP_AUDIT_WRITE', 'CAP_AUDIT_CONTROL', 'CAP_SETFCAP', 'CAP_MAC_OVERRIDE', 'CAP_MAC_ADMIN', 'CAP_SYSLOG',
  'CAP_WAKE_ALARM', 'CAP_BLOCK_SUSPEND', 'CAP_AUDIT_READ', 'CAP_PERFMON', 'CAP_BPF', 'CAP_CHECKPOINT_RESTORE',
];

/** Docker's default capability set (moby oci/caps/defaults.go). */
export const DefaultCapabilities: readonly string[] = [
  'CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_FSETID', 'CAP_FOWNER', 'CAP_MKNOD', 'CAP_NET_RAW', 'CAP_SETGID', 'CAP_SETUID',
  'CAP_SETFCAP', 'CAP_SETPCAP', 'CAP_NET_BIND_SERVICE', 'CAP_SYS_CHROOT', 'CAP_KILL', 'CAP_AUDIT_WRITE',
];

/** Capabilities in a /proc/<pid>/status CapBnd hex mask, limited to known names. */
export function capabilitiesFromMask(hexMask: string): string[] {
  const mask = BigInt('0x' + hexMask.trim());
  return KnownCapabilities.filter((_, i) => (mask >> BigInt(i)) & 1n);
}

/** Upper-cases and prefixes CAP_; keeps "ALL"; unknown names → InvalidArgument like Docker. */
export function normalizeCapabilities(names: readonly string[]): string[] {
  return names.map((raw) => {
    const up = raw.trim().toUpperCase();
    if (up === 'ALL') return up;
    const c = up.startsWith('CAP_') ? up : `CAP_${up}`;
    if (!KnownCapabilities.includes(c)) throw invalidArgument(`unknown capability: ${JSON.stringify(c)}`);
    return c;
  });
}

/**
 * The container's capability list (moby TweakCapabilities), restricted to `available` (what the
 * daemon holds). Warnings name capabilities asked for but not available.
 */
export function resolveCapabilities(
  opts: { capAdd?: readonly string[]; capDrop?: readonly string[]; privileged?: boolean },
  available: readonly string[],
  warnings: string[],
): string[] {
  if (opts.privileged) return [...available];
  const adds = normalizeCapabilities(opts.capAdd ?? []);
  const drops = normalizeCapabilities(opts.capDrop ?? []);
  let caps: string[];
  if (adds.includes('ALL')) caps = available.filter((c) => !drops.includes(c));
  else if (drops.includes('ALL')) caps = [...adds];
  else caps = [...DefaultCapabilities.filter((c) => !drops.includes(c)), ...adds];
  const out: string[] = [];
  for (const c of caps) {
    if (out.includes(c)) continue;
    if (!available.includes(c)) {
      warnings.push(`capability ${c} is not available to the daemon and was not granted`);
      continue;
    }
    out.push(c);
  }
  return out;
}
