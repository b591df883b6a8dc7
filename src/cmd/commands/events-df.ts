/** `berth events`, `berth system df` and `berth system prune`, as docker's. */
import { bool, CliError, list, str, type Command } from '../command.js';
import { humanSize, renderTemplate, shortId, table } from '../output.js';

/** `--filter k=v` flags → the API's JSON filters. */
function filters(values: string[]): string | undefined {
  if (values.length === 0) return undefined;
  const out: Record<string, Record<string, boolean>> = {};
  for (const f of values) {
    const eq = f.indexOf('=');
    if (eq <= 0) throw new CliError(`bad format of filter (expected name=value): ${f}`);
    (out[f.slice(0, eq)] ??= {})[f.slice(eq + 1)] = true;
  }
  return JSON.stringify(out);
}

/** Docker's relative times ("10m", "1h30m") or an absolute time → unix seconds, as the CLI sends them. */
export function eventTime(v: string | undefined, now = Date.now()): string | undefined {
  if (v === undefined || v === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(v)) return v;
  const rel = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(v);
  if (rel && v !== '') return ((now - ((Number(rel[1] ?? 0) * 60 + Number(rel[2] ?? 0)) * 60 + Number(rel[3] ?? 0)) * 1000) / 1000).toFixed(3);
  const ms = Date.parse(v);
  if (Number.isNaN(ms)) throw new CliError(`invalid time "${v}": use unix seconds, a duration like 10m or an RFC 3339 time`);
  return (ms / 1000).toFixed(3);
}

interface EventMessage { Type: string; Action: string; Actor: { ID: string; Attributes: Record<string, string> }; time: number; timeNano: number }

function eventLine(e: EventMessage): string {
  const t = new Date(Math.floor(e.timeNano / 1e6)).toISOString().replace(/\.(\d{3})Z$/, `.${String(e.timeNano % 1e9).padStart(9, '0')}Z`);
  const attrs = Object.entries(e.Actor.Attributes ?? {}).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k}=${v}`).join(', ');
  return `${t} ${e.Type} ${e.Action} ${e.Actor.ID}${attrs ? ` (${attrs})` : ''}`;
}

const events: Command = {
  spec: {
    name: 'events',
    usage: '[OPTIONS]',
    summary: 'Get real time events from the server',
    aliases: ['system events'],
    maxArgs: 0,
    flags: [
      { name: 'filter', short: 'f', type: 'list', help: 'Filter output based on conditions provided' },
      { name: 'format', type: 'string', help: "Format output using a custom template: 'json' or a Go template" },
      { name: 'since', type: 'string', help: 'Show all events created since timestamp' },
      { name: 'until', type: 'string', help: 'Stream events until this timestamp' },
    ],
  },
  async run(p, ctx) {
    const res = await ctx.client().request('GET', '/events', { query: { filters: filters(list(p, 'filter')), since: eventTime(str(p, 'since')), until: eventTime(str(p, 'until')) } });
    const fmt = str(p, 'format');
    let buf = '';
    for await (const chunk of res) {
      buf += (chunk as Buffer).toString('utf8');
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (!line.trim()) continue;
        const e = JSON.parse(line) as EventMessage;
        process.stdout.write(`${fmt === 'json' ? JSON.stringify(e) : fmt ? renderTemplate(fmt, e) : eventLine(e)}\n`);
      }
    }
    return 0;
  },
};

interface DiskUsage {
  LayersSize: number;
  Images: Array<{ Id: string; RepoTags: string[]; Size: number; SharedSize: number; Containers: number; Created: number }>;
  Containers: Array<{ Id: string; Names: string[]; Image: string; State: string; SizeRw: number; SizeRootFs: number }>;
  Volumes: Array<{ Name: string; UsageData: { Size: number; RefCount: number } }>;
  BuildCache: unknown[];
}

const pct = (part: number, total: number) => (total > 0 ? ` (${Math.round((part * 100) / total)}%)` : '');

const df: Command = {
  spec: {
    name: 'system df',
    usage: '[OPTIONS]',
    summary: 'Show berth disk usage',
    maxArgs: 0,
    flags: [
      { name: 'verbose', short: 'v', type: 'bool', help: 'Show detailed information on space usage' },
      { name: 'format', type: 'string', help: "Format output: 'json' or a Go template" },
    ],
  },
  async run(p, ctx) {
    const u = await ctx.client().get<DiskUsage>('/system/df');
    const fmt = str(p, 'format');
    if (fmt) {
      process.stdout.write(`${fmt === 'json' ? JSON.stringify(u) : renderTemplate(fmt, u)}\n`);
      return 0;
    }
    const imgActive = u.Images.filter((i) => i.Containers > 0);
    const imgReclaim = u.Images.filter((i) => i.Containers === 0).reduce((a, i) => a + i.Size - Math.max(0, i.SharedSize), 0);
    const ctrSize = u.Containers.reduce((a, c) => a + c.SizeRw, 0);
    const ctrReclaim = u.Containers.filter((c) => c.State !== 'running' && c.State !== 'paused').reduce((a, c) => a + c.SizeRw, 0);
    const volSize = u.Volumes.reduce((a, v) => a + Math.max(0, v.UsageData.Size), 0);
    const volReclaim = u.Volumes.filter((v) => v.UsageData.RefCount === 0).reduce((a, v) => a + Math.max(0, v.UsageData.Size), 0);
    process.stdout.write(table(['TYPE', 'TOTAL', 'ACTIVE', 'SIZE', 'RECLAIMABLE'], [
      ['Images', String(u.Images.length), String(imgActive.length), humanSize(u.LayersSize), `${humanSize(imgReclaim)}${pct(imgReclaim, u.LayersSize)}`],
      ['Containers', String(u.Containers.length), String(u.Containers.filter((c) => c.State === 'running').length), humanSize(ctrSize), `${humanSize(ctrReclaim)}${pct(ctrReclaim, ctrSize)}`],
      ['Local Volumes', String(u.Volumes.length), String(u.Volumes.filter((v) => v.UsageData.RefCount > 0).length), humanSize(volSize), `${humanSize(volReclaim)}${pct(volReclaim, volSize)}`],
      ['Build Cache', '0', '0', '0B', '0B'],
    ]));
    if (!bool(p, 'verbose')) return 0;
    process.stdout.write('\nImages space usage:\n\n');
    process.stdout.write(table(['REPOSITORY', 'TAG', 'IMAGE ID', 'SIZE', 'SHARED SIZE', 'CONTAINERS'], u.Images.flatMap((i) => (i.RepoTags.length ? i.RepoTags : ['<none>:<none>']).map((t) => {
      const at = t.lastIndexOf(':');
      return [t.slice(0, at), t.slice(at + 1), shortId(i.Id), humanSize(i.Size), humanSize(Math.max(0, i.SharedSize)), String(i.Containers)];
    }))));
    process.stdout.write('\nContainers space usage:\n\n');
    process.stdout.write(table(['CONTAINER ID', 'IMAGE', 'SIZE', 'STATUS', 'NAMES'], u.Containers.map((c) => [shortId(c.Id), c.Image, humanSize(c.SizeRw), c.State, (c.Names[0] ?? '').replace(/^\//, '')])));
    process.stdout.write('\nLocal Volumes space usage:\n\n');
    process.stdout.write(table(['VOLUME NAME', 'LINKS', 'SIZE'], u.Volumes.map((v) => [v.Name, String(v.UsageData.RefCount), humanSize(v.UsageData.Size)])));
    return 0;
  },
};

const prune: Command = {
  spec: {
    name: 'system prune',
    usage: '[OPTIONS]',
    summary: 'Remove unused data',
    maxArgs: 0,
    flags: [
      { name: 'all', short: 'a', type: 'bool', help: 'Remove all unused images not just dangling ones' },
      { name: 'force', short: 'f', type: 'bool', help: 'Do not prompt for confirmation' },
      { name: 'volumes', type: 'bool', help: 'Prune anonymous volumes' },
      { name: 'filter', type: 'list', help: "Provide filter values (e.g. 'label=<key>=<value>')" },
    ],
  },
  async run(p, ctx) {
    if (!bool(p, 'force')) {
      process.stdout.write(`WARNING! This will remove:\n  - all stopped containers\n  - all networks not used by at least one container\n${bool(p, 'volumes') ? '  - all anonymous volumes not used by at least one container\n' : ''}  - all ${bool(p, 'all') ? 'images without at least one container associated to them' : 'dangling images'}\n\nAre you sure you want to continue? [y/N] `);
      const answer = await new Promise<string>((resolve) => {
        let data = '';
        process.stdin.setEncoding('utf8').on('data', (d: string) => (data += d)).once('end', () => resolve(data));
      });
      if (!/^y(es)?\s*$/i.test(answer.trim())) return 0;
    }
    const f = filters(list(p, 'filter'));
    const c = ctx.client();
    let reclaimed = 0;
    const section = (title: string, items: string[]) => {
      if (items.length) process.stdout.write(`${title}:\n${items.map((i) => `${i}\n`).join('')}\n`);
    };
    const ctr = await c.json<{ ContainersDeleted: string[] | null; SpaceReclaimed: number }>('POST', '/containers/prune', { query: { filters: f } });
    section('Deleted Containers', ctr.ContainersDeleted ?? []);
    reclaimed += ctr.SpaceReclaimed ?? 0;
    const net = await c.json<{ NetworksDeleted: string[] | null }>('POST', '/networks/prune', { query: { filters: f } });
    section('Deleted Networks', net.NetworksDeleted ?? []);
    if (bool(p, 'volumes')) {
      const vol = await c.json<{ VolumesDeleted: string[] | null; SpaceReclaimed: number }>('POST', '/volumes/prune', { query: { filters: f } });
      section('Deleted Volumes', vol.VolumesDeleted ?? []);
      reclaimed += vol.SpaceReclaimed ?? 0;
    }
    const imgFilters = JSON.stringify({ ...(f ? JSON.parse(f) : {}), dangling: { [String(!bool(p, 'all'))]: true } });
    const img = await c.json<{ ImagesDeleted: Array<{ Untagged?: string; Deleted?: string }> | null; SpaceReclaimed: number }>('POST', '/images/prune', { query: { filters: imgFilters } });
    section('Deleted Images', (img.ImagesDeleted ?? []).map((i) => (i.Untagged ? `untagged: ${i.Untagged}` : `deleted: ${i.Deleted}`)));
    reclaimed += img.SpaceReclaimed ?? 0;
    process.stdout.write(`Total reclaimed space: ${humanSize(reclaimed)}\n`);
    return 0;
  },
};

export const commands: Record<string, Command> = { events, 'system df': df, 'system prune': prune };
