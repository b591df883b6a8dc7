/**
 * `POST /containers/{id}/update`: Docker's UpdateConfig body → berth's update. The docker CLI
 * sends every field, zero when not given; a non-zero field berth cannot change is refused rather
 * than ignored.
 */
import { notImplemented } from '../../base/errors.js';
import type { CreateSpec, RestartPolicySpec } from './domain.js';
import { asObject, optInt, optObject, optString } from './validate.js';

/** What `docker update` may change: a container's resources and restart policy, as at create. */
export type UpdateSpec = Pick<CreateSpec, 'memory' | 'memorySwap' | 'nanoCpus' | 'cpuShares' | 'cpuQuota' | 'cpuPeriod' | 'pidsLimit' | 'restartPolicy'>;

const FIELDS: Array<[string, keyof Omit<UpdateSpec, 'restartPolicy'>]> = [
  ['Memory', 'memory'], ['MemorySwap', 'memorySwap'], ['NanoCpus', 'nanoCpus'], ['CpuShares', 'cpuShares'],
  ['CpuQuota', 'cpuQuota'], ['CpuPeriod', 'cpuPeriod'], ['PidsLimit', 'pidsLimit'],
];

const UNSUPPORTED = ['BlkioWeight', 'CpuRealtimePeriod', 'CpuRealtimeRuntime', 'CpusetCpus', 'CpusetMems', 'MemoryReservation', 'KernelMemory', 'KernelMemoryTCP', 'CpuCount', 'CpuPercent', 'IOMaximumIOps', 'IOMaximumBandwidth'];

const isZero = (v: unknown) => v === undefined || v === null || v === 0 || v === '' || (Array.isArray(v) && v.length === 0);

export function parseUpdateRequest(body: unknown): UpdateSpec {
  const o = asObject(body ?? {}, 'body');
  for (const k of UNSUPPORTED) if (!isZero(o[k])) throw notImplemented(`berth cannot update ${k} yet`);
  const out: UpdateSpec = {};
  for (const [wire, key] of FIELDS) {
    const v = optInt(o[wire], wire);
    if (v !== undefined) out[key] = v;
  }
  const rp = optObject(o.RestartPolicy, 'RestartPolicy');
  const name = rp ? optString(rp.Name, 'RestartPolicy.Name') : undefined;
  if (rp && name) {
    const retries = optInt(rp.MaximumRetryCount, 'RestartPolicy.MaximumRetryCount', 0);
    out.restartPolicy = { name: name as RestartPolicySpec['name'], ...(retries ? { maximumRetryCount: retries } : {}) };
  }
  return out;
}
