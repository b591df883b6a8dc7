/** Image commands: images, tag, rmi, history, image prune, image inspect, load, save. */
import fs from 'node:fs';
import readline from 'node:readline';
import { humanDuration } from '../../api/docker/human-time.js';
import { DaemonError, readAll } from '../client.js';
import { bool, CliError, str, structuredFormat, type Command } from '../command.js';
import { ellipsis, formatList, humanSize, printStructured, shortId, table } from '../output.js';
import { inspectFlags, inspectObjects } from './inspect.js';

interface ImageEntry { Id: string; RepoTags: string[]; RepoDigests: string[]; Created: number; Size: number; Containers: number }

const ago = (unix: number) => `${humanDuration(Date.now() - unix * 1000)} ago`;

function splitTag(t: string): [string, string] {
  const i = t.lastIndexOf(':');
  return i > t.lastIndexOf('/') && i >= 0 ? [t.slice(0, i), t.slice(i + 1)] : [t, 'latest'];
}

const images: Command = {
  spec: {
    name: 'images',
    usage: '[OPTIONS] [REPOSITORY[:TAG]]',
    summary: 'List images',
    aliases: ['image ls', 'image list'],
    maxArgs: 1,
    flags: [
      { name: 'all', short: 'a', type: 'bool', help: 'Show all images (default hides intermediate images)' },
      { name: 'quiet', short: 'q', type: 'bool', help: 'Only show image IDs' },
      { name: 'no-trunc', type: 'bool', help: "Don't truncate output" },
      { name: 'digests', type: 'bool', help: 'Show digests' },
      { name: 'format', type: 'string', help: "Format output: 'json' or a Go template" },
      { name: 'output', short: 'o', type: 'string', help: 'Output format: json or yaml' },
    ],
  },
  async run(p, ctx) {
    const filters = p.args[0] ? JSON.stringify({ reference: { [p.args[0]]: true } }) : undefined;
    const list = await ctx.client().get<ImageEntry[]>('/images/json', { all: bool(p, 'all'), filters });
    const trunc = !bool(p, 'no-trunc');
    const id = (i: ImageEntry) => (trunc ? shortId(i.Id) : i.Id);
    if (bool(p, 'quiet')) {
      process.stdout.write([...new Set(list.map(id))].map((x) => `${x}\n`).join(''));
      return 0;
    }
    if (p.flags.output) {
      await printStructured(list, structuredFormat(p)!);
      return 0;
    }
    const rows: Array<Record<string, string>> = [];
    for (const i of list) {
      const tags = i.RepoTags.length ? i.RepoTags : ['<none>:<none>'];
      for (const t of tags) {
        const [repo, tag] = t === '<none>:<none>' ? ['<none>', '<none>'] : splitTag(t);
        const digest = i.RepoDigests.find((d) => d.startsWith(`${repo}@`))?.split('@')[1] ?? '<none>';
        rows.push({ Repository: repo, Tag: tag, Digest: digest, ID: id(i), CreatedSince: ago(i.Created), CreatedAt: new Date(i.Created * 1000).toISOString(), Size: humanSize(i.Size), Containers: String(i.Containers) });
      }
    }
    const fmt = str(p, 'format');
    if (fmt && fmt !== 'table') process.stdout.write(formatList(fmt, rows, { ID: 'IMAGE ID', CreatedSince: 'CREATED', CreatedAt: 'CREATED AT' }));
    else if (bool(p, 'digests')) process.stdout.write(table(['REPOSITORY', 'TAG', 'DIGEST', 'IMAGE ID', 'CREATED', 'SIZE'], rows.map((r) => [r.Repository!, r.Tag!, r.Digest!, r.ID!, r.CreatedSince!, r.Size!])));
    else process.stdout.write(table(['REPOSITORY', 'TAG', 'IMAGE ID', 'CREATED', 'SIZE'], rows.map((r) => [r.Repository!, r.Tag!, r.ID!, r.CreatedSince!, r.Size!])));
    return 0;
  },
};

const tag: Command = {
  spec: { name: 'tag', usage: 'SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]', summary: 'Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE', aliases: ['image tag'], minArgs: 2, maxArgs: 2, flags: [] },
  async run(p, ctx) {
    const [src, dst] = p.args as [string, string];
    const i = dst.lastIndexOf(':');
    const hasTag = i > dst.lastIndexOf('/');
    await ctx.client().post(`/images/${encodeURIComponent(src)}/tag`, { query: { repo: hasTag ? dst.slice(0, i) : dst, tag: hasTag ? dst.slice(i + 1) : 'latest' } });
    return 0;
  },
};

const rmi: Command = {
  spec: {
    name: 'rmi',
    usage: '[OPTIONS] IMAGE [IMAGE...]',
    summary: 'Remove one or more images',
    aliases: ['image rm', 'image remove'],
    minArgs: 1,
    flags: [
      { name: 'force', short: 'f', type: 'bool', help: 'Force removal of the image' },
      { name: 'no-prune', type: 'bool', help: 'Do not delete untagged parents' },
    ],
  },
  async run(p, ctx) {
    let failed = false;
    for (const ref of p.args) {
      try {
        const res = await ctx.client().request('DELETE', `/images/${encodeURIComponent(ref)}`, { query: { force: bool(p, 'force'), noprune: bool(p, 'no-prune') } });
        const items = JSON.parse((await readAll(res)).toString('utf8')) as Array<{ Untagged?: string; Deleted?: string }>;
        for (const it of items) process.stdout.write(it.Untagged ? `Untagged: ${it.Untagged}\n` : `Deleted: ${it.Deleted}\n`);
      } catch (err) {
        if (!(err instanceof DaemonError)) throw err;
        process.stderr.write(`Error response from daemon: ${err.message}\n`);
        failed = true;
      }
    }
    return failed ? 1 : 0;
  },
};

const history: Command = {
  spec: {
    name: 'history',
    usage: '[OPTIONS] IMAGE',
    summary: 'Show the history of an image',
    aliases: ['image history'],
    minArgs: 1,
    maxArgs: 1,
    flags: [
      { name: 'no-trunc', type: 'bool', help: "Don't truncate output" },
      { name: 'quiet', short: 'q', type: 'bool', help: 'Only show image IDs' },
      { name: 'human', short: 'H', type: 'bool', help: 'Print sizes and dates in human readable format', default: true },
      { name: 'format', type: 'string', help: "Format output: 'json' or a Go template" },
      { name: 'output', short: 'o', type: 'string', help: 'Output format: json or yaml' },
    ],
  },
  async run(p, ctx) {
    const rows = await ctx.client().get<Array<{ Id: string; Created: number; CreatedBy: string; Size: number; Comment: string; Tags: string[] | null }>>(`/images/${encodeURIComponent(p.args[0]!)}/history`);
    const trunc = !bool(p, 'no-trunc');
    if (bool(p, 'quiet')) {
      process.stdout.write(rows.map((r) => `${r.Id === '<missing>' ? r.Id : trunc ? shortId(r.Id) : r.Id}\n`).join(''));
      return 0;
    }
    if (p.flags.output || str(p, 'format') === 'json') {
      await printStructured(rows, structuredFormat(p)!);
      return 0;
    }
    const human = p.flags.human !== false;
    const out = rows.map((r) => [
      r.Id === '<missing>' ? r.Id : trunc ? shortId(r.Id) : r.Id,
      human ? ago(r.Created) : new Date(r.Created * 1000).toISOString(),
      trunc ? ellipsis(r.CreatedBy, 45) : r.CreatedBy,
      human ? humanSize(r.Size) : String(r.Size),
      r.Comment,
    ]);
    process.stdout.write(table(['IMAGE', 'CREATED', 'CREATED BY', 'SIZE', 'COMMENT'], out));
    return 0;
  },
};

export async function confirm(question: string): Promise<boolean> {
  process.stdout.write(question);
  const rl = readline.createInterface({ input: process.stdin });
  const answer = await new Promise<string>((resolve) => {
    rl.once('line', resolve);
    rl.once('close', () => resolve(''));
  });
  rl.close();
  return /^y(es)?$/i.test(answer.trim());
}

const imagePrune: Command = {
  spec: {
    name: 'image prune',
    usage: '[OPTIONS]',
    summary: 'Remove unused images',
    maxArgs: 0,
    flags: [
      { name: 'all', short: 'a', type: 'bool', help: 'Remove all unused images, not just dangling ones' },
      { name: 'force', short: 'f', type: 'bool', help: 'Do not prompt for confirmation' },
    ],
  },
  async run(p, ctx) {
    const all = bool(p, 'all');
    if (!bool(p, 'force')) {
      const what = all ? 'all images without at least one container associated to them' : 'all dangling images';
      if (!(await confirm(`WARNING! This will remove ${what}.\nAre you sure you want to continue? [y/N] `))) return 0;
    }
    const res = await ctx.client().json<{ ImagesDeleted: Array<{ Untagged?: string; Deleted?: string }> | null; SpaceReclaimed: number }>('POST', '/images/prune', {
      query: { filters: JSON.stringify({ dangling: { [String(!all)]: true } }) },
    });
    if (res.ImagesDeleted?.length) {
      process.stdout.write('Deleted Images:\n');
      for (const it of res.ImagesDeleted) process.stdout.write(it.Untagged ? `untagged: ${it.Untagged}\n` : `deleted: ${it.Deleted}\n`);
      process.stdout.write('\n');
    }
    process.stdout.write(`Total reclaimed space: ${humanSize(res.SpaceReclaimed)}\n`);
    return 0;
  },
};

const imageInspect: Command = {
  spec: { name: 'image inspect', usage: '[OPTIONS] IMAGE [IMAGE...]', summary: 'Display detailed information on one or more images', minArgs: 1, flags: inspectFlags },
  run: (p, ctx) => inspectObjects(p, ctx.client(), ['image']),
};

/** A one-line progress bar on stderr, only when stderr is a terminal. */
function progressPrinter(): { update(id: string, status: string, cur: number, total: number): void; done(): void } {
  const tty = process.stderr.isTTY;
  let shown = false;
  return {
    update(id, status, cur, total) {
      if (!tty) return;
      const width = 30;
      const filled = total ? Math.min(width, Math.round((cur / total) * width)) : 0;
      process.stderr.write(`\r\x1b[K${id ? `${id}: ` : ''}${status} [${'='.repeat(filled)}${filled < width ? '>' : ''}${' '.repeat(Math.max(0, width - filled - 1))}] ${humanSize(cur)}/${humanSize(total)}`);
      shown = true;
    },
    done() {
      if (shown) process.stderr.write('\r\x1b[K');
    },
  };
}

const load: Command = {
  spec: {
    name: 'load',
    usage: '[OPTIONS]',
    summary: 'Load an image from a tar archive or STDIN',
    aliases: ['image load'],
    maxArgs: 0,
    flags: [
      { name: 'input', short: 'i', type: 'string', help: 'Read from tar archive file, instead of STDIN' },
      { name: 'quiet', short: 'q', type: 'bool', help: 'Suppress the load output' },
    ],
  },
  async run(p, ctx) {
    const file = str(p, 'input');
    if (!file && process.stdin.isTTY) throw new CliError('requested load from stdin, but stdin is empty: use -i <file> or redirect a tar archive');
    let body: NodeJS.ReadableStream;
    let size = 0;
    if (file) {
      try {
        size = fs.statSync(file).size;
      } catch (err) {
        throw new CliError(`open ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (err as Error).message}`);
      }
      body = fs.createReadStream(file);
    } else body = process.stdin;
    const progress = progressPrinter();
    const res = await ctx.client().request('POST', '/images/load', {
      query: { quiet: false },
      body,
      headers: { 'Content-Type': 'application/x-tar', ...(size ? { 'Content-Length': String(size) } : {}) },
    });
    let failed: string | undefined;
    let pending = '';
    for await (const chunk of res as AsyncIterable<Buffer>) {
      pending += chunk.toString('utf8');
      const lines = pending.split('\n');
      pending = lines.pop()!;
      for (const line of lines.filter(Boolean)) {
        const msg = JSON.parse(line) as { status?: string; id?: string; progressDetail?: { current?: number; total?: number }; stream?: string; error?: string };
        if (msg.error) failed = msg.error;
        else if (msg.stream) {
          progress.done();
          if (!bool(p, 'quiet')) process.stdout.write(msg.stream);
        } else if (msg.status) progress.update(msg.id ?? '', msg.status, msg.progressDetail?.current ?? 0, msg.progressDetail?.total ?? 0);
      }
    }
    progress.done();
    if (failed) throw new CliError(failed);
    return 0;
  },
};

const save: Command = {
  spec: {
    name: 'save',
    usage: '[OPTIONS] IMAGE [IMAGE...]',
    summary: 'Save one or more images to a tar archive (streamed to STDOUT by default)',
    aliases: ['image save'],
    minArgs: 1,
    flags: [{ name: 'output', short: 'o', type: 'string', help: 'Write to a file, instead of STDOUT' }],
  },
  async run(p, ctx) {
    const file = str(p, 'output');
    if (!file && process.stdout.isTTY) throw new CliError('cowardly refusing to save to a terminal. Use the -o flag or redirect');
    const res = await ctx.client().request('GET', '/images/get', { query: { names: p.args } });
    const tmp = file ? `${file}.berth-tmp` : undefined;
    const out = tmp ? fs.createWriteStream(tmp) : process.stdout;
    await new Promise<void>((resolve, reject) => {
      res.once('error', reject);
      res.once('aborted', () => reject(new CliError('the daemon ended the image stream early')));
      out.once('error', reject);
      res.pipe(out, { end: !!tmp });
      if (tmp) out.once('finish', () => resolve());
      else res.once('end', () => resolve());
    });
    if (!res.complete) throw new CliError('the daemon ended the image stream early');
    if (tmp) fs.renameSync(tmp, file!);
    return 0;
  },
};

export const commands: Record<string, Command> = { images, tag, rmi, history, 'image prune': imagePrune, 'image inspect': imageInspect, load, save };
