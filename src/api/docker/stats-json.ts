/** berth's cgroup samples → Docker's stats JSON (`GET /containers/{id}/stats`), field names as Docker's. */
import type { ContainerStatsView } from './domain.js';

const ZERO_READ = '0001-01-01T00:00:00Z';

function cpuJson(s: ContainerStatsView | null): Record<string, unknown> {
  return {
    cpu_usage: { total_usage: s?.cpu.totalUsageNs ?? 0, percpu_usage: s?.cpu.perCpuUsageNs ?? [], usage_in_kernelmode: 0, usage_in_usermode: 0 },
    system_cpu_usage: s?.cpu.systemUsageNs ?? 0,
    online_cpus: s?.cpu.onlineCpus ?? 0,
    throttling_data: { periods: 0, throttled_periods: s?.cpu.throttledPeriods ?? 0, throttled_time: s?.cpu.throttledTimeNs ?? 0 },
  };
}

/** One stats document; `prev` fills precpu_stats (null on the first sample, as Docker does). */
export function statsJson(id: string, name: string, cur: ContainerStatsView | null, prev: ContainerStatsView | null): Record<string, unknown> {
  return {
    name: `/${name}`,
    id,
    read: cur?.read ?? ZERO_READ,
    preread: prev?.read ?? ZERO_READ,
    pids_stats: cur ? { current: cur.pids.current, limit: cur.pids.limit } : {},
    blkio_stats: blkioJson(cur),
    num_procs: 0,
    storage_stats: {},
    cpu_stats: cpuJson(cur),
    precpu_stats: cpuJson(prev),
    memory_stats: cur
      ? { usage: cur.memory.usage, max_usage: cur.memory.maxUsage, limit: cur.memory.limit, failcnt: cur.memory.failcnt, stats: { cache: cur.memory.cache, inactive_file: cur.memory.inactiveFile, total_inactive_file: cur.memory.inactiveFile } }
      : {},
    ...(cur?.networks ? { networks: networksJson(cur.networks) } : {}),
  };
}

function blkioJson(s: ContainerStatsView | null): Record<string, unknown> {
  const entries = (list: Array<{ major: number; minor: number; op: string; value: number }> | undefined) => (list && list.length > 0 ? list : null);
  return {
    io_service_bytes_recursive: entries(s?.blkio?.serviceBytes),
    io_serviced_recursive: entries(s?.blkio?.serviced),
    io_queue_recursive: null, io_service_time_recursive: null, io_wait_time_recursive: null, io_merged_recursive: null, io_time_recursive: null, sectors_recursive: null,
  };
}

function networksJson(networks: NonNullable<ContainerStatsView['networks']>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(networks).map(([name, n]) => [name, {
    rx_bytes: n.rxBytes, rx_packets: n.rxPackets, rx_errors: n.rxErrors, rx_dropped: n.rxDropped,
    tx_bytes: n.txBytes, tx_packets: n.txPackets, tx_errors: n.txErrors, tx_dropped: n.txDropped,
  }]));
}

/** CPU percent the way the docker CLI computes it from two samples. */
export function cpuPercent(cur: ContainerStatsView, prev: ContainerStatsView | null): number {
  if (!prev) return 0;
  const cpuDelta = cur.cpu.totalUsageNs - prev.cpu.totalUsageNs;
  const sysDelta = cur.cpu.systemUsageNs - prev.cpu.systemUsageNs;
  if (cpuDelta <= 0 || sysDelta <= 0) return 0;
  return (cpuDelta / sysDelta) * (cur.cpu.onlineCpus || 1) * 100;
}
