/** `berth ps`: lists containers like `docker ps`. */
import { humanDuration } from '../../api/docker/human-time.js';
import { formatPortsColumn, type ListedPort } from '../../api/docker/network-ports.js';
import { bool, list, str, structuredFormat, type Command } from '../command.js';
import { ellipsis, formatList, printStructured, shortId, table } from '../output.js';

const PS_HEADERS: Record<string, string> = { ID: 'CONTAINER ID', RunningFor: 'CREATED', CreatedAt: 'CREATED AT', LocalVolumes: 'LOCAL VOLUMES' };

interface ContainerEntry { Id: string; Names: string[]; Image: string; ImageID: string; Command: string; Created: number; State: string; Status: string; Labels: Record<string, string>; Ports: ListedPort[] | null; Mounts: unknown[]; HostConfig: { NetworkMode: string } }

/** The fields `docker ps --format` knows, as strings. */
function formatterRow(c: ContainerEntry, trunc: boolean): Record<string, string> {
  return {
    Command: JSON.stringify(trunc ? ellipsis(c.Command, 20) : c.Command),
    CreatedAt: new Date(c.Created * 1000).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' +0000 UTC'),
    ID: trunc ? shortId(c.Id) : c.Id,
    Image: trunc && c.Image.startsWith('sha256:') ? shortId(c.Image) : c.Image,
    Labels: Object.entries(c.Labels ?? {}).map(([k, v]) => `${k}=${v}`).join(','),
    LocalVolumes: '0',
    Mounts: '',
    Names: c.Names.map((n) => n.replace(/^\//, '')).join(','),
    Networks: c.HostConfig.NetworkMode,
    Ports: formatPortsColumn(c.Ports ?? []),
    RunningFor: `${humanDuration(Date.now() - c.Created * 1000)} ago`,
    Size: '0B',
    State: c.State,
    Status: c.Status,
  };
}

function filtersQuery(filters: string[]): string | undefined {
  if (!filters.length) return undefined;
  const out: Record<string, Record<string, boolean>> = {};
  for (const f of filters) {
    const eq = f.indexOf('=');
    const k = eq < 0 ? f : f.slice(0, eq);
    (out[k] ??= {})[eq < 0 ? '' : f.slice(eq + 1)] = true;
  }
  return JSON.stringify(out);
}

const ps: Command = {
  spec: {
    name: 'ps',
    usage: '[OPTIONS]',
    summary: 'List containers',
    aliases: ['container ls', 'container list', 'container ps'],
    maxArgs: 0,
    flags: [
      { name: 'all', short: 'a', type: 'bool', help: 'Show all containers (default shows just running)' },
      { name: 'quiet', short: 'q', type: 'bool', help: 'Only display container IDs' },
      { name: 'no-trunc', type: 'bool', help: "Don't truncate output" },
      { name: 'filter', short: 'f', type: 'list', value: 'filter', help: 'Filter output based on conditions provided' },
      { name: 'last', short: 'n', type: 'int', help: 'Show n last created containers (includes all states)' },
      { name: 'latest', short: 'l', type: 'bool', help: 'Show the latest created container (includes all states)' },
      { name: 'format', type: 'string', help: "Format output using a custom template: 'json' or a Go template" },
      { name: 'output', short: 'o', type: 'string', help: 'Output format: json or yaml' },
    ],
  },
  async run(p, ctx) {
    const last = bool(p, 'latest') ? 1 : (p.flags.last as number | undefined);
    const all = bool(p, 'all') || last !== undefined;
    const items = await ctx.client().get<ContainerEntry[]>('/containers/json', { all, filters: filtersQuery(list(p, 'filter')), limit: last });
    const trunc = !bool(p, 'no-trunc');
    if (bool(p, 'quiet')) {
      process.stdout.write(items.map((c) => `${trunc ? shortId(c.Id) : c.Id}\n`).join(''));
      return 0;
    }
    const fmt = str(p, 'format');
    if (p.flags.output) {
      await printStructured(items, structuredFormat(p)!);
      return 0;
    }
    if (fmt && fmt !== 'table') {
      process.stdout.write(formatList(fmt, items.map((c) => formatterRow(c, trunc)), PS_HEADERS));
      return 0;
    }
    const rows = items.map((c) => {
      const r = formatterRow(c, trunc);
      return [r.ID!, r.Image!, r.Command!, r.RunningFor!, r.Status!, r.Ports!, r.Names!];
    });
    process.stdout.write(table(['CONTAINER ID', 'IMAGE', 'COMMAND', 'CREATED', 'STATUS', 'PORTS', 'NAMES'], rows));
    return 0;
  },
};

export const commands: Record<string, Command> = { ps };
