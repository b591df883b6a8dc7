/**
 * Docker's mount specifications as pure functions: `-v`/`HostConfig.Binds` strings
 * (`[src:]dst[:mode]`, moby volume/mounts/linux_parser.go), `HostConfig.Mounts` objects, the
 * `--mount` CSV syntax of the docker CLI, and `--tmpfs`/`HostConfig.Tmpfs`. Everything is checked
 * here, before anything exists, with Docker's messages.
 */
import { invalidArgument } from '../../base/errors.js';
import { asObject, optBool, optInt, optObject, optString, optStringMap, type Json } from './validate.js';

export type MountType = 'volume' | 'bind' | 'tmpfs';
export const PROPAGATIONS = ['private', 'rprivate', 'shared', 'rshared', 'slave', 'rslave'] as const;
export type Propagation = (typeof PROPAGATIONS)[number];

/** One mount a container asks for, in domain words (Docker's mount.Mount). */
export interface MountSpec {
  type: MountType;
  /** volume: its name ('' or absent = a new anonymous volume); bind: the host path; tmpfs: none. */
  source?: string;
  target: string;
  readOnly?: boolean;
  /** volume: do not copy the image's content at target into a new, empty volume. */
  noCopy?: boolean;
  /** bind: mount propagation (default rprivate). */
  propagation?: Propagation;
  /** bind: create a missing source directory (`-v` does, `--mount` does not). */
  createSource?: boolean;
  volumeLabels?: Record<string, string>;
  volumeDriver?: string;
  volumeOptions?: Record<string, string>;
  tmpfsSize?: number; // bytes
  tmpfsMode?: number; // permission bits
  /** tmpfs: further mount options ("exec", "uid=1000", ...). */
  tmpfsOptions?: string[];
  /** The mode text as given (`-v a:/b:ro,z`), shown as Mode in inspect. */
  mode?: string;
}

/** Docker's rule for local volume names. */
export const VOLUME_NAME_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

export function checkVolumeName(name: string): string {
  if (!VOLUME_NAME_PATTERN.test(name)) {
    throw invalidArgument(`create ${name}: "${name}" includes invalid characters for a local volume name, only "[a-zA-Z0-9][a-zA-Z0-9_.-]" are allowed. If you intended to pass a host directory, use absolute path`);
  }
  return name;
}

const invalidSpec = (raw: string) => invalidArgument(`invalid volume specification: '${raw}'`);
const invalidConfig = (type: string, why: string) => invalidArgument(`invalid mount config for type "${type}": ${why}`);

/**
 * A container path a mount may cover: absolute, not "/", no ".." (a mount must name the place it
 * covers, not climb to it), and not procfs (the runtime owns /proc; a mount there could hide the
 * masked paths).
 */
export function checkTarget(type: string, target: string): string {
  if (!target.startsWith('/')) throw invalidConfig(type, `invalid mount path: '${target}' mount path must be absolute`);
  if (target.includes('\0')) throw invalidConfig(type, 'invalid mount path: it contains a NUL byte');
  const parts = target.split('/');
  if (parts.includes('..')) throw invalidConfig(type, `invalid mount path: '${target}' must not contain ".."`);
  const clean = `/${parts.filter((p) => p !== '' && p !== '.').join('/')}`;
  if (clean === '/') throw invalidArgument("invalid specification: destination can't be '/'");
  if (clean === '/proc' || clean.startsWith('/proc/')) throw invalidConfig(type, `invalid mount path: '${clean}': /proc belongs to the container's procfs`);
  return clean;
}

function checkHostPath(type: string, p: string): string {
  if (!p.startsWith('/')) throw invalidConfig(type, `invalid mount path: '${p}' mount path must be absolute`);
  if (p.includes('\0')) throw invalidConfig(type, 'invalid mount path: it contains a NUL byte');
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return `/${out.join('/')}`;
}

interface ModeFlags { readOnly?: boolean; noCopy?: boolean; propagation?: Propagation }

/** `ro`, `rw`, `z`, `Z`, `nocopy`, a propagation, a consistency: each kind at most once. */
function parseMode(mode: string): ModeFlags {
  const out: ModeFlags = {};
  if (mode === '') return out;
  const seen = new Set<string>();
  const once = (kind: string) => {
    if (seen.has(kind)) throw invalidArgument(`invalid mode: ${mode}`);
    seen.add(kind);
  };
  for (const m of mode.split(',')) {
    if (m === 'ro' || m === 'rw') {
      once('rw');
      out.readOnly = m === 'ro';
    } else if (m === 'z' || m === 'Z') once('label'); // SELinux relabelling: no SELinux here, accepted like Docker without it
    else if (m === 'nocopy') {
      once('copy');
      out.noCopy = true;
    } else if ((PROPAGATIONS as readonly string[]).includes(m)) {
      once('propagation');
      out.propagation = m as Propagation;
    } else if (m === 'consistent' || m === 'cached' || m === 'delegated') once('consistency');
    else throw invalidArgument(`invalid mode: ${mode}`);
  }
  return out;
}

/** One `-v` / `HostConfig.Binds` entry. */
export function parseBind(raw: string): MountSpec {
  if (typeof raw !== 'string' || raw === '') throw invalidSpec(String(raw));
  const arr = raw.split(':');
  if (arr.some((p) => p === '')) throw invalidSpec(raw);
  let source: string | undefined;
  let target: string;
  let mode = '';
  if (arr.length === 1) target = arr[0]!;
  else if (arr.length === 2) {
    // `/foo:rw` is a destination with a mode, which a new volume cannot have.
    if (isMode(arr[1]!)) throw invalidSpec(raw);
    [source, target] = arr as [string, string];
  } else if (arr.length === 3) [source, target, mode] = arr as [string, string, string];
  else throw invalidSpec(raw);
  const flags = parseMode(mode);
  const isBind = source !== undefined && source.startsWith('/');
  const spec: MountSpec = { type: isBind ? 'bind' : 'volume', target: checkTarget(isBind ? 'bind' : 'volume', target), mode };
  if (source !== undefined) spec.source = isBind ? checkHostPath('bind', source) : checkVolumeName(source);
  if (flags.readOnly) spec.readOnly = true;
  if (isBind) {
    spec.createSource = true;
    if (flags.noCopy) throw invalidArgument(`invalid mode: ${mode} (nocopy applies to volumes only)`);
    if (flags.propagation) spec.propagation = flags.propagation;
  } else {
    if (flags.propagation) throw invalidConfig('volume', 'field BindOptions must not be specified');
    if (flags.noCopy) spec.noCopy = true;
  }
  return spec;
}

function isMode(s: string): boolean {
  try {
    parseMode(s);
    return true;
  } catch {
    return false;
  }
}

const TMPFS_FLAGS = new Set(['rw', 'ro', 'exec', 'noexec', 'suid', 'nosuid', 'dev', 'nodev', 'atime', 'noatime', 'diratime', 'nodiratime', 'relatime', 'norelatime', 'strictatime', 'nostrictatime', 'sync', 'async', 'dirsync', 'mand', 'nomand']);
const TMPFS_KEYS = new Set(['size', 'mode', 'uid', 'gid', 'nr_inodes', 'nr_blocks', 'mpol']);

/** `--tmpfs /path:opts` / one `HostConfig.Tmpfs` entry. */
export function parseTmpfs(target: string, options: string): MountSpec {
  if (typeof options !== 'string') throw invalidArgument(`HostConfig.Tmpfs["${target}"] must be a string`);
  const spec: MountSpec = { type: 'tmpfs', target: checkTarget('tmpfs', target) };
  const extra: string[] = [];
  for (const opt of options.split(',').filter((o) => o !== '')) {
    const eq = opt.indexOf('=');
    const key = eq < 0 ? opt : opt.slice(0, eq);
    const value = eq < 0 ? '' : opt.slice(eq + 1);
    if (eq < 0 && TMPFS_FLAGS.has(key)) {
      if (key === 'ro') spec.readOnly = true;
      else if (key !== 'rw') extra.push(key);
    } else if (eq > 0 && TMPFS_KEYS.has(key) && /^[\w.:%-]+$/.test(value)) {
      if (key === 'size') spec.tmpfsSize = parseSize(value, `tmpfs size "${value}"`);
      else if (key === 'mode') spec.tmpfsMode = parseOctal(value);
      else extra.push(`${key}=${value}`);
    } else throw invalidArgument(`invalid tmpfs option "${opt}" for ${target}`);
  }
  if (extra.length) spec.tmpfsOptions = extra;
  return spec;
}

function parseOctal(v: string): number {
  if (!/^[0-7]{1,4}$/.test(v)) throw invalidArgument(`invalid tmpfs mode "${v}": use octal permission bits such as 1777`);
  return parseInt(v, 8);
}

/** Sizes as Docker reads them (RAMInBytes): 64m, 1g, 512k, 1024, with an optional b/ib. */
export function parseSize(v: string, what: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([kmgtp]?)(i?b)?$/i.exec(v.trim());
  if (!m) throw invalidArgument(`invalid ${what}: use a number with an optional unit k, m or g`);
  const unit = m[2]!.toLowerCase();
  const mult = 1024 ** ['', 'k', 'm', 'g', 't', 'p'].indexOf(unit);
  return Math.floor(Number(m[1]) * mult);
}

/** One `HostConfig.Mounts` entry (Docker's API shape). */
export function parseMountJson(v: unknown, field: string): MountSpec {
  const o = asObject(v, field);
  const type = optString(o.Type, `${field}.Type`) ?? '';
  if (type !== 'volume' && type !== 'bind' && type !== 'tmpfs') {
    if (type === 'npipe' || type === 'cluster' || type === 'image') throw invalidArgument(`mount type "${type}" is not supported by berth`);
    throw invalidArgument(`${field}.Type: mount type unknown: "${type}" (use volume, bind or tmpfs)`);
  }
  const source = optString(o.Source, `${field}.Source`) ?? '';
  const target = optString(o.Target, `${field}.Target`) ?? '';
  if (target === '') throw invalidConfig(type, 'field Target must not be empty');
  const spec: MountSpec = { type, target: checkTarget(type, target) };
  if (optBool(o.ReadOnly, `${field}.ReadOnly`)) spec.readOnly = true;
  const bindOpts = optObject(o.BindOptions, `${field}.BindOptions`);
  const volOpts = optObject(o.VolumeOptions, `${field}.VolumeOptions`);
  const tmpfsOpts = optObject(o.TmpfsOptions, `${field}.TmpfsOptions`);
  const refuse = (present: unknown, name: string) => {
    if (present) throw invalidConfig(type, `field ${name} must not be specified`);
  };
  if (type === 'bind') {
    refuse(volOpts, 'VolumeOptions');
    refuse(tmpfsOpts, 'TmpfsOptions');
    if (source === '') throw invalidConfig('bind', 'field Source must not be empty');
    spec.source = checkHostPath('bind', source);
    bindOptions(spec, bindOpts, `${field}.BindOptions`);
  } else if (type === 'volume') {
    refuse(bindOpts, 'BindOptions');
    refuse(tmpfsOpts, 'TmpfsOptions');
    if (source !== '') spec.source = checkVolumeName(source);
    volumeOptions(spec, volOpts, `${field}.VolumeOptions`);
  } else {
    refuse(bindOpts, 'BindOptions');
    refuse(volOpts, 'VolumeOptions');
    if (source !== '') throw invalidConfig('tmpfs', 'field Source must not be specified');
    if (tmpfsOpts) {
      const size = optInt(tmpfsOpts.SizeBytes, `${field}.TmpfsOptions.SizeBytes`, 0);
      const mode = optInt(tmpfsOpts.Mode, `${field}.TmpfsOptions.Mode`, 0);
      if (size) spec.tmpfsSize = size;
      if (mode !== undefined && mode !== 0) {
        if (mode > 0o7777) throw invalidArgument(`${field}.TmpfsOptions.Mode: ${mode} is not a permission mode`);
        spec.tmpfsMode = mode;
      }
    }
  }
  return spec;
}

function bindOptions(spec: MountSpec, o: Json | undefined, field: string): void {
  if (!o) return;
  const prop = optString(o.Propagation, `${field}.Propagation`);
  if (prop) {
    if (!(PROPAGATIONS as readonly string[]).includes(prop)) throw invalidArgument(`${field}.Propagation: invalid propagation mode "${prop}"`);
    spec.propagation = prop as Propagation;
  }
  if (optBool(o.CreateMountpoint, `${field}.CreateMountpoint`)) spec.createSource = true;
  if (optBool(o.NonRecursive, `${field}.NonRecursive`)) throw invalidArgument(`${field}.NonRecursive: non-recursive bind mounts are not supported by berth`);
}

function volumeOptions(spec: MountSpec, o: Json | undefined, field: string): void {
  if (!o) return;
  if (optBool(o.NoCopy, `${field}.NoCopy`)) spec.noCopy = true;
  const labels = optStringMap(o.Labels, `${field}.Labels`);
  if (labels && Object.keys(labels).length) spec.volumeLabels = labels;
  if (optString(o.Subpath, `${field}.Subpath`)) throw invalidArgument(`${field}.Subpath: volume subpaths are not supported by berth`);
  const driver = optObject(o.DriverConfig, `${field}.DriverConfig`);
  if (driver) {
    const name = optString(driver.Name, `${field}.DriverConfig.Name`);
    if (name) spec.volumeDriver = name;
    const opts = optStringMap(driver.Options, `${field}.DriverConfig.Options`);
    if (opts && Object.keys(opts).length) spec.volumeOptions = opts;
  }
}

/** A MountSpec back in Docker's API shape (inspect's HostConfig.Mounts). */
export function mountJson(m: MountSpec): Record<string, unknown> {
  const out: Record<string, unknown> = { Type: m.type, Source: m.source ?? '', Target: m.target };
  if (m.readOnly) out.ReadOnly = true;
  if (m.type === 'bind' && (m.propagation || m.createSource)) out.BindOptions = { ...(m.propagation ? { Propagation: m.propagation } : {}), ...(m.createSource ? { CreateMountpoint: true } : {}) };
  if (m.type === 'volume' && (m.noCopy || m.volumeLabels || m.volumeDriver || m.volumeOptions)) {
    out.VolumeOptions = {
      ...(m.noCopy ? { NoCopy: true } : {}),
      ...(m.volumeLabels ? { Labels: m.volumeLabels } : {}),
      ...(m.volumeDriver || m.volumeOptions ? { DriverConfig: { Name: m.volumeDriver ?? '', Options: m.volumeOptions ?? {} } } : {}),
    };
  }
  if (m.type === 'tmpfs' && (m.tmpfsSize || m.tmpfsMode)) out.TmpfsOptions = { ...(m.tmpfsSize ? { SizeBytes: m.tmpfsSize } : {}), ...(m.tmpfsMode ? { Mode: m.tmpfsMode } : {}) };
  return out;
}

/** `--volumes-from container[:ro|rw]` → [container, mode]. */
export function parseVolumesFrom(raw: string): { container: string; mode: '' | 'ro' | 'rw' } {
  if (typeof raw !== 'string' || raw === '') throw invalidArgument('--volumes-from needs a container name or id');
  const parts = raw.split(':');
  if (parts.length > 2 || parts[0] === '') throw invalidArgument(`invalid volumes-from specification: '${raw}'`);
  const mode = parts[1] ?? '';
  if (mode !== '' && mode !== 'ro' && mode !== 'rw') throw invalidArgument(`invalid mode for volumes-from: ${mode}`);
  return { container: parts[0]!, mode };
}
