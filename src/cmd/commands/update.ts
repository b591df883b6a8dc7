/** `berth update`: new resource limits / restart policy for containers, as docker update. */
import { DaemonError } from '../client.js';
import { CliError, int, str, type Command } from '../command.js';
import { sizeFlag as size } from '../container-flags.js';

function cpus(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!/^\d+(\.\d+)?$/.test(v) || !Number.isFinite(n)) throw new CliError(`invalid argument "${v}" for "--cpus" flag: failed to parse ${v} as a rational number`);
  return Math.round(n * 1e9);
}

function restart(v: string | undefined): { Name: string; MaximumRetryCount: number } | undefined {
  if (!v) return undefined;
  const [name, count] = v.split(':', 2) as [string, string | undefined];
  if (count !== undefined && (name !== 'on-failure' || !/^\d+$/.test(count))) throw new CliError(`invalid restart policy format "${v}"`);
  return { Name: name, MaximumRetryCount: count ? Number(count) : 0 };
}

const update: Command = {
  spec: {
    name: 'update',
    usage: '[OPTIONS] CONTAINER [CONTAINER...]',
    summary: 'Update configuration of one or more containers',
    aliases: ['container update'],
    minArgs: 1,
    flags: [
      { name: 'cpu-period', type: 'int', help: 'Limit CPU CFS (Completely Fair Scheduler) period' },
      { name: 'cpu-quota', type: 'int', help: 'Limit CPU CFS (Completely Fair Scheduler) quota' },
      { name: 'cpu-shares', short: 'c', type: 'int', help: 'CPU shares (relative weight)' },
      { name: 'cpus', type: 'string', value: 'decimal', help: 'Number of CPUs' },
      { name: 'memory', short: 'm', type: 'string', value: 'bytes', help: 'Memory limit' },
      { name: 'memory-swap', type: 'string', value: 'bytes', help: "Swap limit equal to memory plus swap: -1 to enable unlimited swap" },
      { name: 'pids-limit', type: 'int', help: 'Tune container pids limit (set -1 for unlimited)' },
      { name: 'restart', type: 'string', help: 'Restart policy to apply when a container exits' },
    ],
  },
  async run(p, ctx) {
    const body = {
      Memory: size(p, 'memory') ?? 0,
      MemorySwap: size(p, 'memory-swap') ?? 0,
      NanoCpus: cpus(str(p, 'cpus')) ?? 0,
      CpuShares: int(p, 'cpu-shares') ?? 0,
      CpuQuota: int(p, 'cpu-quota') ?? 0,
      CpuPeriod: int(p, 'cpu-period') ?? 0,
      ...(int(p, 'pids-limit') !== undefined ? { PidsLimit: int(p, 'pids-limit') } : {}),
      ...(restart(str(p, 'restart')) ? { RestartPolicy: restart(str(p, 'restart')) } : {}),
    };
    const failed: string[] = [];
    for (const ref of p.args) {
      try {
        const r = await ctx.client().json<{ Warnings: string[] | null }>('POST', `/containers/${encodeURIComponent(ref)}/update`, { body });
        for (const w of r.Warnings ?? []) process.stderr.write(`${w}\n`);
        process.stdout.write(`${ref}\n`);
      } catch (err) {
        if (!(err instanceof DaemonError)) throw err;
        process.stderr.write(`Error response from daemon: ${err.message}\n`);
        failed.push(ref);
      }
    }
    if (failed.length) throw new CliError(`failed to update containers: ${failed.join(', ')}`);
    return 0;
  },
};

export const commands: Record<string, Command> = { update };
