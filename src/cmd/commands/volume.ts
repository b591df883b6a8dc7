/** `berth volume create|ls|inspect|rm|prune`: docker's volume commands, their flags and output. */
import { DaemonError } from '../client.js';
import { bool, CliError, list, str, structuredFormat, type Command } from '../command.js';
import { formatList, humanSize, printStructured, renderTemplate, table } from '../output.js';
import { confirm } from './images.js';

interface VolumeJson { Name: string; Driver: string; Mountpoint: string; CreatedAt: string; Labels: Record<string, string> | null; Options: Record<string, string> | null; Scope: string }

const formatFlags = [
  { name: 'format', short: 'f', type: 'string' as const, help: "Format output using a custom template: 'json' or a Go template" },
  { name: 'output', short: 'o', type: 'string' as const, help: 'Output format: json or yaml' },
];

/** `k=v` flags (--label, -o, --filter) → a map; a bare key means an empty value. */
function keyValues(values: string[], flag: string, needValue = false): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of values) {
    const eq = v.indexOf('=');
    if (eq === 0 || (needValue && eq < 0)) throw new CliError(`invalid argument "${v}" for "${flag}" flag: expected key=value`, 1);
    if (eq < 0) out[v] = '';
    else out[v.slice(0, eq)] = v.slice(eq + 1);
  }
  return out;
}

/** Docker's filters query: `--filter k=v` repeated → {"k":{"v":true}}. */
function filtersQuery(values: string[], extra: Record<string, string[]> = {}): string | undefined {
  const out: Record<string, Record<string, boolean>> = {};
  const add = (k: string, v: string) => ((out[k] ??= {})[v] = true);
  for (const f of values) {
    const eq = f.indexOf('=');
    if (eq <= 0) throw new CliError(`bad format of filter (expected name=value): ${f}`, 1);
    add(f.slice(0, eq), f.slice(eq + 1));
  }
  for (const [k, vs] of Object.entries(extra)) for (const v of vs) add(k, v);
  return Object.keys(out).length ? JSON.stringify(out) : undefined;
}

const create: Command = {
  spec: {
    name: 'volume create',
    usage: '[OPTIONS] [VOLUME]',
    summary: 'Create a volume',
    maxArgs: 1,
    flags: [
      { name: 'driver', short: 'd', type: 'string', help: 'Specify volume driver name', default: 'local' },
      { name: 'label', type: 'list', help: 'Set metadata for a volume' },
      { name: 'name', type: 'string', help: 'Specify volume name' },
      { name: 'opt', short: 'o', type: 'list', help: 'Set driver specific options' },
    ],
  },
  async run(p, ctx) {
    const flagName = str(p, 'name');
    if (flagName && p.args[0] && flagName !== p.args[0]) throw new CliError(`conflicting options: cannot specify a volume-name through both --name and as a positional arg`, 1);
    const name = p.args[0] ?? flagName;
    const v = await ctx.client().json<VolumeJson>('POST', '/volumes/create', {
      body: { Name: name ?? '', Driver: str(p, 'driver') ?? 'local', Labels: keyValues(list(p, 'label'), '--label'), DriverOpts: keyValues(list(p, 'opt'), '--opt', true) },
    });
    process.stdout.write(`${v.Name}\n`);
    return 0;
  },
};

const ls: Command = {
  spec: {
    name: 'volume ls',
    usage: '[OPTIONS]',
    summary: 'List volumes',
    aliases: ['volume list'],
    maxArgs: 0,
    flags: [
      { name: 'quiet', short: 'q', type: 'bool', help: 'Only display volume names' },
      { name: 'filter', type: 'list', help: "Provide filter values (e.g. 'dangling=true')" },
      ...formatFlags,
    ],
  },
  async run(p, ctx) {
    const res = await ctx.client().get<{ Volumes: VolumeJson[] | null }>('/volumes', { filters: filtersQuery(list(p, 'filter')) });
    const vols = (res.Volumes ?? []).sort((a, b) => a.Name.localeCompare(b.Name));
    if (bool(p, 'quiet')) {
      process.stdout.write(vols.map((v) => `${v.Name}\n`).join(''));
      return 0;
    }
    if (p.flags.output) {
      await printStructured(vols, structuredFormat(p)!);
      return 0;
    }
    const fmt = str(p, 'format');
    const rows = vols.map((v) => ({
      Name: v.Name, Driver: v.Driver, Scope: v.Scope, Mountpoint: v.Mountpoint, CreatedAt: v.CreatedAt,
      Labels: Object.entries(v.Labels ?? {}).map(([k, x]) => `${k}=${x}`).join(','),
    }));
    if (fmt && fmt !== 'table') process.stdout.write(formatList(fmt, rows, { Name: 'VOLUME NAME' }));
    else process.stdout.write(table(['DRIVER', 'VOLUME NAME'], rows.map((r) => [r.Driver, r.Name])));
    return 0;
  },
};

const inspect: Command = {
  spec: { name: 'volume inspect', usage: '[OPTIONS] VOLUME [VOLUME...]', summary: 'Display detailed information on one or more volumes', minArgs: 1, flags: formatFlags },
  async run(p, ctx) {
    const found: VolumeJson[] = [];
    let failed = false;
    for (const name of p.args) {
      try {
        found.push(await ctx.client().get<VolumeJson>(`/volumes/${encodeURIComponent(name)}`));
      } catch (err) {
        if (!(err instanceof DaemonError) || err.status !== 404) throw err;
        process.stderr.write(`Error: No such volume: ${name}\n`);
        failed = true;
      }
    }
    const fmt = str(p, 'format');
    if (fmt && fmt !== 'json') {
      try {
        for (const v of found) process.stdout.write(`${renderTemplate(fmt, v)}\n`);
      } catch (err) {
        throw new CliError((err as Error).message);
      }
    } else await printStructured(found, structuredFormat(p) ?? 'json');
    return failed ? 1 : 0;
  },
};

const rm: Command = {
  spec: {
    name: 'volume rm',
    usage: '[OPTIONS] VOLUME [VOLUME...]',
    summary: 'Remove one or more volumes',
    aliases: ['volume remove'],
    minArgs: 1,
    flags: [{ name: 'force', short: 'f', type: 'bool', help: 'Force the removal of one or more volumes' }],
  },
  async run(p, ctx) {
    let failed = false;
    for (const name of p.args) {
      try {
        await ctx.client().request('DELETE', `/volumes/${encodeURIComponent(name)}`, { query: { force: bool(p, 'force') } }).then((r) => r.resume());
        process.stdout.write(`${name}\n`);
      } catch (err) {
        if (!(err instanceof DaemonError)) throw err;
        process.stderr.write(`Error response from daemon: ${err.message}\n`);
        failed = true;
      }
    }
    return failed ? 1 : 0;
  },
};

const prune: Command = {
  spec: {
    name: 'volume prune',
    usage: '[OPTIONS]',
    summary: 'Remove unused local volumes',
    maxArgs: 0,
    flags: [
      { name: 'all', short: 'a', type: 'bool', help: 'Remove all unused volumes, not just anonymous ones' },
      { name: 'filter', type: 'list', help: "Provide filter values (e.g. 'label=<label>')" },
      { name: 'force', short: 'f', type: 'bool', help: 'Do not prompt for confirmation' },
    ],
  },
  async run(p, ctx) {
    const all = bool(p, 'all');
    if (!bool(p, 'force')) {
      const what = all ? 'all local volumes not used by at least one container' : 'anonymous local volumes not used by at least one container';
      if (!(await confirm(`WARNING! This will remove ${what}.\nAre you sure you want to continue? [y/N] `))) return 0;
    }
    const res = await ctx.client().json<{ VolumesDeleted: string[] | null; SpaceReclaimed: number }>('POST', '/volumes/prune', {
      query: { filters: filtersQuery(list(p, 'filter'), all ? { all: ['true'] } : {}) },
    });
    if (res.VolumesDeleted?.length) process.stdout.write(`Deleted Volumes:\n${res.VolumesDeleted.map((n) => `${n}\n`).join('')}\n`);
    process.stdout.write(`Total reclaimed space: ${humanSize(res.SpaceReclaimed)}\n`);
    return 0;
  },
};

export const commands: Record<string, Command> = { 'volume create': create, 'volume ls': ls, 'volume inspect': inspect, 'volume rm': rm, 'volume prune': prune };
