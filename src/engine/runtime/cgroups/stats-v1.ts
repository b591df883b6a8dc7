/**
 * Stats from cgroup v1 controllers: cpuacct.usage / usage_percpu (ns), cpu.stat throttling,
 * memory.usage_in_bytes / limit_in_bytes / max_usage_in_bytes / failcnt / memory.stat, and
 * pids.current / pids.max. Each controller lives at `<its mount point><cgroupsPath>`.
 */
import path from 'node:path';
import type { ContainerStats } from '../../containers/types.js';
import { parseKeyValues, parseNumber, readText } from './files.js';

type Cg = Omit<ContainerStats, 'read' | 'cpu'> & { cpu: Omit<ContainerStats['cpu'], 'systemUsageNs' | 'onlineCpus'> };

export async function readV1(dirs: { cpu?: string; cpuacct?: string; memory?: string; pids?: string }, machineMemory: number): Promise<Cg> {
  const at = (d: string | undefined, f: string) => (d ? readText(d, f) : Promise.resolve(undefined));
  const [usage, percpu, cpuStat, memUsage, memLimit, memMax, memFail, memStat, pidsCur, pidsMax] = await Promise.all([
    at(dirs.cpuacct, 'cpuacct.usage'),
    at(dirs.cpuacct, 'cpuacct.usage_percpu'),
    at(dirs.cpu, 'cpu.stat'),
    at(dirs.memory, 'memory.usage_in_bytes'),
    at(dirs.memory, 'memory.limit_in_bytes'),
    at(dirs.memory, 'memory.max_usage_in_bytes'),
    at(dirs.memory, 'memory.failcnt'),
    at(dirs.memory, 'memory.stat'),
    at(dirs.pids, 'pids.current'),
    at(dirs.pids, 'pids.max'),
  ]);
  const cpu = parseKeyValues(cpuStat);
  const mem = parseKeyValues(memStat);
  const limit = parseNumber(memLimit) ?? Infinity;
  const pidsLimit = parseNumber(pidsMax) ?? Infinity;
  return {
    cpu: {
      totalUsageNs: parseNumber(usage) ?? 0,
      perCpuUsageNs: (percpu ?? '').trim().split(/\s+/).filter(Boolean).map(Number),
      throttledPeriods: cpu.nr_throttled ?? 0,
      throttledTimeNs: cpu.throttled_time ?? 0,
    },
    memory: {
      usage: parseNumber(memUsage) ?? 0,
      // Docker reports the machine's memory when the container has no (or a larger) limit.
      limit: Math.min(limit, machineMemory),
      maxUsage: parseNumber(memMax) ?? 0,
      cache: mem.cache ?? mem.total_cache ?? 0,
      inactiveFile: mem.total_inactive_file ?? mem.inactive_file ?? 0,
      failcnt: parseNumber(memFail) ?? 0,
    },
    pids: { current: parseNumber(pidsCur) ?? 0, limit: Number.isFinite(pidsLimit) ? pidsLimit : 0 },
  };
}

/** The container's directory for each v1 controller berth reads. */
export function v1Dirs(mounts: Record<string, string>, cgroupsPath: string): { cpu?: string; cpuacct?: string; memory?: string; pids?: string } {
  const dir = (ctrl: string) => (mounts[ctrl] ? path.join(mounts[ctrl]!, cgroupsPath) : undefined);
  return { cpu: dir('cpu'), cpuacct: dir('cpuacct'), memory: dir('memory'), pids: dir('pids') };
}
