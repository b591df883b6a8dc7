/**
 * Where the cgroup hierarchies are: v1 controllers each on their own mount (cpu and cpuacct may
 * be separate or joined), a v2 unified mount, or both ("hybrid": controllers on v1, an empty v2
 * beside them — this project's hosts). Found from /proc/self/mountinfo, so unusual mount points
 * work too. A container's cgroup for a controller is `<mount point><cgroupsPath>`.
 */
import fs from 'node:fs';
import { invalidArgument } from '../../../base/errors.js';

export type CgroupMode = 'v1' | 'v2' | 'hybrid';

export interface CgroupLayout {
  mode: CgroupMode;
  /** v1 controller name → mount point (e.g. memory → /sys/fs/cgroup/memory). */
  v1: Record<string, string>;
  /** The cgroup2 mount point, if any (in hybrid mode it holds no controllers). */
  unified?: string;
}

/** mountinfo's octal escapes (\040 for a space) back to characters. */
const unescape = (s: string): string => s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));

export function parseMountinfo(text: string): CgroupLayout {
  const v1: Record<string, string> = {};
  let unified: string | undefined;
  for (const line of text.split('\n')) {
    const dash = line.indexOf(' - ');
    if (dash < 0) continue;
    const pre = line.slice(0, dash).split(' ');
    const [fstype, , superOpts = ''] = line.slice(dash + 3).split(' ');
    const mountPoint = unescape(pre[4] ?? '');
    if (fstype === 'cgroup2') unified ??= mountPoint;
    if (fstype !== 'cgroup') continue;
    for (const opt of superOpts.split(',')) {
      if (opt === 'rw' || opt === 'ro' || opt.startsWith('name=') || opt.includes('=') || opt === 'clone_children' || opt === 'noprefix') continue;
      v1[opt] ??= mountPoint;
    }
  }
  const hasV1 = Object.keys(v1).length > 0;
  const mode: CgroupMode = hasV1 ? (unified ? 'hybrid' : 'v1') : 'v2';
  return unified ? { mode, v1, unified } : { mode, v1 };
}

let cached: CgroupLayout | undefined;

export function hostLayout(): CgroupLayout {
  cached ??= parseMountinfo(fs.readFileSync('/proc/self/mountinfo', 'utf8'));
  return cached;
}

/** Validates a cgroups path ("/berth/<id>"): absolute, no "..", so it cannot point outside the hierarchy. */
export function checkCgroupsPath(cgroupsPath: string): void {
  if (!cgroupsPath.startsWith('/') || cgroupsPath.split('/').includes('..') || cgroupsPath.includes('\0'))
    throw invalidArgument(`invalid cgroups path ${JSON.stringify(cgroupsPath)}`);
}
