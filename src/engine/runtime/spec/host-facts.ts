/**
 * Facts about this machine that shape a spec: the daemon's own hard rlimits and capabilities
 * (a container can never get more), swap accounting, architecture, kernel, and host devices for
 * privileged containers. Read once per process; tests build their own HostFacts instead.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { OciDevice } from '../../../api/oci/runtime-spec.js';
import { nativeArch } from '../seccomp/index.js';
import { capabilitiesFromMask, KnownCapabilities } from './capabilities.js';

export interface HostFacts {
  /** RLIMIT_* → the daemon's hard limit; Infinity when unlimited. */
  hardRlimits: Record<string, number>;
  /** Capabilities the daemon holds in its bounding set ("CAP_*"). */
  capabilities: string[];
  /** Whether memory+swap limits can be set (v1 memory.memsw.*, or cgroup v2). */
  swapAccounting: boolean;
  /** moby native arch name ("amd64"). */
  arch: string;
  /** Kernel release (os.release()). */
  kernel: string;
  /** The host's hostname (containers in host network mode show it). */
  hostname: string;
  /** CPUs usable by containers (bounds --cpus). */
  onlineCpus: number;
  /** Device nodes under the host's /dev, for privileged containers. */
  hostDevices(): OciDevice[];
}

/** /proc/self/limits row label → RLIMIT name. */
const limitRows: Record<string, string> = {
  'Max cpu time': 'RLIMIT_CPU', 'Max file size': 'RLIMIT_FSIZE', 'Max data size': 'RLIMIT_DATA', 'Max stack size': 'RLIMIT_STACK',
  'Max core file size': 'RLIMIT_CORE', 'Max resident set': 'RLIMIT_RSS', 'Max processes': 'RLIMIT_NPROC', 'Max open files': 'RLIMIT_NOFILE',
  'Max locked memory': 'RLIMIT_MEMLOCK', 'Max address space': 'RLIMIT_AS', 'Max file locks': 'RLIMIT_LOCKS',
  'Max pending signals': 'RLIMIT_SIGPENDING', 'Max msgqueue size': 'RLIMIT_MSGQUEUE', 'Max nice priority': 'RLIMIT_NICE',
  'Max realtime priority': 'RLIMIT_RTPRIO', 'Max realtime timeout': 'RLIMIT_RTTIME',
};

/** Parses /proc/<pid>/limits text into RLIMIT_* → hard limit. */
export function parseProcLimits(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const label = Object.keys(limitRows).find((l) => line.startsWith(l + ' '));
    if (!label) continue;
    const fields = line.slice(label.length).trim().split(/\s+/);
    const hard = fields[1];
    if (hard === undefined) continue;
    out[limitRows[label]!] = hard === 'unlimited' ? Infinity : Number(hard);
  }
  return out;
}

function readOr(file: string, fallback: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return fallback;
  }
}

function swapAccounting(): boolean {
  if (fs.existsSync('/sys/fs/cgroup/cgroup.controllers')) return true; // pure v2: memory.swap.max exists per cgroup
  return fs.existsSync('/sys/fs/cgroup/memory/memory.memsw.limit_in_bytes');
}

/** Major/minor from a Linux dev_t (glibc encoding). */
export function devNumbers(rdev: bigint): { major: number; minor: number } {
  const major = Number(((rdev >> 8n) & 0xfffn) | ((rdev >> 32n) & 0xfffff000n));
  const minor = Number((rdev & 0xffn) | ((rdev >> 12n) & 0xffffff00n));
  return { major, minor };
}

/** Walks /dev like containerd's HostDevices: char and block nodes, skipping per-container trees. */
export function listHostDevices(root = '/dev'): OciDevice[] {
  const skipDirs = new Set(['pts', 'shm', 'fd', 'mqueue', '.lxc', '.lxd-mounts', '.udev']);
  const out: OciDevice[] = [];
  const walk = (dir: string): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (!(dir === root && skipDirs.has(e.name))) walk(p);
        continue;
      }
      if (p === path.join(root, 'console') || !(e.isCharacterDevice() || e.isBlockDevice())) continue;
      const st = fs.lstatSync(p, { bigint: true });
      const { major, minor } = devNumbers(st.rdev);
      out.push({ type: e.isCharacterDevice() ? 'c' : 'b', path: p, major, minor, fileMode: Number(st.mode & 0o777n), uid: Number(st.uid), gid: Number(st.gid) });
    }
  };
  walk(root);
  return out;
}

let cached: HostFacts | undefined;

export function hostFacts(): HostFacts {
  if (cached) return cached;
  const status = readOr('/proc/self/status', '');
  const bnd = /^CapBnd:\s*([0-9a-f]+)/m.exec(status);
  const lastCap = Number(readOr('/proc/sys/kernel/cap_last_cap', String(KnownCapabilities.length - 1)).trim());
  const capabilities = (bnd ? capabilitiesFromMask(bnd[1]!) : [...KnownCapabilities]).filter((c) => KnownCapabilities.indexOf(c) <= lastCap);
  cached = {
    hardRlimits: parseProcLimits(readOr('/proc/self/limits', '')),
    capabilities,
    swapAccounting: swapAccounting(),
    arch: nativeArch(),
    kernel: os.release(),
    hostname: os.hostname(),
    onlineCpus: os.availableParallelism(),
    hostDevices: () => listHostDevices(),
  };
  return cached;
}
