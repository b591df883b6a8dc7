/**
 * The local driver's mount options (`docker volume create -o type=tmpfs -o device=tmpfs -o
 * o=size=64m`, `-o type=none -o o=bind -o device=/srv/data`, NFS…): Docker's rules for which keys
 * exist and which need which, and the `o` string split into mount(2) flags and filesystem data
 * (what mount(8) does; moby's mount package does the same).
 */
import { invalidArgument } from '../../base/errors.js';

const VALID = ['type', 'o', 'device', 'size'];
/** Docker's mandatory companions: a key present needs these too. */
const NEEDS: Record<string, string[]> = { device: ['type'], type: ['device'], o: ['device', 'type'] };

export function validateDriverOptions(opts: Record<string, string>, volume: string): void {
  for (const k of Object.keys(opts)) if (!VALID.includes(k)) throw invalidArgument(`create ${volume}: invalid option: "${k}"`);
  // Docker's size is an XFS project quota; the data dir here has none.
  if (opts.size !== undefined) throw invalidArgument(`create ${volume}: quota size requested but no quota support`);
  for (const [k, needs] of Object.entries(NEEDS)) {
    if (opts[k] === undefined) continue;
    for (const n of needs) if (opts[n] === undefined) throw invalidArgument(`create ${volume}: missing required option: "${n}"`);
  }
}

/** A volume with a device/type is mounted while containers use it; a plain one is a directory. */
export function needsMount(opts: Record<string, string>): boolean {
  return !!(opts.device || opts.type);
}

const MS = { RDONLY: 1, NOSUID: 2, NODEV: 4, NOEXEC: 8, SYNCHRONOUS: 16, MANDLOCK: 64, DIRSYNC: 128, NOATIME: 1024, NODIRATIME: 2048, BIND: 4096, REC: 16384, RELATIME: 1 << 21, STRICTATIME: 1 << 24, LAZYTIME: 1 << 25 };

/** Option word → [flags it sets, flags it clears]. */
const FLAG_WORDS: Record<string, [number, number]> = {
  ro: [MS.RDONLY, 0], rw: [0, MS.RDONLY],
  nosuid: [MS.NOSUID, 0], suid: [0, MS.NOSUID],
  nodev: [MS.NODEV, 0], dev: [0, MS.NODEV],
  noexec: [MS.NOEXEC, 0], exec: [0, MS.NOEXEC],
  sync: [MS.SYNCHRONOUS, 0], async: [0, MS.SYNCHRONOUS],
  dirsync: [MS.DIRSYNC, 0], mand: [MS.MANDLOCK, 0], nomand: [0, MS.MANDLOCK],
  noatime: [MS.NOATIME, 0], atime: [0, MS.NOATIME], nodiratime: [MS.NODIRATIME, 0], diratime: [0, MS.NODIRATIME],
  relatime: [MS.RELATIME, 0], norelatime: [0, MS.RELATIME], strictatime: [MS.STRICTATIME, 0], nostrictatime: [0, MS.STRICTATIME],
  lazytime: [MS.LAZYTIME, 0], nolazytime: [0, MS.LAZYTIME],
  bind: [MS.BIND, 0], rbind: [MS.BIND | MS.REC, 0],
  defaults: [0, 0],
};
const PROPAGATION = ['private', 'rprivate', 'shared', 'rshared', 'slave', 'rslave', 'unbindable', 'runbindable'];

export function parseMountOptions(o: string | undefined, volume: string): { flags: number; data: string } {
  let flags = 0;
  const data: string[] = [];
  for (const word of (o ?? '').split(',').filter(Boolean)) {
    const f = FLAG_WORDS[word];
    if (f) flags = (flags | f[0]) & ~f[1];
    else if (PROPAGATION.includes(word)) throw invalidArgument(`volume ${volume}: mount propagation option "${word}" is not supported by berth's local driver`);
    else data.push(word);
  }
  return { flags, data: data.join(',') };
}
