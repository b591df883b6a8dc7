/** `berth run`, `berth create` and `berth start`: the container lifecycle from the client's side. */
import type http from 'node:http';
import type { Parsed } from '../args.js';
import { DaemonError, readAll, type DaemonClient } from '../client.js';
import { bool, CliError, str, type CliContext, type Command } from '../command.js';
import { containerFlags, createBody } from '../container-flags.js';
import { followResize, pumpInput, pumpOutput, rawTerminal, startFailureExit, terminalSize } from '../streams.js';

async function createContainer(client: DaemonClient, p: Parsed, consoleSize?: [number, number]): Promise<string> {
  const body = createBody(p, consoleSize);
  const name = str(p, 'name');
  try {
    const res = await client.json<{ Id: string; Warnings?: string[] }>('POST', '/containers/create', { query: { name }, body });
    for (const w of res.Warnings ?? []) process.stderr.write(`WARNING: ${w}\n`);
    return res.Id;
  } catch (err) {
    if (err instanceof DaemonError && err.status === 404 && /image/i.test(err.message)) {
      process.stderr.write(`Unable to find image '${p.args[0]}' locally\n`);
    }
    throw err;
  }
}

type WaitResult = { StatusCode: number; Error?: { Message: string } | null };

/**
 * Starts the wait request and resolves once its headers are in (the daemon is then watching for
 * the exit); `result` resolves with the body. Wrapped in an object so the promises don't flatten.
 */
async function openWait(client: DaemonClient, id: string, condition: string): Promise<{ result: Promise<WaitResult> }> {
  const res: http.IncomingMessage = await client.request('POST', `/containers/${id}/wait`, { query: { condition } });
  return { result: readAll(res).then((b) => JSON.parse(b.toString('utf8') || '{"StatusCode":-1}') as WaitResult) };
}

/** Forwards SIGINT/SIGTERM to the container (docker's --sig-proxy) in non-TTY foreground runs. */
function proxySignals(client: DaemonClient, id: string): () => void {
  const handlers = (['SIGINT', 'SIGTERM'] as const).map((sig) => {
    const h = () => void client.post(`/containers/${id}/kill`, { query: { signal: sig.slice(3) } }).catch(() => {});
    process.on(sig, h);
    return [sig, h] as const;
  });
  return () => handlers.forEach(([sig, h]) => process.off(sig, h));
}

/**
 * Runs a step of getting the process going (attach, start); a daemon error there becomes docker's
 * exit code (127 command not found, 126 not executable, 125 otherwise), and with --rm the
 * container is removed so nothing is left behind. Returns undefined when the step succeeded.
 */
async function launchStep(client: DaemonClient, id: string, autoRemove: boolean, step: () => Promise<void>): Promise<number | undefined> {
  try {
    await step();
    return undefined;
  } catch (err) {
    if (!(err instanceof DaemonError)) throw err;
    process.stderr.write(`berth: Error response from daemon: ${err.message}\n`);
    if (autoRemove) await client.request('DELETE', `/containers/${id}`, { query: { force: true } }).then(readAll).catch(() => {});
    return startFailureExit(err.message);
  }
}

const startOrExit = (client: DaemonClient, id: string, autoRemove: boolean) => launchStep(client, id, autoRemove, () => client.post(`/containers/${id}/start`));

/**
 * Foreground run/start -a: attach first (so no output is lost), then wait (headers in = the daemon
 * is watching for the exit), then start, then stream until the process ends; exit with its code.
 */
async function runAttached(client: DaemonClient, id: string, opts: { tty: boolean; interactive: boolean; autoRemove: boolean; start: boolean }): Promise<number> {
  let hijacked: { socket: import('node:net').Socket; tty: boolean } | undefined;
  // The wait goes out beside the attach (both must be in place before start, neither needs the
  // other), so the daemon's attach work and this round trip overlap.
  const waiting = openWait(client, id, opts.autoRemove ? 'removed' : 'next-exit');
  waiting.catch(() => undefined); // awaited below unless the attach failed first
  const attachFailed = await launchStep(client, id, opts.autoRemove, async () => {
    hijacked = await client.hijack(`/containers/${id}/attach`, { query: { stream: true, stdin: opts.interactive, stdout: true, stderr: true } });
  });
  if (attachFailed !== undefined || !hijacked) return attachFailed ?? 125;
  const { socket, tty } = hijacked;
  const waited = await waiting;
  const restoreTerminal = opts.tty && opts.interactive ? rawTerminal() : () => {};
  const stopSignals = opts.tty ? () => {} : proxySignals(client, id);
  let stopResize = () => {};
  let stopInput = () => {};
  try {
    const output = pumpOutput(socket, tty);
    if (opts.start) {
      const failed = await startOrExit(client, id, opts.autoRemove);
      if (failed !== undefined) {
        socket.destroy();
        return failed;
      }
    }
    if (opts.tty) stopResize = followResize((h, w) => client.post(`/containers/${id}/resize`, { query: { h, w } }));
    stopInput = pumpInput(socket, opts.interactive);
    await output;
    const result = await waited.result;
    if (result.Error?.Message) process.stderr.write(`berth: ${result.Error.Message}\n`);
    return result.StatusCode;
  } finally {
    stopInput();
    stopResize();
    stopSignals();
    restoreTerminal();
  }
}

const run: Command = {
  spec: { name: 'run', usage: '[OPTIONS] IMAGE [COMMAND] [ARG...]', summary: 'Create and run a new container from an image', flags: containerFlags, stopAtFirstArg: true, minArgs: 1 },
  errorExit: 125,
  async run(p, ctx: CliContext) {
    const client = ctx.client();
    const detach = bool(p, 'detach');
    const tty = bool(p, 'tty');
    const interactive = bool(p, 'interactive');
    if (tty && interactive && !process.stdin.isTTY) throw new CliError('the input device is not a TTY', 1);
    const id = await createContainer(client, p, tty ? terminalSize() : undefined);
    if (detach) {
      const failed = await startOrExit(client, id, bool(p, 'rm'));
      if (failed !== undefined) return failed;
      process.stdout.write(`${id}\n`);
      return 0;
    }
    return runAttached(client, id, { tty, interactive, autoRemove: bool(p, 'rm'), start: true });
  },
};

const create: Command = {
  spec: { name: 'create', usage: '[OPTIONS] IMAGE [COMMAND] [ARG...]', summary: 'Create a new container', flags: containerFlags.filter((f) => f.name !== 'detach'), stopAtFirstArg: true, minArgs: 1 },
  errorExit: 125,
  async run(p, ctx) {
    const id = await createContainer(ctx.client(), p);
    process.stdout.write(`${id}\n`);
    return 0;
  },
};

const start: Command = {
  spec: {
    name: 'start',
    usage: '[OPTIONS] CONTAINER [CONTAINER...]',
    summary: 'Start one or more stopped containers',
    minArgs: 1,
    flags: [
      { name: 'attach', short: 'a', type: 'bool', help: 'Attach STDOUT/STDERR and forward signals' },
      { name: 'interactive', short: 'i', type: 'bool', help: "Attach container's STDIN" },
    ],
  },
  async run(p, ctx) {
    const client = ctx.client();
    const attach = bool(p, 'attach') || bool(p, 'interactive');
    if (attach) {
      if (p.args.length > 1) throw new CliError('you cannot start and attach multiple containers at once');
      const info = await client.get<{ Id: string; Config: { Tty: boolean }; State: { Running: boolean }; HostConfig: { AutoRemove: boolean } }>(`/containers/${encodeURIComponent(p.args[0]!)}/json`);
      if (info.State.Running) throw new CliError(`container ${p.args[0]} is already running`);
      return runAttached(client, info.Id, { tty: info.Config.Tty, interactive: bool(p, 'interactive'), autoRemove: info.HostConfig.AutoRemove, start: true });
    }
    let failed = false;
    for (const ref of p.args) {
      try {
        await client.post(`/containers/${encodeURIComponent(ref)}/start`);
        process.stdout.write(`${ref}\n`);
      } catch (err) {
        if (!(err instanceof DaemonError)) throw err;
        process.stderr.write(`Error response from daemon: ${err.message}\n`);
        failed = true;
      }
    }
    if (failed) throw new CliError('failed to start containers');
    return 0;
  },
};

export const commands: Record<string, Command> = { run, create, start };
