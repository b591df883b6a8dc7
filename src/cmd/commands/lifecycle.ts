/** stop, restart, kill, rm, pause, unpause, wait (one request per named container, docker's output) and rename. */
import type { Parsed } from '../args.js';
import { DaemonError, readAll } from '../client.js';
import { bool, CliError, int, str, type Command } from '../command.js';

/** Runs `action` for each container; prints the name on success, the error otherwise (exit 1 if any failed). */
async function each(p: Parsed, verb: string, action: (ref: string) => Promise<string | void>): Promise<number> {
  const failed: string[] = [];
  for (const ref of p.args) {
    try {
      const out = await action(encodeURIComponent(ref));
      process.stdout.write(`${out ?? ref}\n`);
    } catch (err) {
      if (!(err instanceof DaemonError)) throw err;
      process.stderr.write(`Error response from daemon: ${err.message}\n`);
      failed.push(ref);
    }
  }
  if (failed.length) throw new CliError(`failed to ${verb} containers: ${failed.join(', ')}`);
  return 0;
}

const simple = (name: string, summary: string, verb: string, path: string): Command => ({
  spec: { name, usage: 'CONTAINER [CONTAINER...]', summary, minArgs: 1, flags: [] },
  run: (p, ctx) => each(p, verb, (ref) => ctx.client().post(`/containers/${ref}/${path}`)),
});

const timeoutFlags = [
  { name: 'time', short: 't', type: 'int' as const, help: 'Seconds to wait before killing the container' },
  { name: 'signal', short: 's', type: 'string' as const, help: 'Signal to send to the container' },
];

const stop: Command = {
  spec: { name: 'stop', usage: '[OPTIONS] CONTAINER [CONTAINER...]', summary: 'Stop one or more running containers', minArgs: 1, flags: timeoutFlags },
  run: (p, ctx) => each(p, 'stop', (ref) => ctx.client().post(`/containers/${ref}/stop`, { query: { t: int(p, 'time'), signal: str(p, 'signal') } })),
};

const restart: Command = {
  spec: { name: 'restart', usage: '[OPTIONS] CONTAINER [CONTAINER...]', summary: 'Restart one or more containers', minArgs: 1, flags: timeoutFlags },
  run: (p, ctx) => each(p, 'restart', (ref) => ctx.client().post(`/containers/${ref}/restart`, { query: { t: int(p, 'time'), signal: str(p, 'signal') } })),
};

const kill: Command = {
  spec: {
    name: 'kill',
    usage: '[OPTIONS] CONTAINER [CONTAINER...]',
    summary: 'Kill one or more running containers',
    minArgs: 1,
    flags: [{ name: 'signal', short: 's', type: 'string', help: 'Signal to send to the container', default: 'KILL' }],
  },
  run: (p, ctx) => each(p, 'kill', (ref) => ctx.client().post(`/containers/${ref}/kill`, { query: { signal: str(p, 'signal') } })),
};

const rm: Command = {
  spec: {
    name: 'rm',
    usage: '[OPTIONS] CONTAINER [CONTAINER...]',
    summary: 'Remove one or more containers',
    aliases: ['container rm', 'container remove'],
    minArgs: 1,
    flags: [
      { name: 'force', short: 'f', type: 'bool', help: 'Force the removal of a running container (uses SIGKILL)' },
      { name: 'volumes', short: 'v', type: 'bool', help: 'Remove anonymous volumes associated with the container' },
    ],
  },
  run: (p, ctx) =>
    each(p, 'remove', async (ref) => {
      await readAll(await ctx.client().request('DELETE', `/containers/${ref}`, { query: { force: bool(p, 'force'), v: bool(p, 'volumes') } }));
    }),
};

const wait: Command = {
  spec: { name: 'wait', usage: 'CONTAINER [CONTAINER...]', summary: 'Block until one or more containers stop, then print their exit codes', minArgs: 1, flags: [] },
  run: (p, ctx) =>
    each(p, 'wait', async (ref) => {
      const r = await ctx.client().json<{ StatusCode: number }>('POST', `/containers/${ref}/wait`);
      return String(r.StatusCode);
    }),
};

const rename: Command = {
  spec: { name: 'rename', usage: 'CONTAINER NEW_NAME', summary: 'Rename a container', aliases: ['container rename'], minArgs: 2, maxArgs: 2, flags: [] },
  async run(p, ctx) {
    await readAll(await ctx.client().request('POST', `/containers/${encodeURIComponent(p.args[0]!)}/rename`, { query: { name: p.args[1]! } }));
    return 0;
  },
};

export const commands: Record<string, Command> = {
  rename,
  stop,
  restart,
  kill,
  rm,
  wait,
  pause: simple('pause', 'Pause all processes within one or more containers', 'pause', 'pause'),
  unpause: simple('unpause', 'Unpause all processes within one or more containers', 'unpause', 'unpause'),
};
