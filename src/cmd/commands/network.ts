/** `berth network create|ls|inspect|rm|connect|disconnect|prune` and `berth port`, as docker's. */
import { DaemonError } from '../client.js';
import { bool, CliError, list, str, structuredFormat, type Command } from '../command.js';
import { formatList, printStructured, renderTemplate, shortId, table } from '../output.js';

interface NetworkJson { Id: string; Name: string; Driver: string; Scope: string; Internal: boolean; Created: string; Labels: Record<string, string>; IPAM: { Config: Array<{ Subnet: string; Gateway: string }> } }

function labels(values: string[]): Record<string, string> {
  return Object.fromEntries(values.map((l) => {
    const eq = l.indexOf('=');
    return eq < 0 ? [l, ''] : [l.slice(0, eq), l.slice(eq + 1)];
  }));
}

function filters(values: string[]): string | undefined {
  if (!values.length) return undefined;
  const f: Record<string, Record<string, boolean>> = {};
  for (const v of values) {
    const eq = v.indexOf('=');
    if (eq <= 0) throw new CliError(`bad format of filter (expected name=value): ${v}`, 125);
    (f[v.slice(0, eq)] ??= {})[v.slice(eq + 1)] = true;
  }
  return JSON.stringify(f);
}

const create: Command = {
  spec: {
    name: 'network create',
    usage: '[OPTIONS] NETWORK',
    summary: 'Create a network',
    minArgs: 1,
    maxArgs: 1,
    flags: [
      { name: 'driver', short: 'd', type: 'string', help: 'Driver to manage the Network (bridge only)', default: 'bridge' },
      { name: 'subnet', type: 'list', help: 'Subnet in CIDR format that represents a network segment' },
      { name: 'gateway', type: 'list', help: 'IPv4 Gateway for the master subnet' },
      { name: 'internal', type: 'bool', help: 'Restrict external access to the network' },
      { name: 'label', type: 'list', help: 'Set metadata on a network' },
    ],
  },
  async run(p, ctx) {
    const subnets = list(p, 'subnet');
    const gateways = list(p, 'gateway');
    if (subnets.length > 1 || gateways.length > 1) throw new CliError('berth networks take one IPv4 subnet and gateway', 125);
    if (gateways.length && !subnets.length) throw new CliError('every ip-range or gateway must have a corresponding subnet', 125);
    const body = {
      Name: p.args[0],
      Driver: str(p, 'driver') ?? 'bridge',
      Internal: bool(p, 'internal'),
      Labels: labels(list(p, 'label')),
      IPAM: { Driver: 'default', Config: subnets.length ? [{ Subnet: subnets[0], ...(gateways[0] ? { Gateway: gateways[0] } : {}) }] : [] },
    };
    const r = await ctx.client().json<{ Id: string }>('POST', '/networks/create', { body });
    process.stdout.write(`${r.Id}\n`);
    return 0;
  },
};

const ls: Command = {
  spec: {
    name: 'network ls',
    usage: '[OPTIONS]',
    summary: 'List networks',
    aliases: ['network list'],
    maxArgs: 0,
    flags: [
      { name: 'filter', short: 'f', type: 'list', help: "Provide filter values (e.g. 'driver=bridge')" },
      { name: 'quiet', short: 'q', type: 'bool', help: 'Only display network IDs' },
      { name: 'no-trunc', type: 'bool', help: 'Do not truncate the output' },
      { name: 'format', type: 'string', help: "Format output: 'json' or a Go template" },
      { name: 'output', short: 'o', type: 'string', help: 'Output format: json or yaml' },
    ],
  },
  async run(p, ctx) {
    const nets = await ctx.client().get<NetworkJson[]>('/networks', { filters: filters(list(p, 'filter')) });
    const id = (n: NetworkJson) => (bool(p, 'no-trunc') ? n.Id : shortId(n.Id));
    if (bool(p, 'quiet')) {
      process.stdout.write(nets.map((n) => `${id(n)}\n`).join(''));
      return 0;
    }
    if (p.flags.output) {
      await printStructured(nets, structuredFormat(p)!);
      return 0;
    }
    const rows = nets.map((n) => ({ ID: id(n), Name: n.Name, Driver: n.Driver, Scope: n.Scope, Internal: String(n.Internal), CreatedAt: n.Created, Labels: Object.entries(n.Labels).map(([k, v]) => `${k}=${v}`).join(',') }));
    const fmt = str(p, 'format');
    if (fmt && fmt !== 'table') process.stdout.write(formatList(fmt, rows, { ID: 'NETWORK ID' }));
    else process.stdout.write(table(['NETWORK ID', 'NAME', 'DRIVER', 'SCOPE'], rows.map((r) => [r.ID, r.Name, r.Driver, r.Scope])));
    return 0;
  },
};

const inspect: Command = {
  spec: {
    name: 'network inspect',
    usage: '[OPTIONS] NETWORK [NETWORK...]',
    summary: 'Display detailed information on one or more networks',
    minArgs: 1,
    flags: [
      { name: 'format', short: 'f', type: 'string', help: "Format output using a custom template: 'json' or a Go template" },
      { name: 'output', short: 'o', type: 'string', help: 'Output format: json or yaml' },
    ],
  },
  async run(p, ctx) {
    const found: unknown[] = [];
    const missing: string[] = [];
    for (const ref of p.args) {
      try {
        found.push(await ctx.client().get(`/networks/${encodeURIComponent(ref)}`));
      } catch (err) {
        if (!(err instanceof DaemonError && err.status === 404)) throw err;
        missing.push(ref);
      }
    }
    const fmt = str(p, 'format');
    if (fmt && fmt !== 'json') for (const n of found) process.stdout.write(`${renderTemplate(fmt, n)}\n`);
    else await printStructured(found, structuredFormat(p) ?? 'json');
    for (const m of missing) process.stderr.write(`Error response from daemon: network ${m} not found\n`);
    return missing.length ? 1 : 0;
  },
};

const rm: Command = {
  spec: { name: 'network rm', usage: 'NETWORK [NETWORK...]', summary: 'Remove one or more networks', aliases: ['network remove'], minArgs: 1, flags: [{ name: 'force', short: 'f', type: 'bool', help: 'Do not error if the network does not exist' }] },
  async run(p, ctx) {
    let failed = false;
    for (const ref of p.args) {
      try {
        await ctx.client().json('DELETE', `/networks/${encodeURIComponent(ref)}`);
        process.stdout.write(`${ref}\n`);
      } catch (err) {
        if (bool(p, 'force') && err instanceof DaemonError && err.status === 404) continue;
        process.stderr.write(`Error response from daemon: ${(err as Error).message}\n`);
        failed = true;
      }
    }
    return failed ? 1 : 0;
  },
};

const connect: Command = {
  spec: {
    name: 'network connect',
    usage: '[OPTIONS] NETWORK CONTAINER',
    summary: 'Connect a container to a network',
    minArgs: 2,
    maxArgs: 2,
    flags: [
      { name: 'alias', type: 'list', help: 'Add network-scoped alias for the container' },
      { name: 'ip', type: 'string', help: 'IPv4 address (e.g., "172.30.100.104")' },
    ],
  },
  async run(p, ctx) {
    const ip = str(p, 'ip');
    const body = { Container: p.args[1], EndpointConfig: { Aliases: list(p, 'alias'), ...(ip ? { IPAMConfig: { IPv4Address: ip } } : {}) } };
    await ctx.client().post(`/networks/${encodeURIComponent(p.args[0]!)}/connect`, { body });
    return 0;
  },
};

const disconnect: Command = {
  spec: {
    name: 'network disconnect',
    usage: '[OPTIONS] NETWORK CONTAINER',
    summary: 'Disconnect a container from a network',
    minArgs: 2,
    maxArgs: 2,
    flags: [{ name: 'force', short: 'f', type: 'bool', help: 'Force the container to disconnect from a network' }],
  },
  async run(p, ctx) {
    await ctx.client().post(`/networks/${encodeURIComponent(p.args[0]!)}/disconnect`, { body: { Container: p.args[1], Force: bool(p, 'force') } });
    return 0;
  },
};

const prune: Command = {
  spec: {
    name: 'network prune',
    usage: '[OPTIONS]',
    summary: 'Remove all unused networks',
    maxArgs: 0,
    flags: [
      { name: 'force', short: 'f', type: 'bool', help: 'Do not prompt for confirmation' },
      { name: 'filter', type: 'list', help: "Provide filter values (e.g. 'label=<label>')" },
    ],
  },
  async run(p, ctx) {
    if (!bool(p, 'force')) {
      process.stdout.write('WARNING! This will remove all custom networks not used by at least one container.\nAre you sure you want to continue? [y/N] ');
      const answer = await new Promise<string>((resolve) => {
        let data = '';
        process.stdin.setEncoding('utf8').on('data', (d: string) => (data += d)).once('end', () => resolve(data));
      });
      if (!/^y(es)?\s*$/i.test(answer.trim())) return 0;
    }
    const r = await ctx.client().json<{ NetworksDeleted: string[] | null }>('POST', '/networks/prune', { query: { filters: filters(list(p, 'filter')) } });
    const names = r.NetworksDeleted ?? [];
    if (names.length) process.stdout.write(`Deleted Networks:\n${names.map((n) => `${n}\n`).join('')}`);
    return 0;
  },
};

const port: Command = {
  spec: { name: 'port', usage: 'CONTAINER [PRIVATE_PORT[/PROTO]]', summary: 'List port mappings or a specific mapping for the container', aliases: ['container port'], minArgs: 1, maxArgs: 2, flags: [] },
  async run(p, ctx) {
    const c = await ctx.client().get<{ NetworkSettings: { Ports: Record<string, Array<{ HostIp: string; HostPort: string }> | null> } }>(`/containers/${encodeURIComponent(p.args[0]!)}/json`);
    const want = p.args[1] ? (p.args[1].includes('/') ? p.args[1] : `${p.args[1]}/tcp`) : undefined;
    const lines: string[] = [];
    for (const [key, bindings] of Object.entries(c.NetworkSettings.Ports ?? {})) {
      if (want && key !== want) continue;
      for (const b of bindings ?? []) lines.push(want ? `${b.HostIp}:${b.HostPort}` : `${key} -> ${b.HostIp}:${b.HostPort}`);
    }
    if (want && !lines.length) throw new CliError(`Error: No public port '${want}' published for ${p.args[0]}`, 1);
    process.stdout.write(lines.map((l) => `${l}\n`).join(''));
    return 0;
  },
};

export const commands: Record<string, Command> = {
  'network create': create, 'network ls': ls, 'network inspect': inspect, 'network rm': rm,
  'network connect': connect, 'network disconnect': disconnect, 'network prune': prune, port,
};
