/**
 * The docker CLI's `--mount` syntax (cli/opts/mount.go): comma-separated key=value fields, turned
 * into one `HostConfig.Mounts` entry. The daemon validates the entry again (parseMountJson).
 */
import { invalidArgument } from '../../base/errors.js';
import { parseSize } from './volume-spec.js';

function boolValue(key: string, value: string | undefined): boolean {
  if (value === undefined) return true;
  const v = value.toLowerCase();
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  throw invalidArgument(`invalid value for ${key}: ${value}`);
}

/** Splits CSV fields the way encoding/csv does for one record (quotes may wrap a field). */
function csvFields(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (quoted) {
      if (c === '"' && s[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"' && cur === '') quoted = true;
    else if (c === ',') {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  if (quoted) throw invalidArgument(`invalid --mount value ${JSON.stringify(s)}: unterminated quote`);
  out.push(cur);
  return out;
}

function keyValue(field: string): [string, string] {
  const eq = field.indexOf('=');
  if (eq <= 0) throw invalidArgument(`invalid field '${field}' must be a key=value pair`);
  return [field.slice(0, eq), field.slice(eq + 1)];
}

/** `type=volume,source=data,target=/data,readonly` → a Docker API Mount object. */
export function parseMountFlag(value: string): Record<string, unknown> {
  let type = 'volume';
  let source = '';
  let target = '';
  let readOnly = false;
  const bind: Record<string, unknown> = {};
  const volume: Record<string, unknown> = {};
  const labels: Record<string, string> = {};
  const driverOpts: Record<string, string> = {};
  let driverName = '';
  const tmpfs: Record<string, unknown> = {};
  for (const field of csvFields(value)) {
    const eq = field.indexOf('=');
    const key = (eq < 0 ? field : field.slice(0, eq)).toLowerCase();
    const val = eq < 0 ? undefined : field.slice(eq + 1);
    // Boolean fields may stand alone ("readonly"); everything else needs a value.
    switch (key) {
      case 'readonly':
      case 'ro':
        readOnly = boolValue(key, val);
        continue;
      case 'volume-nocopy':
        volume.NoCopy = boolValue(key, val);
        continue;
      case 'bind-nonrecursive':
        bind.NonRecursive = boolValue(key, val);
        continue;
      case 'bind-create-mountpoint':
        bind.CreateMountpoint = boolValue(key, val);
        continue;
    }
    if (val === undefined) throw invalidArgument(`invalid field '${field}' must be a key=value pair`);
    switch (key) {
      case 'type':
        type = val;
        break;
      case 'source':
      case 'src':
        source = val;
        break;
      case 'target':
      case 'dst':
      case 'destination':
        target = val;
        break;
      case 'bind-propagation':
        bind.Propagation = val.toLowerCase();
        break;
      case 'consistency':
        break; // macOS-only file sharing hint: no effect on Linux, accepted like docker
      case 'volume-driver':
        driverName = val;
        break;
      case 'volume-label': {
        const [k, v] = val.includes('=') ? keyValue(val) : [val, ''];
        labels[k] = v;
        break;
      }
      case 'volume-opt': {
        const [k, v] = keyValue(val);
        driverOpts[k] = v;
        break;
      }
      case 'volume-subpath':
        volume.Subpath = val;
        break;
      case 'tmpfs-size':
        tmpfs.SizeBytes = parseSize(val, `value for tmpfs-size: ${val}`);
        break;
      case 'tmpfs-mode':
        if (!/^[0-7]{1,4}$/.test(val)) throw invalidArgument(`invalid value for tmpfs-mode: ${val}`);
        tmpfs.Mode = parseInt(val, 8);
        break;
      default:
        throw invalidArgument(`unexpected key '${key}' in '${field}'`);
    }
  }
  if (Object.keys(labels).length) volume.Labels = labels;
  if (driverName || Object.keys(driverOpts).length) volume.DriverConfig = { Name: driverName, Options: driverOpts };
  const mount: Record<string, unknown> = { Type: type, Source: source, Target: target };
  if (readOnly) mount.ReadOnly = true;
  if (target === '') throw invalidArgument('target is required');
  if (Object.keys(bind).length) {
    if (type !== 'bind') throw invalidArgument(`cannot mix 'bind-*' options with mount type '${type}'`);
    mount.BindOptions = bind;
  }
  if (Object.keys(volume).length) {
    if (type !== 'volume') throw invalidArgument(`cannot mix 'volume-*' options with mount type '${type}'`);
    mount.VolumeOptions = volume;
  }
  if (Object.keys(tmpfs).length) {
    if (type !== 'tmpfs') throw invalidArgument(`cannot mix 'tmpfs-*' options with mount type '${type}'`);
    mount.TmpfsOptions = tmpfs;
  }
  return mount;
}
