/**
 * The flags `run` and `create` share, and their translation into the Docker create request body
 * (the daemon validates it again; the CLI checks what only it can, e.g. reading --env-file).
 */
import fs from 'node:fs';
import type { FlagSpec, Parsed } from './args.js';
import { bool, CliError, int, list, str } from './command.js';
import { parseBytes } from './output.js';
import { volumeBody, volumeFlags } from './commands/volume-flags.js';
import { parsePortRange, parsePublishList, type PortBindingsJson } from '../api/docker/network-ports.js';

export const containerFlags: FlagSpec[] = [
  { name: 'detach', short: 'd', type: 'bool', help: 'Run container in background and print container ID' },
  { name: 'rm', type: 'bool', help: 'Automatically remove the container and its associated anonymous volumes when it exits' },
  { name: 'interactive', short: 'i', type: 'bool', help: 'Keep STDIN open even if not attached' },
  { name: 'tty', short: 't', type: 'bool', help: 'Allocate a pseudo-TTY' },
  { name: 'name', type: 'string', help: 'Assign a name to the container' },
  { name: 'env', short: 'e', type: 'list', help: 'Set environment variables' },
  { name: 'env-file', type: 'list', help: 'Read in a file of environment variables' },
  { name: 'label', short: 'l', type: 'list', help: 'Set meta data on a container' },
  { name: 'workdir', short: 'w', type: 'string', help: 'Working directory inside the container' },
  { name: 'user', short: 'u', type: 'string', help: 'Username or UID (format: <name|uid>[:<group|gid>])' },
  { name: 'entrypoint', type: 'string', help: 'Overwrite the default ENTRYPOINT of the image' },
  { name: 'hostname', type: 'string', help: 'Container host name' },
  { name: 'memory', short: 'm', type: 'string', value: 'bytes', help: 'Memory limit' },
  { name: 'memory-swap', type: 'string', value: 'bytes', help: "Swap limit equal to memory plus swap: '-1' to enable unlimited swap" },
  { name: 'cpus', type: 'string', value: 'decimal', help: 'Number of CPUs' },
  { name: 'cpu-shares', short: 'c', type: 'int', help: 'CPU shares (relative weight)' },
  { name: 'cpu-quota', type: 'int', help: 'Limit CPU CFS (Completely Fair Scheduler) quota' },
  { name: 'cpu-period', type: 'int', help: 'Limit CPU CFS (Completely Fair Scheduler) period' },
  { name: 'pids-limit', type: 'int', help: 'Tune container pids limit (set -1 for unlimited)' },
  { name: 'read-only', type: 'bool', help: "Mount the container's root filesystem as read only" },
  { name: 'cap-add', type: 'list', help: 'Add Linux capabilities' },
  { name: 'cap-drop', type: 'list', help: 'Drop Linux capabilities' },
  { name: 'privileged', type: 'bool', help: 'Give extended privileges to this container' },
  { name: 'security-opt', type: 'list', help: 'Security Options' },
  { name: 'init', type: 'bool', help: 'Run an init inside the container that forwards signals and reaps processes' },
  { name: 'restart', type: 'string', help: 'Restart policy to apply when a container exits', default: 'no' },
  { name: 'ulimit', type: 'list', value: 'ulimit', help: 'Ulimit options' },
  { name: 'shm-size', type: 'string', value: 'bytes', help: 'Size of /dev/shm' },
  { name: 'network', type: 'string', value: 'network', help: 'Connect a container to a network (bridge, host, none, container:<name|id> or a network name)' },
  { name: 'network-alias', type: 'list', help: 'Add network-scoped alias for the container' },
  { name: 'ip', type: 'string', help: 'IPv4 address (e.g., 172.30.100.104)' },
  { name: 'publish-all', short: 'P', type: 'bool', help: 'Publish all exposed ports to random ports' },
  { name: 'expose', type: 'list', help: 'Expose a port or a range of ports' },
  { name: 'add-host', type: 'list', help: 'Add a custom host-to-IP mapping (host:ip)' },
  { name: 'dns', type: 'list', help: 'Set custom DNS servers' },
  { name: 'runtime', type: 'string', help: 'Runtime to use for this container (crun or runc)' },
  { name: 'stop-signal', type: 'string', help: 'Signal to stop the container' },
  { name: 'stop-timeout', type: 'int', help: 'Timeout (in seconds) to stop a container' },
  { name: 'userns', type: 'string', help: 'User namespace to use' },
  { name: 'publish', short: 'p', type: 'list', help: "Publish a container's port(s) to the host" },
  ...volumeFlags,
];

function publish(p: Parsed): { exposed: string[]; bindings: PortBindingsJson } {
  try {
    const r = parsePublishList(list(p, 'publish'));
    for (const e of list(p, 'expose')) {
      const [ports, proto = 'tcp'] = e.split('/', 2) as [string, string | undefined];
      const range = parsePortRange(ports, 'port to expose');
      for (let i = range.start; i <= range.end; i++) if (!r.exposed.includes(`${i}/${proto}`)) r.exposed.push(`${i}/${proto}`);
    }
    return r;
  } catch (err) {
    throw new CliError((err as Error).message, 125);
  }
}

/** A size flag (`64m`, `1g`, `-1` for unlimited) in bytes; a bad value fails with exitCode. */
export function sizeFlag(p: Parsed, name: string, exitCode?: number): number | undefined {
  const v = str(p, name);
  if (v === undefined) return undefined;
  if (v === '-1') return -1;
  try {
    return parseBytes(v, `--${name}`);
  } catch (err) {
    throw new CliError((err as Error).message, exitCode);
  }
}

function envFile(file: string): string[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new CliError(`open ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (err as Error).message}`, 125);
  }
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => (l.includes('=') ? l : `${l}=${process.env[l] ?? ''}`));
}

function restartPolicy(v: string | undefined): { Name: string; MaximumRetryCount: number } | undefined {
  if (!v) return undefined;
  const [name, count] = v.split(':', 2) as [string, string | undefined];
  if (count !== undefined && (name !== 'on-failure' || !/^\d+$/.test(count))) throw new CliError(`invalid restart policy format "${v}"`, 125);
  return { Name: name, MaximumRetryCount: count ? Number(count) : 0 };
}

const ULIMIT_NAMES = new Set(['core', 'cpu', 'data', 'fsize', 'locks', 'memlock', 'msgqueue', 'nice', 'nofile', 'nproc', 'rss', 'rtprio', 'rttime', 'sigpending', 'stack', 'as']);

function ulimit(v: string): { Name: string; Soft: number; Hard: number } {
  const m = /^([a-z]+)=(-?\d+)(?::(-?\d+))?$/.exec(v);
  if (!m || !ULIMIT_NAMES.has(m[1]!)) throw new CliError(`invalid ulimit argument: "${v}" (use name=soft[:hard], e.g. nofile=1024:2048)`, 125);
  const soft = Number(m[2]);
  return { Name: m[1]!, Soft: soft, Hard: m[3] !== undefined ? Number(m[3]) : soft };
}

function cpus(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+(\.\d+)?$/.test(v)) throw new CliError(`invalid argument "${v}" for "--cpus" flag: not a decimal number`, 125);
  return Math.round(Number(v) * 1e9);
}

function labels(p: Parsed): Record<string, string> | undefined {
  const ls = list(p, 'label');
  if (!ls.length) return undefined;
  return Object.fromEntries(ls.map((l) => {
    const eq = l.indexOf('=');
    return eq < 0 ? [l, ''] : [l.slice(0, eq), l.slice(eq + 1)];
  }));
}

/** The Docker create body for `berth run/create [OPTIONS] IMAGE [COMMAND] [ARG...]`. */
export function createBody(p: Parsed, consoleSize?: [number, number]): Record<string, unknown> {
  const mounts = volumeBody(p);
  const [image, ...cmd] = p.args;
  const env = [...list(p, 'env-file').flatMap(envFile), ...list(p, 'env').map((e) => (e.includes('=') ? e : `${e}=${process.env[e] ?? ''}`))];
  const interactive = bool(p, 'interactive');
  const detach = bool(p, 'detach');
  const entrypoint = str(p, 'entrypoint');
  const ports = publish(p);
  const network = str(p, 'network') ?? 'default';
  const aliases = list(p, 'network-alias');
  const ip = str(p, 'ip');
  const endpoint = aliases.length || ip ? { [network === 'default' ? 'bridge' : network]: { ...(aliases.length ? { Aliases: aliases } : {}), ...(ip ? { IPAMConfig: { IPv4Address: ip } } : {}) } } : undefined;
  return {
    Image: image,
    Cmd: cmd.length ? cmd : null,
    Entrypoint: entrypoint === undefined ? null : entrypoint === '' ? [''] : [entrypoint],
    Env: env,
    WorkingDir: str(p, 'workdir') ?? '',
    User: str(p, 'user') ?? '',
    Hostname: str(p, 'hostname') ?? '',
    Labels: labels(p) ?? {},
    Tty: bool(p, 'tty'),
    OpenStdin: interactive,
    StdinOnce: interactive && !detach,
    AttachStdin: interactive && !detach,
    AttachStdout: !detach,
    AttachStderr: !detach,
    StopSignal: str(p, 'stop-signal'),
    StopTimeout: int(p, 'stop-timeout'),
    ...mounts.config,
    ExposedPorts: Object.fromEntries(ports.exposed.map((k) => [k, {}])),
    ...(endpoint ? { NetworkingConfig: { EndpointsConfig: endpoint } } : {}),
    HostConfig: {
      ...mounts.host,
      PortBindings: ports.bindings,
      PublishAllPorts: bool(p, 'publish-all'),
      AutoRemove: bool(p, 'rm'),
      Memory: sizeFlag(p, 'memory', 125) ?? 0,
      MemorySwap: sizeFlag(p, 'memory-swap', 125) ?? 0,
      NanoCpus: cpus(str(p, 'cpus')) ?? 0,
      CpuShares: int(p, 'cpu-shares') ?? 0,
      CpuQuota: int(p, 'cpu-quota') ?? 0,
      CpuPeriod: int(p, 'cpu-period') ?? 0,
      PidsLimit: int(p, 'pids-limit'),
      ReadonlyRootfs: bool(p, 'read-only'),
      CapAdd: list(p, 'cap-add'),
      CapDrop: list(p, 'cap-drop'),
      Privileged: bool(p, 'privileged'),
      SecurityOpt: list(p, 'security-opt'),
      Init: bool(p, 'init') || undefined,
      RestartPolicy: restartPolicy(str(p, 'restart')),
      Ulimits: list(p, 'ulimit').map(ulimit),
      ShmSize: sizeFlag(p, 'shm-size', 125) ?? 0,
      NetworkMode: network,
      ExtraHosts: list(p, 'add-host'),
      Dns: list(p, 'dns'),
      Runtime: str(p, 'runtime'),
      UsernsMode: str(p, 'userns') ?? '',
      ...(consoleSize ? { ConsoleSize: consoleSize } : {}),
    },
  };
}
