/** `berth stats` (live or `--no-stream`) and `berth top`. */
import { cpuPercent } from '../../api/docker/stats-json.js';
import { bool, structuredFormat, type Command } from '../command.js';
import type { DaemonClient } from '../client.js';
import { bytesSize, printStructured, shortId, table } from '../output.js';

interface StatsDoc {
  id: string;
  name: string;
  read: string;
  cpu_stats: { cpu_usage: { total_usage: number }; system_cpu_usage: number; online_cpus: number };
  precpu_stats: { cpu_usage: { total_usage: number }; system_cpu_usage: number; online_cpus: number };
  memory_stats: { usage?: number; limit?: number; stats?: { inactive_file?: number } };
  pids_stats: { current?: number };
}

function row(s: StatsDoc): string[] {
  const view = (c: StatsDoc['cpu_stats']) => ({ cpu: { totalUsageNs: c.cpu_usage.total_usage, systemUsageNs: c.system_cpu_usage, onlineCpus: c.online_cpus } });
  const cpu = s.precpu_stats.system_cpu_usage ? cpuPercent(view(s.cpu_stats) as never, view(s.precpu_stats) as never) : 0;
  const used = Math.max(0, (s.memory_stats.usage ?? 0) - (s.memory_stats.stats?.inactive_file ?? 0));
  const limit = s.memory_stats.limit ?? 0;
  return [
    shortId(s.id),
    s.name.replace(/^\//, ''),
    `${cpu.toFixed(2)}%`,
    `${bytesSize(used)} / ${bytesSize(limit)}`,
    `${limit ? ((used / limit) * 100).toFixed(2) : '0.00'}%`,
    '0B / 0B',
    '0B / 0B',
    String(s.pids_stats.current ?? 0),
  ];
}

const HEADER = ['CONTAINER ID', 'NAME', 'CPU %', 'MEM USAGE / LIMIT', 'MEM %', 'NET I/O', 'BLOCK I/O', 'PIDS'];

async function targets(client: DaemonClient, args: string[], all: boolean): Promise<string[]> {
  if (args.length) return args;
  const list = await client.get<Array<{ Id: string }>>('/containers/json', { all });
  return list.map((c) => c.Id);
}

const stats: Command = {
  spec: {
    name: 'stats',
    usage: '[OPTIONS] [CONTAINER...]',
    summary: 'Display a live stream of container(s) resource usage statistics',
    flags: [
      { name: 'all', short: 'a', type: 'bool', help: 'Show all containers (default shows just running)' },
      { name: 'no-stream', type: 'bool', help: 'Disable streaming stats and only pull the first result' },
      { name: 'format', type: 'string', help: "Format output: 'json'" },
      { name: 'output', short: 'o', type: 'string', help: 'Output format: json or yaml' },
    ],
  },
  async run(p, ctx) {
    const client = ctx.client();
    const fmt = structuredFormat(p);
    for (;;) {
      const ids = await targets(client, p.args, bool(p, 'all'));
      const docs = await Promise.all(ids.map((id) => client.get<StatsDoc>(`/containers/${encodeURIComponent(id)}/stats`, { stream: false })));
      if (fmt) await printStructured(docs, fmt);
      else {
        if (!bool(p, 'no-stream') && process.stdout.isTTY) process.stdout.write('\x1b[2J\x1b[H');
        process.stdout.write(table(HEADER, docs.map(row)));
      }
      if (bool(p, 'no-stream')) return 0;
      await new Promise((r) => setTimeout(r, 500));
    }
  },
};

const top: Command = {
  spec: { name: 'top', usage: 'CONTAINER [ps OPTIONS]', summary: 'Display the running processes of a container', minArgs: 1, stopAtFirstArg: true, flags: [] },
  async run(p, ctx) {
    const [ref, ...psArgs] = p.args as [string, ...string[]];
    const out = await ctx.client().get<{ Titles: string[]; Processes: string[][] }>(`/containers/${encodeURIComponent(ref)}/top`, psArgs.length ? { ps_args: psArgs.join(' ') } : undefined);
    process.stdout.write(table(out.Titles, out.Processes));
    return 0;
  },
};

export const commands: Record<string, Command> = { stats, top };
