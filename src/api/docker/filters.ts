/**
 * Docker's `filters` query parameter: JSON map of key → set, either `{"status":{"running":true}}`
 * (current) or `{"status":["running"]}` (older clients). Parsed to key → values, and the container
 * list filters applied as moby applies them (all keys must match; values of one key are OR'ed).
 */
import { invalidArgument } from '../../base/errors.js';
import type { ContainerView } from './domain.js';

export type Filters = Map<string, string[]>;

export function parseFilters(raw: string | null | undefined, allowed: readonly string[]): Filters {
  const out: Filters = new Map();
  if (!raw) return out;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw invalidArgument(`invalid filters: ${JSON.stringify(raw)} is not JSON`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw invalidArgument('invalid filters: expected a JSON object');
  for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
    if (!allowed.includes(key)) throw invalidArgument(`invalid filter "${key}"`);
    let values: string[];
    if (Array.isArray(value) && value.every((v) => typeof v === 'string')) values = value as string[];
    else if (value && typeof value === 'object') values = Object.entries(value).filter(([, on]) => on === true).map(([v]) => v);
    else throw invalidArgument(`invalid filter "${key}": expected a set of values`);
    out.set(key, values);
  }
  return out;
}

export const CONTAINER_FILTERS = ['status', 'name', 'id', 'label', 'exited', 'ancestor', 'before', 'since'] as const;
const STATUSES = ['created', 'restarting', 'running', 'removing', 'paused', 'exited', 'dead'];

function labelMatches(labels: Record<string, string>, expr: string): boolean {
  const eq = expr.indexOf('=');
  if (eq < 0) return expr in labels;
  return labels[expr.slice(0, eq)] === expr.slice(eq + 1);
}

/** Whether one container passes every filter; the whole list is needed for before/since. */
export function containerMatches(c: ContainerView, filters: Filters, all: ContainerView[]): boolean {
  for (const [key, values] of filters) {
    if (values.length === 0) continue;
    const any = (pred: (v: string) => boolean) => values.some(pred);
    switch (key) {
      case 'status':
        for (const v of values) if (!STATUSES.includes(v)) throw invalidArgument(`invalid filter 'status=${v}'`);
        if (!any((v) => v === c.state.status)) return false;
        break;
      case 'name':
        // moby matches names as regular expressions against "/name"; a substring test covers plain names.
        if (!any((v) => safeRegex(v).test(`/${c.name}`))) return false;
        break;
      case 'id':
        if (!any((v) => c.id.startsWith(v))) return false;
        break;
      case 'label':
        if (!values.every((v) => labelMatches(c.config.labels, v))) return false;
        break;
      case 'exited':
        if (c.state.status !== 'exited' || !any((v) => Number(v) === c.state.exitCode)) return false;
        break;
      case 'ancestor':
        if (!any((v) => v === c.image || v === c.imageId || c.imageId.startsWith(`sha256:${v}`) || c.imageId.startsWith(v))) return false;
        break;
      case 'before':
      case 'since': {
        const ref = all.find((o) => o.id.startsWith(values[0]!) || o.name === values[0]!.replace(/^\//, ''));
        if (!ref) throw invalidArgument(`no such container: ${values[0]}`);
        const cmp = Date.parse(c.created) - Date.parse(ref.created);
        if (key === 'before' ? cmp >= 0 : cmp <= 0) return false;
        break;
      }
    }
  }
  return true;
}

function safeRegex(v: string): RegExp {
  try {
    return new RegExp(v);
  } catch {
    throw invalidArgument(`invalid filter 'name=${v}': not a valid regular expression`);
  }
}
