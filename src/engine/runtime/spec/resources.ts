/**
 * Cgroup resource limits from the create options, validated with Docker's rules and messages
 * (moby daemon/daemon_unix.go verifyPlatformContainerResources). The runtime writes them into
 * the cgroup; berth only describes them.
 */
import { invalidArgument } from '../../../base/errors.js';
import type { OciCpu, OciMemory, OciResources } from '../../../api/oci/runtime-spec.js';
import type { CreateContainerOptions } from '../../containers/types.js';

export const MinMemory = 6 * 1024 * 1024; // Docker's linuxMinMemory
export const MinCpuShares = 2;
export const MaxCpuShares = 262144;
export const DefaultCpuPeriod = 100000; // µs, the kernel's default CFS period

type ResourceOptions = Pick<CreateContainerOptions, 'memory' | 'memorySwap' | 'nanoCpus' | 'cpuShares' | 'cpuQuota' | 'cpuPeriod' | 'pidsLimit'>;

function int(name: string, v: number | undefined): number {
  if (v === undefined || v === null) return 0;
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw invalidArgument(`invalid ${name}: ${String(v)} is not an integer`);
  return v;
}

function memoryLimits(o: ResourceOptions, swapAccounting: boolean, warnings: string[]): OciMemory | undefined {
  const memory = int('memory', o.memory);
  const swap = int('memorySwap', o.memorySwap);
  if (memory < 0) throw invalidArgument(`invalid memory limit ${memory}`);
  if (memory > 0 && memory < MinMemory) throw invalidArgument('Minimum memory limit allowed is 6MB');
  if (swap < -1) throw invalidArgument(`invalid memory swap limit ${swap}`);
  if (swap !== 0 && memory === 0) throw invalidArgument('You should always set the Memory limit when using Memoryswap limit, see usage');
  if (memory > 0 && swap > 0 && swap < memory) throw invalidArgument('Minimum memoryswap limit should be larger than memory limit, see usage');
  if (memory === 0) return undefined;
  const out: OciMemory = { limit: memory };
  if (!swapAccounting) {
    warnings.push('Your kernel does not support swap limit capabilities or the cgroup is not mounted. Memory limited without swap.');
    return out;
  }
  // Docker: no --memory-swap means swap may be as large as memory, i.e. memory+swap = 2×memory.
  out.swap = swap === 0 ? memory * 2 : swap;
  return out;
}

function cpuLimits(o: ResourceOptions, onlineCpus: number, warnings: string[]): OciCpu | undefined {
  const nano = int('nanoCpus', o.nanoCpus);
  let shares = int('cpuShares', o.cpuShares);
  let quota = int('cpuQuota', o.cpuQuota);
  let period = int('cpuPeriod', o.cpuPeriod);
  if (nano !== 0 && period !== 0) throw invalidArgument('Conflicting options: Nano CPUs and CPU Period cannot both be set');
  if (nano !== 0 && quota !== 0) throw invalidArgument('Conflicting options: Nano CPUs and CPU Quota cannot both be set');
  if (nano < 0 || (nano > 0 && (nano < 1e7 || nano > onlineCpus * 1e9)))
    throw invalidArgument(`Range of CPUs is from 0.01 to ${onlineCpus}.00, as there are only ${onlineCpus} CPUs available`);
  if (period !== 0 && (period < 1000 || period > 1000000))
    throw invalidArgument('CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)');
  if (quota < -1 || (quota > 0 && quota < 1000)) throw invalidArgument('CPU cfs quota can not be less than 1ms (i.e. 1000)');
  if (shares < 0) throw invalidArgument(`invalid CPU shares ${shares}`);
  if (shares > 0 && shares < MinCpuShares) {
    warnings.push(`Changing requested CPUShares of ${shares} to minimum allowed of ${MinCpuShares}`);
    shares = MinCpuShares;
  } else if (shares > MaxCpuShares) {
    warnings.push(`Changing requested CPUShares of ${shares} to maximum allowed of ${MaxCpuShares}`);
    shares = MaxCpuShares;
  }
  if (nano > 0) {
    period = DefaultCpuPeriod;
    quota = Math.floor((nano * DefaultCpuPeriod) / 1e9);
  }
  const out: OciCpu = {};
  if (shares > 0) out.shares = shares;
  if (quota !== 0) out.quota = quota;
  if (period !== 0) out.period = period;
  return Object.keys(out).length > 0 ? out : undefined;
}

/** Memory, CPU and pids limits (devices are added by the caller). */
export function buildResources(o: ResourceOptions, host: { swapAccounting: boolean; onlineCpus: number }, warnings: string[]): OciResources {
  const out: OciResources = {};
  const memory = memoryLimits(o, host.swapAccounting, warnings);
  if (memory) out.memory = memory;
  const cpu = cpuLimits(o, host.onlineCpus, warnings);
  if (cpu) out.cpu = cpu;
  const pids = int('pidsLimit', o.pidsLimit);
  if (pids > 0) out.pids = { limit: pids }; // 0 and -1 mean unlimited in Docker
  return out;
}
