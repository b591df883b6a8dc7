/**
 * Volumes on disk, in Docker's layout: <root>/<name>/_data holds the data, <root>/<name>/volume.json
 * the metadata (atomically replaced). A volume exists once its volume.json does; removal first
 * renames the whole directory to a `.trash-*` name (one atomic step), then deletes it, and any
 * trash or half-created directory left by a crash is cleaned at the next start.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { failedPrecondition } from '../../base/errors.js';
import { mountsUnder } from '../../base/mountinfo.js';
import { native } from '../../base/native.js';
import { fsyncDir, writeFileAtomic } from '../content/index.js';
import type { Volume } from './types.js';

const META = 'volume.json';
const DATA = '_data';
const TRASH_PREFIX = '.trash-';

interface StoredMeta { name: string; driver: 'local'; created: string; labels: Record<string, string>; options: Record<string, string>; anonymous: boolean }

export class VolumeStore {
  constructor(readonly root: string) {
    fs.mkdirSync(root, { recursive: true, mode: 0o701 });
  }

  dir(name: string): string {
    return path.join(this.root, name);
  }

  dataDir(name: string): string {
    return path.join(this.root, name, DATA);
  }

  private toVolume(m: StoredMeta): Volume {
    return { name: m.name, driver: m.driver, mountpoint: this.dataDir(m.name), created: m.created, labels: m.labels, options: m.options, anonymous: m.anonymous };
  }

  /** Every volume on disk; removes trash and directories a crash left before their metadata. */
  loadAll(log: (msg: string) => void): Volume[] {
    const out: Volume[] = [];
    for (const entry of fs.readdirSync(this.root, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const dir = this.dir(entry.name);
      if (entry.name.startsWith(TRASH_PREFIX)) {
        // A mount left inside (a driver-option volume, a crash mid-removal) must go first: a
        // recursive delete would otherwise delete what it shows (a bind-mounted host directory).
        if (unmountAll(dir)) fs.rmSync(dir, { recursive: true, force: true });
        else log(`keeping ${entry.name}: something is still mounted inside it`);
        continue;
      }
      const metaPath = path.join(dir, META);
      let meta: StoredMeta;
      try {
        meta = JSON.parse(fs.readFileSync(metaPath, 'utf8')) as StoredMeta;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT' && isEmptyDir(path.join(dir, DATA))) {
          log(`removing volume directory ${entry.name} left unfinished by an earlier daemon`);
          fs.rmSync(dir, { recursive: true, force: true });
        } else log(`skipping volume ${entry.name}: unreadable metadata: ${String(err)}`);
        continue;
      }
      if (meta.name !== entry.name) {
        log(`skipping volume directory ${entry.name}: its metadata names "${meta.name}"`);
        continue;
      }
      out.push(this.toVolume(meta));
    }
    return out;
  }

  /** Creates the directories and metadata of a new volume; EEXIST when the name is taken on disk. */
  create(meta: StoredMeta): Volume {
    const dir = this.dir(meta.name);
    fs.mkdirSync(dir, { mode: 0o701 }); // throws EEXIST: the caller decides
    try {
      fs.mkdirSync(path.join(dir, DATA), { mode: 0o755 });
      writeFileAtomic(path.join(dir, META), `${JSON.stringify(meta, null, 2)}\n`, 0o600);
      fsyncDir(this.root);
    } catch (err) {
      fs.rmSync(dir, { recursive: true, force: true });
      throw err;
    }
    return this.toVolume(meta);
  }

  /** Makes the volume disappear at once (rename), then deletes its files. */
  async remove(name: string): Promise<void> {
    if (!unmountAll(this.dir(name))) throw failedPrecondition(`remove ${name}: its _data is still mounted and cannot be unmounted`);
    const trash = path.join(this.root, `${TRASH_PREFIX}${name}-${randomBytes(4).toString('hex')}`);
    fs.renameSync(this.dir(name), trash);
    await fs.promises.rm(trash, { recursive: true, force: true });
  }

  /** A scratch directory beside the volume's _data (same filesystem, invisible to containers). */
  scratch(name: string): string {
    const p = path.join(this.dir(name), `.copy-up-${randomBytes(4).toString('hex')}`);
    fs.mkdirSync(p, { mode: 0o700 });
    return p;
  }
}

/** Unmounts everything mounted at or below `dir`; false when something stays mounted. */
export function unmountAll(dir: string): boolean {
  for (const m of mountsUnder(dir)) {
    try {
      native().umount2(m, 0);
    } catch {
      return false;
    }
  }
  return mountsUnder(dir).length === 0;
}

export function isEmptyDir(p: string): boolean {
  try {
    return fs.readdirSync(p).length === 0;
  } catch {
    return true;
  }
}

/** Bytes used by the files under a directory (symlinks not followed). */
export async function diskUsage(p: string): Promise<number> {
  let total = 0;
  const walk = async (dir: string): Promise<void> => {
    let entries: fs.Dirent[];
    try {
      entries = await fs.promises.readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const full = path.join(dir, e.name);
      const st = await fs.promises.lstat(full).catch(() => null);
      if (!st) continue;
      if (st.isDirectory()) await walk(full);
      else total += st.size;
    }
  };
  await walk(p);
  return total;
}
