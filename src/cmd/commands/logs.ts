/** `berth logs`: a container's output, demultiplexed to stdout/stderr; `-f` follows. */
import { FrameDecoder } from '../../api/docker/stdcopy.js';
import { bool, CliError, str, type Command } from '../command.js';

/** docker accepts RFC 3339 timestamps, unix seconds, or durations relative to now ("10m", "1h30m"). */
export function parseTimeArg(v: string | undefined, flag: string, now = Date.now()): string | undefined {
  if (v === undefined || v === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(v)) return v;
  const dur = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+(?:\.\d+)?)s)?$/.exec(v);
  if (dur && v !== '') {
    const ms = (Number(dur[1] ?? 0) * 3600 + Number(dur[2] ?? 0) * 60 + Number(dur[3] ?? 0)) * 1000;
    return ((now - ms) / 1000).toFixed(3);
  }
  const t = Date.parse(v);
  if (Number.isNaN(t)) throw new CliError(`invalid value for ${flag}: "${v}" is not a timestamp or duration`, 1);
  return (t / 1000).toFixed(3);
}

const logs: Command = {
  spec: {
    name: 'logs',
    usage: '[OPTIONS] CONTAINER',
    summary: 'Fetch the logs of a container',
    minArgs: 1,
    maxArgs: 1,
    flags: [
      { name: 'follow', short: 'f', type: 'bool', help: 'Follow log output' },
      { name: 'timestamps', short: 't', type: 'bool', help: 'Show timestamps' },
      { name: 'tail', short: 'n', type: 'string', help: 'Number of lines to show from the end of the logs', default: 'all' },
      { name: 'since', type: 'string', help: 'Show logs since timestamp (e.g. "2013-01-02T13:23:37Z") or relative (e.g. "42m" for 42 minutes)' },
      { name: 'until', type: 'string', help: 'Show logs before a timestamp or relative duration' },
    ],
  },
  async run(p, ctx) {
    const client = ctx.client();
    const ref = encodeURIComponent(p.args[0]!);
    const info = await client.get<{ Id: string; Config: { Tty: boolean } }>(`/containers/${ref}/json`);
    const tail = str(p, 'tail');
    if (tail !== undefined && tail !== 'all' && !/^\d+$/.test(tail)) throw new CliError(`invalid value for --tail: "${tail}"`);
    const res = await client.request('GET', `/containers/${info.Id}/logs`, {
      query: { stdout: true, stderr: true, follow: bool(p, 'follow'), timestamps: bool(p, 'timestamps'), tail: tail ?? 'all', since: parseTimeArg(str(p, 'since'), '--since'), until: parseTimeArg(str(p, 'until'), '--until') },
    });
    const decoder = new FrameDecoder();
    const stop = () => res.destroy();
    process.once('SIGINT', stop);
    for await (const chunk of res as AsyncIterable<Buffer>) {
      if (info.Config.Tty) process.stdout.write(chunk);
      else for (const f of decoder.push(chunk)) (f.stream === 2 ? process.stderr : process.stdout).write(f.data);
    }
    process.off('SIGINT', stop);
    return 0;
  },
};

export const commands: Record<string, Command> = { logs };
