/**
 * Reading containers' cgroups: mode detection, stats (`docker stats`), member pids (`docker top`)
 * and whether the OOM killer struck. Limits are written by the runtime from the spec; this
 * module only reads. The *From variants take an explicit layout so they run against fixtures.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { notFound } from '../../../base/errors.js';
import type { ContainerStats } from '../../containers/types.js';
import { parseKeyValues, readText, readTextSync } from './files.js';
import { checkCgroupsPath, hostLayout, type CgroupLayout, type CgroupMode } from './layout.js';
import { readBlkioV1, readBlkioV2, v1BlkioDir } from './blkio.js';
import { readProcStat } from './proc-stat.js';
import { readV1, v1Dirs } from './stats-v1.js';
import { readV2 } from './stats-v2.js';

export { parseMountinfo, hostLayout, type CgroupLayout, type CgroupMode } from './layout.js';
export { parseProcStat } from './proc-stat.js';

export function cgroupMode(): CgroupMode {
  return hostLayout().mode;
}

/** v2 holds the controllers only in pure v2 mode; hybrid hosts keep them on v1. */
const usesV2 = (layout: CgroupLayout): boolean => layout.mode === 'v2' && layout.unified !== undefined;

/** The directories that must exist for the container's cgroup to exist. */
function primaryDir(layout: CgroupLayout, cgroupsPath: string): string {
  if (usesV2(layout)) return path.join(layout.unified!, cgroupsPath);
  const ctrl = ['memory', 'pids', 'cpuacct', 'cpu', 'devices'].find((c) => layout.v1[c]) ?? Object.keys(layout.v1)[0];
  if (!ctrl) throw notFound('no cgroup hierarchy is mounted');
  return path.join(layout.v1[ctrl]!, cgroupsPath);
}

export interface StatsSources { layout: CgroupLayout; procStat: string; machineMemory: number; now?: () => Date }

export async function readStatsFrom(cgroupsPath: string, src: StatsSources): Promise<ContainerStats> {
  checkCgroupsPath(cgroupsPath);
  const dir = primaryDir(src.layout, cgroupsPath);
  if (!fs.existsSync(dir)) throw notFound(`cgroup ${JSON.stringify(cgroupsPath)} not found`);
  const [cg, sys, blkio] = await Promise.all([
    usesV2(src.layout) ? readV2(dir, src.machineMemory) : readV1(v1Dirs(src.layout.v1, cgroupsPath), src.machineMemory),
    readProcStat(src.procStat),
    usesV2(src.layout) ? readBlkioV2(dir) : readBlkioV1(v1BlkioDir(src.layout.v1, cgroupsPath)),
  ]);
  return {
    read: (src.now ?? (() => new Date()))().toISOString(),
    cpu: { ...cg.cpu, systemUsageNs: sys.systemUsageNs, onlineCpus: cg.cpu.perCpuUsageNs.length || sys.onlineCpus },
    memory: cg.memory,
    pids: cg.pids,
    blkio,
  };
}

/** Stats for the container whose cgroup is `cgroupsPath` ("/berth/<id>"); NotFound when it has none. */
export async function readStats(cgroupsPath: string): Promise<ContainerStats> {
  return readStatsFrom(cgroupsPath, { layout: hostLayout(), procStat: '/proc/stat', machineMemory: os.totalmem() });
}

/** Host pids in the cgroup and its descendants, ascending; NotFound when the cgroup does not exist. */
export async function readPidsFrom(cgroupsPath: string, layout: CgroupLayout): Promise<number[]> {
  checkCgroupsPath(cgroupsPath);
  const root = usesV2(layout) ? path.join(layout.unified!, cgroupsPath) : path.join(layout.v1.pids ?? layout.v1.memory ?? primaryDir(layout, '/'), cgroupsPath);
  if (!fs.existsSync(root)) throw notFound(`cgroup ${JSON.stringify(cgroupsPath)} not found`);
  const pids = new Set<number>();
  const walk = async (dir: string): Promise<void> => {
    for (const p of (await readText(dir, 'cgroup.procs'))?.split('\n') ?? []) if (/^\d+$/.test(p.trim())) pids.add(Number(p));
    let entries: fs.Dirent[] = [];
    try {
      entries = await fs.promises.readdir(dir, { withFileTypes: true });
    } catch {
      return; // removed meanwhile
    }
    for (const e of entries) if (e.isDirectory()) await walk(path.join(dir, e.name));
  };
  await walk(root);
  return [...pids].sort((a, b) => a - b);
}

export async function readPids(cgroupsPath: string): Promise<number[]> {
  return readPidsFrom(cgroupsPath, hostLayout());
}

/** True when the kernel OOM-killed a process in the cgroup (v1 memory.oom_control / v2 memory.events "oom_kill"). */
export function oomKilledFrom(cgroupsPath: string, layout: CgroupLayout): boolean {
  checkCgroupsPath(cgroupsPath);
  if (usesV2(layout)) return (parseKeyValues(readTextSync(path.join(layout.unified!, cgroupsPath), 'memory.events')).oom_kill ?? 0) > 0;
  const mem = layout.v1.memory;
  if (!mem) return false;
  return (parseKeyValues(readTextSync(path.join(mem, cgroupsPath), 'memory.oom_control')).oom_kill ?? 0) > 0;
}

/** Read it before the cgroup is removed: afterwards the answer is false. */
export function oomKilled(cgroupsPath: string): boolean {
  return oomKilledFrom(cgroupsPath, hostLayout());
}
