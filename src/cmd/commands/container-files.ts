/** diff, export, commit and cp: a container's files, docker's output. */
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import tar from 'tar-stream';
import { packTree } from '../../base/tar-tree.js';
import { bool, CliError, list, str, type Command } from '../command.js';

const enc = encodeURIComponent;

const diff: Command = {
  spec: { name: 'diff', usage: 'CONTAINER', summary: "Inspect changes to files or directories on a container's filesystem", aliases: ['container diff'], minArgs: 1, maxArgs: 1, flags: [] },
  async run(p, ctx) {
    const changes = await ctx.client().get<Array<{ Path: string; Kind: number }> | null>(`/containers/${enc(p.args[0]!)}/changes`);
    for (const c of changes ?? []) process.stdout.write(`${['C', 'A', 'D'][c.Kind] ?? '?'} ${c.Path}\n`);
    return 0;
  },
};

const exportCmd: Command = {
  spec: {
    name: 'export',
    usage: '[OPTIONS] CONTAINER',
    summary: "Export a container's filesystem as a tar archive",
    aliases: ['container export'],
    minArgs: 1,
    maxArgs: 1,
    flags: [{ name: 'output', short: 'o', type: 'string', help: 'Write to a file, instead of STDOUT' }],
  },
  async run(p, ctx) {
    const out = str(p, 'output');
    if (!out && process.stdout.isTTY) throw new CliError('cowardly refusing to save to a terminal. Use the -o flag or redirect');
    const res = await ctx.client().request('GET', `/containers/${enc(p.args[0]!)}/export`);
    await pipeline(res, out ? fs.createWriteStream(out) : process.stdout);
    return 0;
  },
};

const commit: Command = {
  spec: {
    name: 'commit',
    usage: "[OPTIONS] CONTAINER [REPOSITORY[:TAG]]",
    summary: "Create a new image from a container's changes",
    aliases: ['container commit'],
    minArgs: 1,
    maxArgs: 2,
    flags: [
      { name: 'author', short: 'a', type: 'string', help: 'Author (e.g., "John Hannibal Smith <hannibal@a-team.com>")' },
      { name: 'change', short: 'c', type: 'list', help: 'Apply Dockerfile instruction to the created image' },
      { name: 'message', short: 'm', type: 'string', help: 'Commit message' },
      { name: 'pause', short: 'p', type: 'bool', help: 'Pause container during commit', default: true },
    ],
  },
  async run(p, ctx) {
    const ref = p.args[1];
    let repo: string | undefined;
    let tag: string | undefined;
    if (ref) {
      const colon = ref.lastIndexOf(':');
      if (colon > ref.lastIndexOf('/')) [repo, tag] = [ref.slice(0, colon), ref.slice(colon + 1)];
      else repo = ref;
    }
    const r = await ctx.client().json<{ Id: string }>('POST', '/commit', {
      query: { container: p.args[0]!, repo, tag, comment: str(p, 'message'), author: str(p, 'author'), changes: list(p, 'change'), pause: p.flags.pause !== false },
      body: {},
    });
    process.stdout.write(`${r.Id}\n`);
    return 0;
  },
};

/** `CONTAINER:PATH` → [container, path]; a local path → undefined (docker's rule: a colon before any slash). */
function splitRemote(arg: string): [string, string] | undefined {
  const colon = arg.indexOf(':');
  if (colon <= 0 || arg.slice(0, colon).includes('/') || arg.startsWith('.')) return undefined;
  return [arg.slice(0, colon), arg.slice(colon + 1) || '/'];
}

interface PathStat { name: string; mode: number; linkTarget: string }

function decodeStat(header: string | string[] | undefined): PathStat | undefined {
  if (typeof header !== 'string') return undefined;
  return JSON.parse(Buffer.from(header, 'base64').toString('utf8')) as PathStat;
}

const isDirMode = (mode: number) => mode >= 2 ** 31;

/** Extracts a tar locally, renaming its top entry `from` to `to`; refuses names leaving `dir`. */
async function extractLocal(input: Readable, dir: string, from: string, to: string): Promise<void> {
  const extract = tar.extract();
  extract.on('entry', (h, body, next) => {
    const parts = h.name.split('/').filter((x) => x !== '' && x !== '.');
    if (parts.includes('..') || parts.length === 0) {
      body.resume();
      return next();
    }
    if (parts[0] === from) parts[0] = to;
    const target = path.join(dir, ...parts);
    const done = (err?: unknown) => (err ? extract.destroy(err as Error) : next());
    try {
      if (h.type === 'directory') {
        fs.mkdirSync(target, { recursive: true, mode: h.mode });
        body.resume();
        return done();
      }
      fs.rmSync(target, { force: true });
      if (h.type === 'symlink') {
        fs.symlinkSync(h.linkname ?? '', target);
        body.resume();
        return done();
      }
      if (h.type === 'link') {
        const lp = (h.linkname ?? '').split('/').filter((x) => x !== '' && x !== '.');
        if (lp[0] === from) lp[0] = to;
        fs.linkSync(path.join(dir, ...lp), target);
        body.resume();
        return done();
      }
      if (h.type !== 'file') {
        body.resume();
        return done();
      }
      const out = fs.createWriteStream(target, { mode: h.mode });
      pipeline(body, out).then(() => {
        if (h.mtime) fs.utimesSync(target, h.mtime, h.mtime);
        done();
      }, done);
    } catch (err) {
      body.resume();
      done(err);
    }
  });
  await pipeline(input, extract);
}

async function copyFrom(ctx: Parameters<Command['run']>[1], container: string, src: string, dest: string): Promise<void> {
  const res = await ctx.client().request('GET', `/containers/${enc(container)}/archive`, { query: { path: src } });
  if (dest === '-') return void (await pipeline(res, process.stdout));
  const stat = decodeStat(res.headers['x-docker-container-path-stat']);
  const name = stat?.name ?? path.posix.basename(src);
  let destStat: fs.Stats | undefined;
  try {
    destStat = fs.statSync(dest);
  } catch {
    destStat = undefined;
  }
  if (destStat?.isDirectory()) return extractLocal(res, dest, name, name);
  if (!destStat && /\/$/.test(dest)) throw new CliError(`destination directory ${dest} does not exist`);
  if (destStat && stat && isDirMode(stat.mode)) throw new CliError(`cannot copy a directory to an existing file: ${dest}`);
  return extractLocal(res, path.dirname(path.resolve(dest)), name, path.basename(dest));
}

async function copyTo(ctx: Parameters<Command['run']>[1], src: string, container: string, dest: string, keepOwners: boolean): Promise<void> {
  const base = `/containers/${enc(container)}/archive`;
  if (src === '-') {
    const res = await ctx.client().request('PUT', base, { query: { path: dest, noOverwriteDirNonDir: true }, body: process.stdin, headers: { 'Content-Type': 'application/x-tar' } });
    res.resume();
    return;
  }
  const local = fs.lstatSync(src); // ENOENT → the CLI's own error
  let into = dest;
  let name = path.basename(path.resolve(src));
  const head = await ctx.client().request('HEAD', base, { query: { path: dest } }).catch(() => undefined);
  const stat = decodeStat(head?.headers['x-docker-container-path-stat']);
  head?.resume();
  if (!stat || !isDirMode(stat.mode)) {
    // A new name (or a file to replace): copy into the parent under the destination's name.
    if (local.isDirectory() && stat) throw new CliError(`cannot copy a directory to an existing file: ${dest}`);
    into = path.posix.dirname(dest);
    name = path.posix.basename(dest);
  }
  const pack = tar.pack();
  void packTree(pack, path.resolve(src), { name }).then(() => pack.finalize(), (err: unknown) => pack.destroy(err as Error));
  const res = await ctx.client().request('PUT', base, { query: { path: into, noOverwriteDirNonDir: true, copyUIDGID: keepOwners }, body: pack, headers: { 'Content-Type': 'application/x-tar' } });
  res.resume();
}

const cp: Command = {
  spec: {
    name: 'cp',
    usage: '[OPTIONS] CONTAINER:SRC_PATH DEST_PATH|-\n\tberth cp [OPTIONS] SRC_PATH|- CONTAINER:DEST_PATH',
    summary: 'Copy files/folders between a container and the local filesystem',
    aliases: ['container cp'],
    minArgs: 2,
    maxArgs: 2,
    flags: [{ name: 'archive', short: 'a', type: 'bool', help: 'Archive mode (copy all uid/gid information)' }],
  },
  async run(p, ctx) {
    const [a, b] = [p.args[0]!, p.args[1]!];
    const from = splitRemote(a);
    const to = splitRemote(b);
    if (from && to) throw new CliError('copying between containers is not supported');
    if (!from && !to) throw new CliError('must specify at least one container source');
    try {
      if (from) await copyFrom(ctx, from[0], from[1], b);
      else await copyTo(ctx, a, to![0], to![1], bool(p, 'archive'));
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      if (e.code === 'ENOENT' && e.path) throw new CliError(`lstat ${e.path}: no such file or directory`);
      throw err;
    }
    return 0;
  },
};

export const commands: Record<string, Command> = { diff, export: exportCmd, commit, cp };
