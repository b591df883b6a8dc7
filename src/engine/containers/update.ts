/**
 * `docker update`: new resource limits and restart policy for an existing container. The limits
 * are validated with the same rules as at create, written into the live cgroup of a running or
 * paused container (v1 controller files, or the v2 unified ones), and into the bundle's
 * config.json, so a restart keeps them. Zero (or an absent field) leaves a setting as it was,
 * as in Docker.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { OciResources } from '../../api/oci/runtime-spec.js';
import { invalidArgument } from '../../base/errors.js';
import { buildResources, hostFacts, hostLayout, type CgroupLayout } from '../runtime/index.js';
import type { OciSpecShape } from './kit.js';
import { validateRestartPolicy } from './restart-policy.js';
import type { ContainerInfo, ContainerUpdate, CreateContainerOptions } from './types.js';

const RESOURCE_KEYS = ['memory', 'memorySwap', 'nanoCpus', 'cpuShares', 'cpuQuota', 'cpuPeriod', 'pidsLimit'] as const;

export interface UpdatePlan { options: CreateContainerOptions; resources: OciResources; warnings: string[] }

export function planUpdate(current: CreateContainerOptions, patch: ContainerUpdate): UpdatePlan {
  const options: CreateContainerOptions = { ...current };
  for (const k of RESOURCE_KEYS) {
    const v = patch[k];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw invalidArgument(`invalid ${k}: ${String(v)} is not an integer`);
    if (v === 0 && k !== 'pidsLimit') continue;
    options[k] = v;
  }
  // --cpus and --cpu-period/--cpu-quota replace each other rather than conflict with the old value.
  if (patch.nanoCpus) {
    delete options.cpuQuota;
    delete options.cpuPeriod;
  } else if (patch.cpuQuota || patch.cpuPeriod) delete options.nanoCpus;
  if (patch.restartPolicy?.name) {
    if (options.autoRemove && patch.restartPolicy.name !== 'no') throw invalidArgument('Restart policy cannot be updated because AutoRemove is enabled for the container');
    options.restartPolicy = validateRestartPolicy(patch.restartPolicy);
  }
  const warnings: string[] = [];
  const resources = buildResources(options, hostFacts(), warnings);
  return { options, resources, warnings };
}

function write(file: string, value: string | number): void {
  if (!fs.existsSync(file)) return; // a controller this kernel lacks (e.g. no swap accounting)
  fs.writeFileSync(file, String(value));
}

/** Memory limits must stay ≤ memory+swap at every step, so the order depends on the direction. */
function writeV1Memory(dir: string, limit: number, memsw: number | undefined): void {
  const limitFile = path.join(dir, 'memory.limit_in_bytes');
  const swFile = path.join(dir, 'memory.memsw.limit_in_bytes');
  if (memsw === undefined) return write(limitFile, limit);
  try {
    write(limitFile, limit);
    write(swFile, memsw);
  } catch {
    write(swFile, memsw);
    write(limitFile, limit);
  }
}

export function writeCgroupLimits(cgroupsPath: string, r: OciResources, layout: CgroupLayout = hostLayout()): void {
  if (!cgroupsPath.startsWith('/') || cgroupsPath.split('/').includes('..')) throw invalidArgument(`invalid cgroups path ${JSON.stringify(cgroupsPath)}`);
  if (layout.mode === 'v2' && layout.unified) {
    const dir = path.join(layout.unified, cgroupsPath);
    if (r.memory?.limit) {
      write(path.join(dir, 'memory.max'), r.memory.limit);
      if (r.memory.swap !== undefined) write(path.join(dir, 'memory.swap.max'), r.memory.swap < 0 ? 'max' : Math.max(0, r.memory.swap - r.memory.limit));
    }
    // The runtime spec's conversion from v1 shares to v2 weight (OCI's cgroup v2 mapping).
    if (r.cpu?.shares) write(path.join(dir, 'cpu.weight'), 1 + Math.floor(((r.cpu.shares - 2) * 9999) / 262142));
    if (r.cpu?.quota !== undefined || r.cpu?.period !== undefined) write(path.join(dir, 'cpu.max'), `${r.cpu.quota && r.cpu.quota > 0 ? r.cpu.quota : 'max'} ${r.cpu.period ?? 100000}`);
    write(path.join(dir, 'pids.max'), r.pids?.limit ?? 'max');
    return;
  }
  const at = (ctrl: string) => (layout.v1[ctrl] ? path.join(layout.v1[ctrl]!, cgroupsPath) : undefined);
  const mem = at('memory');
  if (mem && r.memory?.limit) writeV1Memory(mem, r.memory.limit, r.memory.swap);
  const cpu = at('cpu');
  if (cpu) {
    if (r.cpu?.shares) write(path.join(cpu, 'cpu.shares'), r.cpu.shares);
    if (r.cpu?.period) write(path.join(cpu, 'cpu.cfs_period_us'), r.cpu.period);
    write(path.join(cpu, 'cpu.cfs_quota_us'), r.cpu?.quota ?? -1);
  }
  const pids = at('pids');
  if (pids) write(path.join(pids, 'pids.max'), r.pids?.limit ?? 'max');
}

/** The spec's resources with the new limits (devices untouched). */
export function specWithResources(spec: OciSpecShape, r: OciResources): OciSpecShape {
  const linux = (spec.linux ?? {}) as { resources?: OciResources; [k: string]: unknown };
  const resources: OciResources = { ...(linux.resources ?? {}) };
  delete resources.memory;
  delete resources.cpu;
  delete resources.pids;
  return { ...spec, linux: { ...linux, resources: { ...resources, ...r } } as OciSpecShape['linux'] };
}

/** Applies an update to a container; the caller persists the returned options. */
/** live: the container's cgroup exists (running, paused, or its runtime container made ahead of start). */
export function applyUpdate(info: ContainerInfo, bundleDir: string, patch: ContainerUpdate, specToJson: (s: OciSpecShape, indent?: number) => string, live: boolean): UpdatePlan {
  const plan = planUpdate(info.options, patch);
  if (live) writeCgroupLimits(info.cgroupPath, plan.resources);
  if (info.ociSpec) {
    const spec = specWithResources(info.ociSpec as OciSpecShape, plan.resources);
    fs.writeFileSync(path.join(bundleDir, 'config.json'), specToJson(spec, 1));
    info.ociSpec = spec;
  }
  info.options = plan.options;
  return plan;
}
