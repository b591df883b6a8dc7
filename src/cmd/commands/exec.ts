/** `berth exec`: runs a command in a running container; exits with the command's exit code. */
import { DaemonError } from '../client.js';
import { bool, CliError, list, str, type Command } from '../command.js';
import { followResize, pumpInput, pumpOutput, rawTerminal, startFailureExit, terminalSize } from '../streams.js';

interface ExecJson { Running: boolean; ExitCode: number | null }

const exec: Command = {
  spec: {
    name: 'exec',
    usage: '[OPTIONS] CONTAINER COMMAND [ARG...]',
    summary: 'Execute a command in a running container',
    stopAtFirstArg: true,
    minArgs: 2,
    flags: [
      { name: 'detach', short: 'd', type: 'bool', help: 'Detached mode: run command in the background' },
      { name: 'interactive', short: 'i', type: 'bool', help: 'Keep STDIN open even if not attached' },
      { name: 'tty', short: 't', type: 'bool', help: 'Allocate a pseudo-TTY' },
      { name: 'env', short: 'e', type: 'list', help: 'Set environment variables' },
      { name: 'workdir', short: 'w', type: 'string', help: 'Working directory inside the container' },
      { name: 'user', short: 'u', type: 'string', help: 'Username or UID (format: "<name|uid>[:<group|gid>]")' },
      { name: 'privileged', type: 'bool', help: 'Give extended privileges to the command' },
    ],
  },
  errorExit: 125,
  async run(p, ctx) {
    const client = ctx.client();
    const [ref, ...cmd] = p.args as [string, ...string[]];
    const detach = bool(p, 'detach');
    const tty = bool(p, 'tty');
    const interactive = bool(p, 'interactive');
    if (tty && interactive && !process.stdin.isTTY) throw new CliError('the input device is not a TTY', 1);
    const size = tty ? terminalSize() : undefined;
    const body = {
      User: str(p, 'user') ?? '',
      Privileged: bool(p, 'privileged'),
      Tty: tty,
      ...(size ? { ConsoleSize: size } : {}),
      AttachStdin: interactive && !detach,
      AttachStdout: !detach,
      AttachStderr: !detach,
      Detach: detach,
      Env: list(p, 'env'),
      WorkingDir: str(p, 'workdir') ?? '',
      Cmd: cmd,
    };
    const { Id: execId } = await client.json<{ Id: string }>('POST', `/containers/${encodeURIComponent(ref)}/exec`, { body });
    if (detach) {
      await client.post(`/exec/${execId}/start`, { body: { Detach: true, Tty: tty } });
      return 0;
    }
    let hijacked;
    try {
      hijacked = await client.hijack(`/exec/${execId}/start`, { body: { Detach: false, Tty: tty, ...(size ? { ConsoleSize: size } : {}) } });
    } catch (err) {
      if (err instanceof DaemonError) {
        process.stderr.write(`berth: Error response from daemon: ${err.message}\n`);
        return startFailureExit(err.message);
      }
      throw err;
    }
    const restore = tty && interactive ? rawTerminal() : () => {};
    const stopResize = tty ? followResize((h, w) => client.post(`/exec/${execId}/resize`, { query: { h, w } })) : () => {};
    const stopInput = pumpInput(hijacked.socket, interactive);
    try {
      await pumpOutput(hijacked.socket, hijacked.tty);
    } finally {
      stopInput();
      stopResize();
      restore();
    }
    // The stream ends as the process exits; its exit status may land a moment later.
    for (let i = 0; i < 100; i++) {
      const info = await client.get<ExecJson>(`/exec/${execId}/json`);
      if (!info.Running && info.ExitCode !== null) return info.ExitCode;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new CliError(`exec ${execId} did not report an exit code`);
  },
};

export const commands: Record<string, Command> = { exec };
