/**
 * `docker cp`'s server side: paths inside a container resolved the way the container sees them,
 * a stat in Docker's PathStat form, a tar of a path, and extraction of a tar into a directory.
 *
 * Resolution: a running container is reached through /proc/<pid>/root, which is its own mount
 * namespace (volumes, binds and tmpfs included); a stopped one through its rootfs, with paths
 * under a volume or bind mount point redirected into the mount's source, as Docker does. Symlinks
 * are followed relative to that root (secureJoin), so no link, ".." or absolute name in a path
 * or in an uploaded tar can reach the host outside the container's files.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import tar from 'tar-stream';
import { BerthError, failedPrecondition, invalidArgument, notFound } from '../../base/errors.js';
import { native } from '../../base/native.js';
import { secureJoin } from '../runtime/index.js';
import { packTree } from '../../base/tar-tree.js';
import type { ContainerInfo } from './types.js';

export interface PathStat { name: string; size: number; mode: number; mtime: string; linkTarget: string }

interface Root { dir: string; containerPrefix: string }

function rootsOf(c: ContainerInfo): { main: string; mounts: Array<{ destination: string; source: string }> } {
  const live = c.state.pid > 0 && (c.state.running || c.state.paused);
  if (live) return { main: `/proc/${c.state.pid}/root`, mounts: [] };
  const mounts = (c.mountPoints ?? []).filter((m) => m.type !== 'tmpfs' && m.source).map((m) => ({ destination: path.posix.normalize(m.destination), source: m.source }));
  // Longest destination first, so nested mounts win.
  mounts.sort((a, b) => b.destination.length - a.destination.length);
  return { main: c.rootfs, mounts };
}

function mountFor(mounts: Array<{ destination: string; source: string }>, containerPath: string): Root | undefined {
  const m = mounts.find((x) => containerPath === x.destination || containerPath.startsWith(x.destination === '/' ? '/' : `${x.destination}/`));
  return m ? { dir: m.source, containerPrefix: m.destination } : undefined;
}

/**
 * The host path of `p` inside the container. The last component is not followed when it is a
 * symlink (docker cp copies links as links), unless `followLast`.
 */
export function hostPath(c: ContainerInfo, p: string, followLast = false): string {
  if (typeof p !== 'string' || p === '') throw invalidArgument('path is required');
  const abs = path.posix.join('/', p);
  const { main, mounts } = rootsOf(c);
  const parts = abs.split('/').filter(Boolean);
  const last = parts.length && !followLast && !/\/\.?$/.test(p) ? parts.pop()! : undefined;
  // Resolve within the rootfs, then again within the mount that holds the result, if any.
  let dir = secureJoin(main, parts.join('/'));
  const inContainer = `/${path.relative(main, dir)}`;
  const full = last === undefined ? inContainer : path.posix.join(inContainer, last);
  const m = mountFor(mounts, full);
  if (m) {
    const rest = path.posix.relative(m.containerPrefix, inContainer);
    dir = secureJoin(m.dir, rest.startsWith('..') ? '' : rest);
    if (last !== undefined && full === m.containerPrefix) return m.dir;
  }
  return last === undefined ? dir : path.join(dir, last);
}

/** Go's os.FileMode bits, which Docker's PathStat carries. */
function goFileMode(st: fs.Stats): number {
  let mode = st.mode & 0o777;
  if (st.isDirectory()) mode += 2 ** 31;
  if (st.isSymbolicLink()) mode += 2 ** 27;
  if (st.isBlockDevice()) mode += 2 ** 26;
  if (st.isCharacterDevice()) mode += 2 ** 26 + 2 ** 21;
  if (st.isFIFO()) mode += 2 ** 25;
  if (st.isSocket()) mode += 2 ** 24;
  if (st.mode & 0o4000) mode += 2 ** 23;
  if (st.mode & 0o2000) mode += 2 ** 22;
  if (st.mode & 0o1000) mode += 2 ** 20;
  return mode;
}

function lstatOr404(c: ContainerInfo, host: string, p: string): fs.Stats {
  try {
    return fs.lstatSync(host);
  } catch {
    throw notFound(`Could not find the file ${p} in container ${c.name}`);
  }
}

export function statPath(c: ContainerInfo, p: string): PathStat {
  const host = hostPath(c, p);
  const st = lstatOr404(c, host, p);
  let linkTarget = '';
  if (st.isSymbolicLink()) {
    const { main } = rootsOf(c);
    const resolved = hostPath(c, p, true);
    linkTarget = resolved.startsWith(main) ? `/${path.relative(main, resolved)}` : resolved;
  }
  return { name: path.posix.basename(path.posix.join('/', p)) || '/', size: st.size, mode: goFileMode(st), mtime: st.mtime.toISOString(), linkTarget };
}

/** A tar of the path, named by its base name (a directory with its whole content). */
export function archivePath(c: ContainerInfo, p: string): { stat: PathStat; tar: Readable } {
  const stat = statPath(c, p);
  const host = hostPath(c, p);
  const pack = tar.pack();
  const name = /\/\.$/.test(p) ? '.' : stat.name === '/' ? '.' : stat.name;
  void packTree(pack, host, { name }).then(
    () => pack.finalize(),
    (err: unknown) => pack.destroy(err as Error),
  );
  return { stat, tar: pack as unknown as Readable };
}

export interface ExtractOptions { noOverwriteDirNonDir?: boolean; copyUIDGID?: boolean }

function entryParts(name: string): string[] {
  if (name.includes('\0')) throw invalidArgument(`refusing tar entry ${JSON.stringify(name)}: NUL in its name`);
  if (name.startsWith('/')) throw invalidArgument(`refusing tar entry ${JSON.stringify(name)}: absolute names are not allowed`);
  const parts = name.split('/').filter((x) => x !== '' && x !== '.');
  if (parts.includes('..')) throw invalidArgument(`refusing tar entry ${JSON.stringify(name)}: ".." would leave the destination`);
  return parts;
}

function existing(p: string): fs.Stats | undefined {
  try {
    return fs.lstatSync(p);
  } catch {
    return undefined;
  }
}

async function writeFile(target: string, body: Readable, mode: number): Promise<void> {
  // O_EXCL after unlinking: never writes through a symlink planted at the target.
  const fd = fs.openSync(target, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_NOFOLLOW, mode);
  const out = fs.createWriteStream('', { fd });
  await new Promise<void>((resolve, reject) => {
    body.once('error', reject);
    out.once('error', reject);
    out.once('finish', () => resolve());
    body.pipe(out);
  });
}

/** Docker's rule: no copying into a read-only rootfs or read-only mount, running or not. */
function refuseReadOnly(c: ContainerInfo, dest: string): void {
  const mounts = (c.mountPoints ?? []).map((m) => ({ destination: path.posix.normalize(m.destination), rw: m.rw })).sort((a, b) => b.destination.length - a.destination.length);
  const m = mounts.find((x) => dest === x.destination || dest.startsWith(`${x.destination.replace(/\/$/, '')}/`));
  if (m ? !m.rw : c.options.readOnlyRootfs) throw failedPrecondition(m ? `mounted volume is marked read-only` : 'container rootfs is marked read-only');
}

/** Extracts a tar into the directory `dest` of the container. */
export async function extractArchive(c: ContainerInfo, dest: string, input: Readable, opts: ExtractOptions = {}): Promise<void> {
  const destHost = hostPath(c, dest, true);
  const dst = lstatOr404(c, destHost, dest);
  if (!dst.isDirectory()) throw invalidArgument(`extraction point is not a directory: ${dest}`);
  const destInContainer = path.posix.join('/', dest);
  refuseReadOnly(c, destInContainer);
  const extract = tar.extract();
  const done = new Promise<void>((resolve, reject) => {
    extract.on('entry', (h, body, next) => {
      void (async () => {
        const parts = entryParts(h.name);
        if (parts.length === 0) return body.resume();
        const inContainer = path.posix.join(destInContainer, ...parts);
        const target = hostPath(c, inContainer);
        const old = existing(target);
        const isDir = h.type === 'directory';
        if (old && opts.noOverwriteDirNonDir && old.isDirectory() !== isDir) {
          throw failedPrecondition(`cannot overwrite ${old.isDirectory() ? 'directory' : 'non-directory'} "${inContainer}" with ${isDir ? 'directory' : 'non-directory'}`);
        }
        if (old && !(isDir && old.isDirectory())) fs.rmSync(target, { recursive: true, force: true });
        // Like Docker's untar, missing parents are created (they were resolved inside the container).
        fs.mkdirSync(path.dirname(target), { recursive: true });
        const mode = (h.mode ?? 0o644) & 0o7777;
        switch (h.type) {
          case 'directory':
            if (!old?.isDirectory()) fs.mkdirSync(target, { mode });
            body.resume();
            break;
          case 'file':
          case 'contiguous-file':
            await writeFile(target, body as unknown as Readable, mode);
            break;
          case 'symlink':
            body.resume();
            fs.symlinkSync(h.linkname ?? '', target);
            break;
          case 'link': {
            body.resume();
            const from = hostPath(c, path.posix.join(destInContainer, ...entryParts(h.linkname ?? '')));
            fs.linkSync(from, target);
            break;
          }
          case 'character-device':
          case 'block-device':
          case 'fifo': {
            body.resume();
            const kind = h.type === 'fifo' ? fs.constants.S_IFIFO : h.type === 'block-device' ? fs.constants.S_IFBLK : fs.constants.S_IFCHR;
            native().mknod(target, kind | mode, h.devmajor ?? 0, h.devminor ?? 0);
            break;
          }
          default:
            // pax headers and the like carry no file of their own.
            body.resume();
            return;
        }
        const uid = opts.copyUIDGID ? (h.uid ?? 0) : 0;
        const gid = opts.copyUIDGID ? (h.gid ?? 0) : 0;
        fs.lchownSync(target, uid, gid);
        if (h.type !== 'symlink') {
          fs.chmodSync(target, mode);
          if (h.mtime) fs.utimesSync(target, h.mtime, h.mtime);
        }
      })().then(
        () => next(),
        (err: unknown) => {
          body.resume();
          extract.destroy(err as Error);
          reject(err);
        },
      );
    });
    extract.once('finish', resolve);
    // tar-stream's own failures mean the upload was not a valid tar.
    extract.once('error', (err: Error) => reject(err instanceof BerthError || (err as NodeJS.ErrnoException).code ? err : invalidArgument(`invalid tar archive: ${err.message}`)));
    input.once('error', reject);
  });
  input.pipe(extract);
  await done;
}
