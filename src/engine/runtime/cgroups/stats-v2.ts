/**
 * Stats from a cgroup v2 directory: cpu.stat (usage_usec, nr_throttled, throttled_usec),
 * memory.current / memory.max / memory.peak / memory.stat, pids.current / pids.max. v2 has no
 * per-CPU usage nor a failcnt (reported as [] and the memory.events "max" count).
 */
import type { ContainerStats } from '../../containers/types.js';
import { parseKeyValues, parseNumber, readText } from './files.js';

type Cg = Omit<ContainerStats, 'read' | 'cpu'> & { cpu: Omit<ContainerStats['cpu'], 'systemUsageNs' | 'onlineCpus'> };

export async function readV2(dir: string, machineMemory: number): Promise<Cg> {
  const [cpuStat, memCurrent, memMax, memPeak, memStat, memEvents, pidsCur, pidsMax] = await Promise.all(
    ['cpu.stat', 'memory.current', 'memory.max', 'memory.peak', 'memory.stat', 'memory.events', 'pids.current', 'pids.max'].map((f) => readText(dir, f)),
  );
  const cpu = parseKeyValues(cpuStat);
  const mem = parseKeyValues(memStat);
  const events = parseKeyValues(memEvents);
  const limit = parseNumber(memMax) ?? Infinity;
  const pidsLimit = parseNumber(pidsMax) ?? Infinity;
  return {
    cpu: {
      totalUsageNs: (cpu.usage_usec ?? 0) * 1000,
      perCpuUsageNs: [],
      throttledPeriods: cpu.nr_throttled ?? 0,
      throttledTimeNs: (cpu.throttled_usec ?? 0) * 1000,
    },
    memory: {
      usage: parseNumber(memCurrent) ?? 0,
      limit: Math.min(limit, machineMemory),
      maxUsage: parseNumber(memPeak) ?? 0,
      cache: mem.file ?? 0,
      inactiveFile: mem.inactive_file ?? 0,
      failcnt: events.max ?? 0,
    },
    pids: { current: parseNumber(pidsCur) ?? 0, limit: Number.isFinite(pidsLimit) ? pidsLimit : 0 },
  };
}
