/**
 * Volumes and container mount points in the Docker Engine API's shapes (`GET /volumes`,
 * `GET /volumes/{name}`, inspect's `Mounts`), and the volume list/prune filters.
 */
import { invalidArgument } from '../../base/errors.js';

/** Parsed filters (filters.ts parseFilters; not imported from there: filters.ts reads domain.ts, which reads this file). */
type Filters = ReadonlyMap<string, string[]>;

/** A volume as the engine reports it (= engine/volumes Volume, structurally). */
export interface VolumeView {
  name: string;
  driver: string;
  mountpoint: string;
  created: string; // RFC 3339
  labels: Record<string, string>;
  options: Record<string, string>;
  anonymous: boolean;
}

/** A container's mount as recorded at create (= engine/volumes MountPoint, structurally). */
export interface MountPointView {
  type: 'volume' | 'bind' | 'tmpfs';
  name?: string;
  source: string;
  destination: string;
  driver?: string;
  mode: string;
  rw: boolean;
  propagation: string;
}

export function volumeJson(v: VolumeView): Record<string, unknown> {
  return {
    CreatedAt: v.created.replace(/\.\d+Z$/, 'Z'),
    Driver: v.driver,
    Labels: v.labels,
    Mountpoint: v.mountpoint,
    Name: v.name,
    Options: Object.keys(v.options).length ? v.options : null,
    Scope: 'local',
  };
}

export function mountPointJson(m: MountPointView): Record<string, unknown> {
  return {
    Type: m.type,
    ...(m.type === 'volume' ? { Name: m.name ?? '' } : {}),
    Source: m.source,
    Destination: m.destination,
    ...(m.type === 'volume' ? { Driver: m.driver ?? 'local' } : {}),
    Mode: m.mode,
    RW: m.rw,
    Propagation: m.propagation,
  };
}

export const VOLUME_LIST_FILTERS = ['dangling', 'name', 'label', 'driver'] as const;
export const VOLUME_PRUNE_FILTERS = ['label', 'label!', 'all'] as const;

function labelMatches(labels: Record<string, string>, expr: string): boolean {
  const eq = expr.indexOf('=');
  if (eq < 0) return expr in labels;
  return labels[expr.slice(0, eq)] === expr.slice(eq + 1);
}

function boolFilter(key: string, v: string): boolean {
  const s = v.toLowerCase();
  if (s === 'true' || s === '1') return true;
  if (s === 'false' || s === '0') return false;
  throw invalidArgument(`invalid filter '${key}=${v}': use true or false`);
}

/** `GET /volumes` filters: every key must match, the values of one key are OR'ed (labels AND'ed, as moby does). */
export function volumeMatches(v: VolumeView, inUse: boolean, filters: Filters): boolean {
  for (const [key, values] of filters) {
    if (values.length === 0) continue;
    switch (key) {
      case 'dangling':
        if (!values.some((x) => boolFilter(key, x) === !inUse)) return false;
        break;
      case 'name':
        if (!values.some((x) => v.name.includes(x))) return false;
        break;
      case 'driver':
        if (!values.includes(v.driver)) return false;
        break;
      case 'label':
        if (!values.every((x) => labelMatches(v.labels, x))) return false;
        break;
      case 'label!':
        if (values.some((x) => labelMatches(v.labels, x))) return false;
        break;
    }
  }
  return true;
}

/** `POST /volumes/prune`: unused volumes; only anonymous ones unless `all=true` (Docker 23+). */
export function prunable(v: VolumeView, inUse: boolean, filters: Filters): boolean {
  if (inUse) return false;
  const all = (filters.get('all') ?? []).some((x) => boolFilter('all', x));
  if (!all && !v.anonymous) return false;
  const rest: Filters = new Map<string, string[]>([...filters].filter(([k]) => k === 'label' || k === 'label!'));
  return volumeMatches(v, inUse, rest);
}
