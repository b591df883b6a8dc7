/**
 * Reading containers: lists and inspects (snapshots, so callers never hold the live record), logs,
 * resource stats and processes.
 */
import { failedPrecondition, invalidArgument } from '../../base/errors.js';
import { psWithArgs } from '../runtime/index.js';
import type { ManagerContext } from './context.js';
import { isUp } from './live.js';
import type { Live } from './live.js';
import { containerLogs } from './logs.js';
import { namespacesOf, psTable } from './proc-info.js';
import { readNetworkCounters } from './stats-net.js';
import type { ContainerInfo, ContainerStats, LogEntry, LogOptions } from './types.js';

export function listContainers(ctx: ManagerContext, opts: { all?: boolean }): ContainerInfo[] {
  return [...ctx.live.values()]
    .filter((l) => opts.all || isUp(l) || l.rec.info.state.status === 'restarting')
    .sort((a, b) => b.rec.info.created.localeCompare(a.rec.info.created))
    .map((l) => snapshot(l));
}

export function inspectContainer(ctx: ManagerContext, ref: string): ContainerInfo {
  return snapshot(ctx.get(ref));
}

function snapshot(l: Live): ContainerInfo {
  const info = structuredClone(l.rec.info);
  info.namespaces = isUp(l) ? namespacesOf(info.state.pid) : {};
  if (!isUp(l)) info.state.pid = 0;
  return info;
}

export function logsOf(ctx: ManagerContext, ref: string, opts: LogOptions): AsyncIterable<LogEntry> {
  const l = ctx.get(ref);
  for (const k of ['since', 'until', 'tail'] as const) {
    const v = opts[k];
    if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v) || (k === 'tail' ? v < -1 : v < 0))) throw invalidArgument(`invalid logs option ${k}=${String(v)}`);
  }
  const o = { ...opts };
  if (o.tail === -1) delete o.tail;
  return containerLogs(l.rec.info.logPath, o, () => ctx.closed || !ctx.live.has(l.rec.info.id) || !isUp(l));
}

export async function statsOf(ctx: ManagerContext, ref: string): Promise<ContainerStats> {
  const l = ctx.get(ref);
  if (!isUp(l)) throw failedPrecondition(`container "${l.rec.info.name}" is not running`);
  const opts = l.rec.info.options;
  const [stats, networks] = await Promise.all([
    ctx.o.kit.readStats(l.rec.cgroupsPath),
    // A host-network container's interfaces are the machine's: Docker reports none for it.
    opts.networkMode === 'host' ? undefined : readNetworkCounters(l.rec.info.state.pid),
  ]);
  return networks ? { ...stats, networks } : stats;
}

export async function topOf(ctx: ManagerContext, ref: string, psArgs?: string): Promise<{ titles: string[]; processes: string[][] }> {
  const l = ctx.get(ref);
  if (!isUp(l)) throw failedPrecondition(`container "${l.rec.info.name}" is not running`);
  const pids = await ctx.o.kit.readPids(l.rec.cgroupsPath);
  // -ef (the default) is read from /proc; other options go to the host's ps, as Docker does.
  if (psArgs !== undefined && psArgs.trim() !== '' && psArgs.trim() !== '-ef') return await psWithArgs(psArgs, pids);
  return psTable(pids);
}
