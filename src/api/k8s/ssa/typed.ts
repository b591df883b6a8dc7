/**
 * Schema-aware views of an object for server-side apply, following structured-merge-diff's rules
 * for Kubernetes schemas:
 *  - scalars, int-or-string, `x-kubernetes-map-type: atomic` objects and atomic lists are leaves;
 *  - lists are `map` (x-kubernetes-list-type=map + list-map-keys, or patch strategy merge + merge key),
 *    `set` (list-type set, or strategy merge on scalars) or atomic (everything else);
 *  - objects without a schema (custom resources without one, RawExtension) are granular maps.
 * A node is a member of an object's field set when it is a leaf, a list item, a map entry (a key the
 * schema does not declare), or an empty/null value — exactly structured-merge-diff's ToFieldSet.
 */
import { itemsSchema, propertySchema, resolveSchema, type OpenApiSchema } from '../openapi/spec.js';
import { deepEqual, getOwn, isPlainObject, setOwn } from '../types.js';
import { FieldSet, fieldPE, keyPE, valuePE } from './fieldset.js';

type ListKind = { kind: 'atomic' } | { kind: 'set' } | { kind: 'map'; keys: string[] };

export function listKind(schema: OpenApiSchema | undefined): ListKind {
  if (!schema) return { kind: 'atomic' };
  const lt = schema['x-kubernetes-list-type'];
  const keys = schema['x-kubernetes-list-map-keys'];
  if (lt === 'map' && Array.isArray(keys) && keys.length > 0) return { kind: 'map', keys };
  if (lt === 'set') return { kind: 'set' };
  if (lt === 'atomic') return { kind: 'atomic' };
  const strategy = schema['x-kubernetes-patch-strategy'];
  if (typeof strategy === 'string' && strategy.split(',').includes('merge')) {
    const mk = schema['x-kubernetes-patch-merge-key'];
    return typeof mk === 'string' ? { kind: 'map', keys: [mk] } : { kind: 'set' };
  }
  return { kind: 'atomic' };
}

type NodeKind = 'leaf' | 'object' | 'list';

function kindOf(schema: OpenApiSchema | undefined, v: unknown): NodeKind {
  if (v === null || v === undefined) return 'leaf';
  const r = schema ? resolveSchema(schema) : undefined;
  if (r?.['x-kubernetes-int-or-string']) return 'leaf';
  if (Array.isArray(v)) return listKind(schema && resolveSchema(schema)).kind === 'atomic' ? 'leaf' : 'list';
  if (isPlainObject(v)) {
    if (r && (r['x-kubernetes-map-type'] === 'atomic' || schema?.['x-kubernetes-map-type'] === 'atomic')) return 'leaf';
    if (r && r.type && r.type !== 'object') return 'leaf';
    return 'object';
  }
  return 'leaf';
}

function declares(schema: OpenApiSchema | undefined, key: string): boolean {
  const r = schema ? resolveSchema(schema) : undefined;
  return !!r?.properties && Object.prototype.hasOwnProperty.call(r.properties, key);
}

/** Key-field defaults kube's schemas declare for associative-list keys (protocol defaults to TCP). */
const KEY_DEFAULTS: Record<string, unknown> = { protocol: 'TCP' };

/** The path element of a list item, or undefined when a key field is missing. */
export function itemPE(kind: ListKind, item: unknown, index: number): string {
  if (kind.kind === 'set') return valuePE(item);
  if (kind.kind === 'map' && isPlainObject(item)) {
    const keys: Record<string, unknown> = {};
    for (const k of kind.keys) {
      const v = item[k] ?? KEY_DEFAULTS[k];
      if (v !== undefined) keys[k] = v;
    }
    if (Object.keys(keys).length > 0) return keyPE(keys);
  }
  return `i:${index}`;
}

function itemsByPE(kind: ListKind, list: unknown): Map<string, unknown> {
  const m = new Map<string, unknown>();
  if (Array.isArray(list)) list.forEach((e, i) => m.set(itemPE(kind, e, i), e));
  return m;
}

export interface Comparison { added: FieldSet; removed: FieldSet; modified: FieldSet }

/** What changed between two objects, as field sets (structured-merge-diff's TypedValue.Compare). */
export function compareObjects(before: unknown, after: unknown, schema: OpenApiSchema | undefined): Comparison {
  const c: Comparison = { added: new FieldSet(), removed: new FieldSet(), modified: new FieldSet() };
  walk(before, after, schema, [], c, true);
  return c;
}

/** The field set an applied configuration sets (ToFieldSet). */
export function toFieldSet(obj: unknown, schema: OpenApiSchema | undefined): FieldSet {
  const c: Comparison = { added: new FieldSet(), removed: new FieldSet(), modified: new FieldSet() };
  walk(undefined, obj, schema, [], c, false);
  return c.added;
}

/** A map-typed schema (additionalProperties, no declared fields): labels, annotations, data, … */
function isMapType(schema: OpenApiSchema | undefined): boolean {
  const r = schema ? resolveSchema(schema) : undefined;
  return !!r && !r.properties && isPlainObject(r.additionalProperties);
}

/**
 * `comparing`: kube compares typed Go objects, where a map that appears or disappears (labels, data)
 * is itself added/removed ("." in an Update entry); ToFieldSet for Apply lists only its entries.
 */
function walk(a: unknown, b: unknown, schema: OpenApiSchema | undefined, path: string[], c: Comparison, comparing: boolean): void {
  if (a === undefined && b === undefined) return;
  const ka = a === undefined ? undefined : kindOf(schema, a);
  const kb = b === undefined ? undefined : kindOf(schema, b);
  if ((ka === 'leaf' || kb === 'leaf') || (ka && kb && ka !== kb)) {
    if (a === undefined) c.added.insert(path);
    else if (b === undefined) c.removed.insert(path);
    else if (!deepEqual(a, b)) c.modified.insert(path);
    return;
  }
  const kind = ka ?? kb;
  if (kind === 'object') {
    const ao = (a ?? {}) as Record<string, unknown>;
    const bo = (b ?? {}) as Record<string, unknown>;
    for (const k of new Set([...Object.keys(ao), ...Object.keys(bo)])) {
      const childPath = [...path, fieldPE(k)];
      const childSchema = propertySchema(schema, k);
      const av = getOwn(ao, k), bv = getOwn(bo, k);
      walk(av, bv, childSchema, childPath, c, comparing);
      const member = (v: unknown) => v === null || (isPlainObject(v) && Object.keys(v).length === 0) || !declares(schema, k) || (comparing && isMapType(childSchema));
      if (av === undefined && bv !== undefined && member(bv)) c.added.insert(childPath);
      if (bv === undefined && av !== undefined && member(av)) c.removed.insert(childPath);
    }
    return;
  }
  // Granular list: items are members, matched by key (map) or value (set).
  const lk = listKind(schema && resolveSchema(schema));
  const itemSchema = itemsSchema(schema);
  const am = itemsByPE(lk, a), bm = itemsByPE(lk, b);
  for (const pe of new Set([...am.keys(), ...bm.keys()])) {
    const itemPath = [...path, pe];
    const av = am.get(pe), bv = bm.get(pe);
    if (lk.kind === 'set') {
      if (av === undefined) c.added.insert(itemPath);
      else if (bv === undefined) c.removed.insert(itemPath);
      continue;
    }
    walk(av, bv, itemSchema, itemPath, c, comparing);
    if (av === undefined) c.added.insert(itemPath);
    if (bv === undefined) c.removed.insert(itemPath);
  }
}

/** live merged with an applied configuration (structured-merge-diff's TypedValue.Merge). */
export function mergeApplied(live: unknown, applied: unknown, schema: OpenApiSchema | undefined): unknown {
  if (applied === undefined) return live;
  const kind = kindOf(schema, applied);
  if (kind === 'leaf') return applied;
  if (kind === 'object') {
    const out: Record<string, unknown> = isPlainObject(live) ? { ...live } : {};
    for (const [k, v] of Object.entries(applied as Record<string, unknown>)) setOwn(out, k, mergeApplied(getOwn(out, k), v, propertySchema(schema, k)));
    return out;
  }
  const lk = listKind(schema && resolveSchema(schema));
  const itemSchema = itemsSchema(schema);
  const lhs: unknown[] = Array.isArray(live) ? live : [];
  const rhs = applied as unknown[];
  const item = (l: unknown, r: unknown) => (lk.kind === 'set' ? (r !== undefined ? r : l) : mergeApplied(l, r, itemSchema));
  return mergeListOrdered(lhs, rhs, (e, i) => itemPE(lk, e, i), item);
}

/**
 * structured-merge-diff's list merge order: live-only items keep their live positions, items in both
 * follow the applied order, applied-only items are placed where the applied order puts them.
 */
function mergeListOrdered(lhs: unknown[], rhs: unknown[], pe: (e: unknown, i: number) => string, mergeItem: (l: unknown, r: unknown) => unknown): unknown[] {
  const lPE = lhs.map(pe), rPE = rhs.map(pe);
  const lMap = new Map<string, unknown>(), rMap = new Map<string, unknown>();
  lPE.forEach((p, i) => { if (!lMap.has(p)) lMap.set(p, lhs[i]); });
  rPE.forEach((p, i) => { if (!rMap.has(p)) rMap.set(p, rhs[i]); });
  const shared = rPE.filter((p) => lMap.has(p));
  let s = 0;
  let nextShared = shared[s++];
  const done = new Set<string>();
  const out: unknown[] = [];
  let lI = 0, rI = 0;
  while (lI < lhs.length || rI < rhs.length) {
    if (lI < lhs.length && rI < rhs.length) {
      const p = lPE[lI]!;
      if (p === rPE[rI]) {
        done.add(p);
        out.push(mergeItem(lMap.get(p), rMap.get(p)));
        lI++; rI++;
        nextShared = shared[s++];
        continue;
      }
      if (rMap.has(p) && nextShared !== undefined && nextShared !== p) { lI++; continue; }
    }
    if (lI < lhs.length) {
      const p = lPE[lI]!;
      if (!rMap.has(p)) { out.push(mergeItem(lhs[lI], undefined)); lI++; continue; }
      if (done.has(p)) { lI++; continue; }
    }
    if (rI < rhs.length) {
      const p = rPE[rI]!;
      done.add(p);
      out.push(mergeItem(lMap.get(p), rMap.get(p)));
      rI++;
      if (nextShared === p) nextShared = shared[s++];
    }
  }
  return out;
}

/** Removes the value at a field path; returns false when the path does not exist. */
export function removeAtPath(obj: unknown, path: readonly string[], schema: OpenApiSchema | undefined): boolean {
  if (path.length === 0) return false;
  let cur: unknown = obj;
  let s = schema;
  for (let i = 0; i < path.length; i++) {
    const pe = path[i]!;
    const last = i === path.length - 1;
    if (pe.startsWith('f:')) {
      if (!isPlainObject(cur)) return false;
      const k = pe.slice(2);
      if (!Object.prototype.hasOwnProperty.call(cur, k)) return false;
      if (last) { delete cur[k]; return true; }
      s = propertySchema(s, k);
      cur = getOwn(cur, k);
    } else {
      if (!Array.isArray(cur)) return false;
      const lk = listKind(s && resolveSchema(s));
      const idx = cur.findIndex((e, j) => itemPE(lk, e, j) === pe);
      if (idx < 0) return false;
      if (last) { cur.splice(idx, 1); return true; }
      s = itemsSchema(s);
      cur = cur[idx];
    }
  }
  return false;
}

/** Reads the value at a field path (undefined when absent). */
export function valueAtPath(obj: unknown, path: readonly string[], schema: OpenApiSchema | undefined): unknown {
  let cur: unknown = obj;
  let s = schema;
  for (const pe of path) {
    if (pe.startsWith('f:')) {
      if (!isPlainObject(cur)) return undefined;
      s = propertySchema(s, pe.slice(2));
      cur = getOwn(cur, pe.slice(2));
    } else {
      if (!Array.isArray(cur)) return undefined;
      const lk = listKind(s && resolveSchema(s));
      const list: unknown[] = cur;
      cur = list.find((e, j) => itemPE(lk, e, j) === pe);
      s = itemsSchema(s);
    }
    if (cur === undefined) return undefined;
  }
  return cur;
}

/** Drops null-valued keys (an applied `null` means "unset"), recursively. */
export function dropNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(dropNulls);
  if (!isPlainObject(v)) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) if (x !== null) setOwn(out, k, dropNulls(x));
  return out;
}
