/**
 * Docker's filters for `GET /networks` (name, id, label, driver, type, scope, dangling) and
 * `POST /networks/prune` (until, label, label!), applied to networks as moby applies them: every key
 * must match, the values of one key are OR'ed (labels: every one must match).
 */
import { invalidArgument } from '../../base/errors.js';
import { parseFilters } from './filters.js';
import type { NetworkView } from './network-json.js';

export const NETWORK_LIST_FILTERS = ['name', 'id', 'label', 'driver', 'type', 'scope', 'dangling'] as const;
export const NETWORK_PRUNE_FILTERS = ['until', 'label', 'label!'] as const;

type FilteredNetwork = Pick<NetworkView, 'id' | 'name' | 'driver' | 'labels' | 'isDefault' | 'created' | 'containers'>;

function labelMatches(labels: Record<string, string>, expr: string): boolean {
  const eq = expr.indexOf('=');
  return eq < 0 ? expr in labels : labels[expr.slice(0, eq)] === expr.slice(eq + 1);
}

/** bridge (the default), host and none are Docker's "builtin" networks. */
const builtin = (n: FilteredNetwork) => n.isDefault || n.driver !== 'bridge';

const GO_DURATION = /^(?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h))+$/;
const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** `until`: unix seconds (with a fraction), an RFC 3339 time, or a Go duration before now ("24h", "1h30m"). */
export function untilCutoff(value: string, now: number): number {
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  if (GO_DURATION.test(value)) {
    let ms = 0;
    for (const m of value.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) ms += Number(m[1]) * UNIT_MS[m[2]!]!;
    return now - ms;
  }
  const t = Date.parse(value);
  if (!Number.isFinite(t)) throw invalidArgument(`invalid filter 'until=${value}': expected unix seconds, an RFC 3339 time or a duration such as 24h`);
  return t;
}

export function networkListFilter(raw: string | null | undefined): (n: FilteredNetwork) => boolean {
  const f = parseFilters(raw, NETWORK_LIST_FILTERS);
  const get = (k: string) => f.get(k) ?? [];
  for (const v of get('dangling')) if (!['true', '1', 'false', '0'].includes(v)) throw invalidArgument(`invalid filter 'dangling=${v}': use true or false`);
  for (const v of get('type')) if (v !== 'builtin' && v !== 'custom') throw invalidArgument(`invalid filter 'type=${v}': use builtin or custom`);
  for (const v of get('scope')) if (!['local', 'swarm', 'global'].includes(v)) throw invalidArgument(`invalid filter 'scope=${v}': use local, swarm or global`);
  return (n) => {
    if (get('name').length && !get('name').some((x) => n.name.includes(x))) return false;
    if (get('id').length && !get('id').some((x) => n.id.startsWith(x))) return false;
    if (get('driver').length && !get('driver').includes(n.driver)) return false;
    if (get('type').length && !get('type').includes(builtin(n) ? 'builtin' : 'custom')) return false;
    if (get('scope').length && !get('scope').includes('local')) return false; // every berth network is local
    if (!get('label').every((l) => labelMatches(n.labels, l))) return false;
    const dangling = get('dangling');
    if (dangling.length) {
      const isDangling = !builtin(n) && Object.keys(n.containers).length === 0;
      if (!dangling.some((v) => (v === 'true' || v === '1') === isDangling)) return false;
    }
    return true;
  };
}

export function networkPruneFilter(raw: string | null | undefined, now = Date.now()): (n: FilteredNetwork) => boolean {
  const f = parseFilters(raw, NETWORK_PRUNE_FILTERS);
  const cutoffs = (f.get('until') ?? []).map((v) => untilCutoff(v, now));
  const labels = f.get('label') ?? [];
  const notLabels = f.get('label!') ?? [];
  return (n) => {
    if (cutoffs.length && !cutoffs.some((c) => Date.parse(n.created) < c)) return false;
    if (!labels.every((l) => labelMatches(n.labels, l))) return false;
    if (notLabels.some((l) => labelMatches(n.labels, l))) return false;
    return true;
  };
}
