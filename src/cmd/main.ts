#!/usr/bin/env node
/**
 * `berth <command>`: the CLI entry. It must start fast, so it imports only the module of the
 * command being run (lazily) and nothing heavy on the way there.
 */
import { parseArgs, UsageError, usageText } from './args.js';
import { ConnectError, DaemonError, DEFAULT_HOST } from './client-errors.js';
import { CliError, makeContext, type Command } from './command.js';

type Loader = () => Promise<Record<string, Command>>;
const mod = {
  run: () => import('./commands/run.js').then((m) => m.commands),
  exec: () => import('./commands/exec.js').then((m) => m.commands),
  ps: () => import('./commands/ps.js').then((m) => m.commands),
  logs: () => import('./commands/logs.js').then((m) => m.commands),
  lifecycle: () => import('./commands/lifecycle.js').then((m) => m.commands),
  inspect: () => import('./commands/inspect.js').then((m) => m.commands),
  stats: () => import('./commands/stats-top.js').then((m) => m.commands),
  images: () => import('./commands/images.js').then((m) => m.commands),
  system: () => import('./commands/system.js').then((m) => m.commands),
  server: () => import('./commands/server.js').then((m) => m.commands),
  datastore: () => import('./commands/datastore.js').then((m) => m.commands),
  network: () => import('./commands/network.js').then((m) => m.commands),
  volume: () => import('./commands/volume.js').then((m) => m.commands),
  files: () => import('./commands/container-files.js').then((m) => m.commands),
  update: () => import('./commands/update.js').then((m) => m.commands),
  eventsDf: () => import('./commands/events-df.js').then((m) => m.commands),
  // Written by the kube-api work as a self-contained `argv → exit code` function.
  kubeconfig: () =>
    import('./commands/kubeconfig.js').then((m) => ({
      kubeconfig: { spec: { name: 'kubeconfig', usage: '[OPTIONS]', summary: 'Print an admin kubeconfig for the Kubernetes API', flags: [] }, rawArgs: true, run: (p) => m.runKubeconfigCommand(p.args) } satisfies Command,
    })),
} satisfies Record<string, Loader>;

/** command → [module, summary] (summaries here so `berth --help` loads no command module). */
const COMMANDS: Record<string, [Loader, string]> = {
  run: [mod.run, 'Create and run a new container from an image'],
  create: [mod.run, 'Create a new container'],
  start: [mod.run, 'Start one or more stopped containers'],
  exec: [mod.exec, 'Execute a command in a running container'],
  ps: [mod.ps, 'List containers'],
  logs: [mod.logs, 'Fetch the logs of a container'],
  stop: [mod.lifecycle, 'Stop one or more running containers'],
  restart: [mod.lifecycle, 'Restart one or more containers'],
  kill: [mod.lifecycle, 'Kill one or more running containers'],
  rm: [mod.lifecycle, 'Remove one or more containers'],
  pause: [mod.lifecycle, 'Pause all processes within one or more containers'],
  unpause: [mod.lifecycle, 'Unpause all processes within one or more containers'],
  wait: [mod.lifecycle, 'Block until one or more containers stop, then print their exit codes'],
  rename: [mod.lifecycle, 'Rename a container'],
  update: [mod.update, 'Update configuration of one or more containers'],
  diff: [mod.files, "Inspect changes to files or directories on a container's filesystem"],
  cp: [mod.files, 'Copy files/folders between a container and the local filesystem'],
  export: [mod.files, "Export a container's filesystem as a tar archive"],
  commit: [mod.files, "Create a new image from a container's changes"],
  inspect: [mod.inspect, 'Return low-level information on berth objects'],
  stats: [mod.stats, "Display a live stream of container(s) resource usage statistics"],
  top: [mod.stats, 'Display the running processes of a container'],
  images: [mod.images, 'List images'],
  tag: [mod.images, 'Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE'],
  rmi: [mod.images, 'Remove one or more images'],
  history: [mod.images, 'Show the history of an image'],
  load: [mod.images, 'Load an image from a tar archive or STDIN'],
  save: [mod.images, 'Save one or more images to a tar archive'],
  'image prune': [mod.images, 'Remove unused images'],
  'image inspect': [mod.images, 'Display detailed information on one or more images'],
  port: [mod.network, 'List port mappings or a specific mapping for the container'],
  'network create': [mod.network, 'Create a network'],
  'network ls': [mod.network, 'List networks'],
  'network inspect': [mod.network, 'Display detailed information on one or more networks'],
  'network rm': [mod.network, 'Remove one or more networks'],
  'network connect': [mod.network, 'Connect a container to a network'],
  'network disconnect': [mod.network, 'Disconnect a container from a network'],
  'network prune': [mod.network, 'Remove all unused networks'],
  'volume create': [mod.volume, 'Create a volume'],
  'volume ls': [mod.volume, 'List volumes'],
  'volume inspect': [mod.volume, 'Display detailed information on one or more volumes'],
  'volume rm': [mod.volume, 'Remove one or more volumes'],
  'volume prune': [mod.volume, 'Remove unused local volumes'],
  events: [mod.eventsDf, 'Get real time events from the server'],
  'system df': [mod.eventsDf, 'Show berth disk usage'],
  'system prune': [mod.eventsDf, 'Remove unused data'],
  version: [mod.system, 'Show the berth version information'],
  info: [mod.system, 'Display system-wide information'],
  server: [mod.server, 'Run the berth daemon'],
  datastore: [mod.datastore, "Manage berth's datastore"],
  kubeconfig: [mod.kubeconfig, 'Print an admin kubeconfig for the Kubernetes API'],
};

/** Docker's management-command spellings (`image ls`, `container rm`, …) → berth's command. */
const GROUPS: Record<string, Record<string, string>> = {
  image: { ls: 'images', list: 'images', rm: 'rmi', remove: 'rmi', tag: 'tag', load: 'load', save: 'save', history: 'history', inspect: 'image inspect', prune: 'image prune' },
  container: {
    ls: 'ps', list: 'ps', ps: 'ps', rm: 'rm', remove: 'rm', run: 'run', create: 'create', start: 'start', stop: 'stop', restart: 'restart',
    kill: 'kill', pause: 'pause', unpause: 'unpause', wait: 'wait', logs: 'logs', exec: 'exec', inspect: 'inspect', stats: 'stats', top: 'top',
    rename: 'rename', port: 'port', update: 'update', diff: 'diff', cp: 'cp', export: 'export', commit: 'commit',
  },
  system: { info: 'info', df: 'system df', prune: 'system prune', events: 'events' },
  network: { create: 'network create', ls: 'network ls', list: 'network ls', inspect: 'network inspect', rm: 'network rm', remove: 'network rm', connect: 'network connect', disconnect: 'network disconnect', prune: 'network prune' },
  volume: { create: 'volume create', ls: 'volume ls', list: 'volume ls', inspect: 'volume inspect', rm: 'volume rm', remove: 'volume rm', prune: 'volume prune' },
};

function globalHelp(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length)) + 3;
  const lines = Object.entries(COMMANDS).map(([name, [, summary]]) => `  ${name.padEnd(width)}${summary}`);
  return [
    'Usage:  berth [OPTIONS] COMMAND',
    '',
    'A Docker- and Kubernetes-compatible container stack on real Linux plumbing',
    '',
    'Options:',
    '  -H, --host string   Daemon socket to connect to (default $BERTH_HOST or unix:///run/berth/berth.sock)',
    '  -v, --version       Print version information and quit',
    '',
    'Commands:',
    ...lines,
    '',
    'Management commands: image (ls, rm, tag, load, save, history, inspect, prune), container (ls, rm, …)',
    "Run 'berth COMMAND --help' for more information on a command.",
    '',
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  let host = process.env.BERTH_HOST || DEFAULT_HOST;
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '-H' || a === '--host') host = argv[++i] ?? '';
    else if (a.startsWith('--host=')) host = a.slice('--host='.length);
    else if (a === '-v' || a === '--version') {
      const { berthVersion } = await import('./version.js');
      process.stdout.write(`berth version ${berthVersion()}\n`);
      return 0;
    } else if (a === '--help' || a === '-h') {
      process.stdout.write(globalHelp());
      return 0;
    } else if (a.startsWith('-')) {
      process.stderr.write(`berth: unknown flag: ${a}\nSee 'berth --help'.\n`);
      return 125;
    } else break;
  }
  let name = argv[i];
  let rest = argv.slice(i + 1);
  if (!name) {
    process.stdout.write(globalHelp());
    return 0;
  }
  const group = GROUPS[name];
  if (group) {
    const sub = rest[0];
    if (!sub || sub === '--help' || !group[sub]) {
      process.stderr.write(sub && sub !== '--help' ? `berth: '${name} ${sub}' is not a berth command.\n` : '');
      process.stdout.write(`Usage:  berth ${name} COMMAND\n\nCommands:\n${Object.keys(group).map((s) => `  ${s}`).join('\n')}\n`);
      return sub && sub !== '--help' ? 125 : 0;
    }
    name = group[sub]!;
    rest = rest.slice(1);
  }
  const entry = COMMANDS[name];
  if (!entry) {
    process.stderr.write(`berth: '${name}' is not a berth command.\nSee 'berth --help'\n`);
    return 125;
  }
  const command = (await entry[0]())[name]!;
  let parsed;
  try {
    parsed = command.rawArgs ? { flags: {}, args: rest, help: false } : parseArgs(command.spec, rest);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`berth: ${err.message}\nSee 'berth ${err.command} --help'.\n`);
      return 125;
    }
    throw err;
  }
  if (parsed.help) {
    process.stdout.write(usageText(command.spec));
    return 0;
  }
  try {
    const { DaemonClient } = await import('./client.js');
    return await command.run(parsed, makeContext(host, DaemonClient));
  } catch (err) {
    const code = command.errorExit ?? 1;
    if (err instanceof DaemonError) process.stderr.write(`Error response from daemon: ${err.message}\n`);
    else if (err instanceof ConnectError) process.stderr.write(`berth: ${err.message}\n`);
    else if (err instanceof CliError) {
      process.stderr.write(`berth: ${err.message}\n`);
      return err.exitCode ?? code;
    } else {
      process.stderr.write(`berth: ${(err as Error)?.stack ?? String(err)}\n`);
    }
    return code;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    // Streams (stdin in particular) may hold the loop open; a finished command exits. (`server`
    // returns only once it has shut down.)
    process.exitCode = code;
    setImmediate(() => process.exit(code));
  },
  (err) => {
    process.stderr.write(`berth: ${(err as Error)?.stack ?? String(err)}\n`);
    process.exit(125);
  },
);
