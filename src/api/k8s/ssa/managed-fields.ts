/**
 * Server-side apply and ownership recording (metadata.managedFields), after structured-merge-diff's
 * Updater and the kube-apiserver field manager:
 *  - Apply: merge the applied configuration into the live object; another manager that owns a field
 *    the apply changes (adds or sets to a different value) is a conflict, unless force takes it over;
 *    fields this manager applied before and no longer applies are removed unless someone else owns them;
 *    the manager's Apply entry becomes exactly the applied configuration's field set.
 *  - Update (POST/PUT/PATCH): the writer gains the fields it added or changed and every other manager
 *    loses them; removed fields leave every set. One entry per (manager, operation, subresource).
 * apiVersion, kind and server-owned metadata (name, uid, resourceVersion, …) are never tracked; status is
 * tracked only for the status subresource (the main resource resets it).
 */
import { invalidArgument } from '../../../base/errors.js';
import { swaggerSchemaFor, type OpenApiSchema } from '../openapi/spec.js';
import type { Gvk } from '../types.js';
import { cloneJson, deepEqual, isPlainObject } from '../types.js';
import { FieldSet, pathString } from './fieldset.js';
import { compareObjects, dropNulls, mergeApplied, removeAtPath, toFieldSet, valueAtPath } from './typed.js';

export interface ManagedFieldsEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time?: string;
  fieldsType: 'FieldsV1';
  fieldsV1: Record<string, unknown>;
  subresource?: string;
}

/** One conflicting field: the other manager (with its operation and apiVersion) and the path as kube prints it. */
export interface ApplyConflict { manager: string; field: string; operation?: 'Apply' | 'Update'; apiVersion?: string }

interface Entry { e: ManagedFieldsEntry; set: FieldSet }

/** Paths kube's field manager strips from every set (stripmeta). */
function ignoredFields(subresource: string | undefined): FieldSet {
  const s = new FieldSet();
  for (const p of [['f:apiVersion'], ['f:kind'], ['f:metadata', 'f:name'], ['f:metadata', 'f:namespace'], ['f:metadata', 'f:creationTimestamp'],
    ['f:metadata', 'f:selfLink'], ['f:metadata', 'f:uid'], ['f:metadata', 'f:clusterName'], ['f:metadata', 'f:generation'],
    ['f:metadata', 'f:managedFields'], ['f:metadata', 'f:resourceVersion'], ['f:metadata', 'f:deletionTimestamp'], ['f:metadata', 'f:deletionGracePeriodSeconds']]) s.insert(p);
  if (subresource === undefined) s.insert(['f:status']);
  return s;
}

/** Exact-path strip for the metadata node itself plus recursive strip of the ignored subtrees. */
function strip(set: FieldSet, subresource: string | undefined): FieldSet {
  const out = set.recursiveDifference(ignoredFields(subresource));
  const meta = out.children.get('f:metadata');
  if (meta) meta.member = false;
  if (subresource === 'status') {
    for (const k of [...out.children.keys()]) if (k !== 'f:status' && k !== 'f:metadata') out.children.delete(k);
  }
  return out;
}

function decodeEntries(obj: unknown): Entry[] {
  const mf = isPlainObject(obj) && isPlainObject(obj.metadata) ? obj.metadata.managedFields : undefined;
  if (mf === undefined || mf === null) return [];
  if (!Array.isArray(mf)) throw invalidArgument('metadata.managedFields must be a list');
  return mf.map((raw, i) => {
    if (!isPlainObject(raw) || typeof raw.manager !== 'string' || (raw.operation !== 'Apply' && raw.operation !== 'Update')) {
      throw invalidArgument(`metadata.managedFields[${i}] must have a manager and an operation of Apply or Update`);
    }
    if (raw.fieldsType !== undefined && raw.fieldsType !== 'FieldsV1') throw invalidArgument(`metadata.managedFields[${i}].fieldsType must be FieldsV1`);
    return { e: { ...(raw as unknown as ManagedFieldsEntry), fieldsType: 'FieldsV1' }, set: FieldSet.fromFieldsV1(raw.fieldsV1) };
  });
}

function encodeEntries(entries: Entry[]): ManagedFieldsEntry[] {
  return entries.filter((x) => !x.set.isEmpty()).map(({ e, set }) => {
    // Key order as kube serializes the entry.
    return {
      manager: e.manager, operation: e.operation, apiVersion: e.apiVersion, ...(e.time ? { time: e.time } : {}),
      fieldsType: 'FieldsV1' as const, fieldsV1: set.toFieldsV1(), ...(e.subresource ? { subresource: e.subresource } : {}),
    };
  });
}

function withoutManagedFields(obj: unknown): Record<string, unknown> {
  const o = isPlainObject(obj) ? cloneJson(obj) : {};
  if (isPlainObject(o.metadata)) delete o.metadata.managedFields;
  return o;
}

function setManagedFields(obj: Record<string, unknown>, entries: Entry[]): Record<string, unknown> {
  const enc = encodeEntries(entries);
  const meta = isPlainObject(obj.metadata) ? obj.metadata : (obj.metadata = {});
  if (enc.length > 0) (meta as Record<string, unknown>).managedFields = enc;
  else delete (meta as Record<string, unknown>).managedFields;
  return obj;
}

const sameKey = (e: ManagedFieldsEntry, manager: string, op: string, sub: string | undefined) =>
  e.manager === manager && e.operation === op && (e.subresource ?? undefined) === sub;

function schemaOf(gvk: Gvk, override: OpenApiSchema | null | undefined): OpenApiSchema | undefined {
  if (override !== undefined) return override ?? undefined;
  return swaggerSchemaFor(gvk) ?? undefined;
}

export interface ApplyOptions {
  manager: string;
  force: boolean;
  gvk: Gvk;
  now: string;
  subresource?: string;
  /** The schema to use instead of the built-in one (a CRD's structural schema); null = no schema. */
  schema?: OpenApiSchema | null;
}

export function serverSideApply(live: object | null, applied: object, opts: ApplyOptions): { object: object; conflicts: ApplyConflict[] } {
  if (!opts.manager) throw invalidArgument('fieldManager is required for apply requests');
  if (!isPlainObject(applied)) throw invalidArgument('the applied configuration must be an object');
  if (isPlainObject(applied.metadata) && applied.metadata.managedFields !== undefined && applied.metadata.managedFields !== null) {
    throw invalidArgument('metadata.managedFields must be nil in an applied configuration');
  }
  const schema = schemaOf(opts.gvk, opts.schema);
  const sub = opts.subresource;
  const liveClean = withoutManagedFields(live);
  const config = withoutManagedFields(applied);
  const entries = decodeEntries(live);
  const apiVersion = typeof applied.apiVersion === 'string' ? applied.apiVersion : `${opts.gvk.group ? `${opts.gvk.group}/` : ''}${opts.gvk.version}`;

  const merged = mergeApplied(liveClean, config, schema) as Record<string, unknown>;
  const configSet = strip(toFieldSet(config, schema), sub);
  const cmp = compareObjects(liveClean, merged, schema);
  const changed = strip(cmp.added.union(cmp.modified), sub);

  const conflicts: ApplyConflict[] = [];
  for (const { e, set } of entries) {
    if (sameKey(e, opts.manager, 'Apply', sub) || e.manager === opts.manager) continue;
    for (const p of set.intersection(changed).members()) conflicts.push({ manager: e.manager, field: pathString(p), operation: e.operation, apiVersion: e.apiVersion });
  }
  if (conflicts.length > 0 && !opts.force) return { object: cloneJson(live ?? {}), conflicts };

  // Everyone else loses what this apply changed; the applier's Apply entry becomes the config's set.
  const prev = entries.find((x) => sameKey(x.e, opts.manager, 'Apply', sub));
  const lastSet = prev?.set ?? new FieldSet();
  const next: Entry[] = [];
  for (const x of entries) {
    if (x === prev) continue;
    next.push({ e: x.e, set: x.set.difference(changed).difference(strip(cmp.removed, sub)) });
  }
  const mine: Entry = { e: { manager: opts.manager, operation: 'Apply', apiVersion, time: opts.now, fieldsType: 'FieldsV1', fieldsV1: {}, ...(sub ? { subresource: sub } : {}) }, set: configSet };
  if (prev && prev.set.equals(configSet) && prev.e.time && cmp.added.isEmpty() && cmp.modified.isEmpty()) mine.e.time = prev.e.time;
  if (prev) next.splice(Math.min(entries.indexOf(prev), next.length), 0, mine);
  else next.push(mine);

  // Prune: fields this manager applied last time and no longer applies, unless someone owns them.
  const owned = next.reduce((acc, x) => acc.union(x.set), new FieldSet());
  const toRemove = lastSet.difference(configSet);
  for (const p of toRemove.members()) {
    if (owned.has(p) || owned.hasMemberBelow(p)) continue;
    removeAtPath(merged, p, schema);
    pruneEmptyParents(merged, p, owned, schema);
  }
  const object = dropNulls(merged) as Record<string, unknown>;
  return { object: setManagedFields(object, next), conflicts };
}

/** After removing a path, drop parent maps left empty that nobody owns (kube's typed objects omit them). */
function pruneEmptyParents(obj: unknown, path: readonly string[], owned: FieldSet, schema: OpenApiSchema | undefined): void {
  for (let n = path.length - 1; n > 0; n--) {
    const parent = path.slice(0, n);
    if (!parent[parent.length - 1]!.startsWith('f:')) return;
    const v = valueAtPath(obj, parent, schema);
    const empty = (isPlainObject(v) && Object.keys(v).length === 0) || (Array.isArray(v) && v.length === 0);
    if (!empty || owned.has(parent)) return;
    removeAtPath(obj, parent, schema);
  }
}

/** kube's printManager: Update managers are named with the apiVersion they wrote. */
function printManager(c: ApplyConflict): string {
  return c.operation === 'Update' && c.apiVersion ? `"${c.manager}" using ${c.apiVersion}` : `"${c.manager}"`;
}

/** The message kube-apiserver gives a 409 apply conflict. */
export function conflictMessage(conflicts: ApplyConflict[]): string {
  if (conflicts.length === 1) return `Apply failed with 1 conflict: conflict with ${printManager(conflicts[0]!)}: ${conflicts[0]!.field}`;
  const byManager = new Map<string, { c: ApplyConflict; fields: string[] }>();
  for (const c of conflicts) {
    const key = printManager(c);
    const e = byManager.get(key) ?? { c, fields: [] };
    e.fields.push(c.field);
    byManager.set(key, e);
  }
  const lines: string[] = [];
  for (const key of [...byManager.keys()].sort()) {
    lines.push(`conflicts with ${key}:`);
    for (const f of byManager.get(key)!.fields) lines.push(`- ${f}`);
  }
  return `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
}

/** The full metav1.Status of an apply conflict (409 Conflict with FieldManagerConflict causes), to send as is. */
export function conflictStatus(conflicts: ApplyConflict[]): Record<string, unknown> {
  return {
    kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: conflictMessage(conflicts), reason: 'Conflict',
    details: { causes: conflicts.map((c) => ({ reason: 'FieldManagerConflict', message: `conflict with ${printManager(c)}`, field: c.field })) },
    code: 409,
  };
}

export interface UpdateOptions {
  manager: string;
  operation: 'Update';
  gvk: Gvk;
  now: string;
  subresource?: string;
  schema?: OpenApiSchema | null;
}

export function updateManagedFieldsForUpdate(oldObj: object | null, newObj: object, opts: UpdateOptions): object {
  if (!isPlainObject(newObj)) throw invalidArgument('the object must be a JSON object');
  const schema = schemaOf(opts.gvk, opts.schema);
  const sub = opts.subresource;
  const manager = opts.manager || 'unknown';
  const oldMf = isPlainObject(oldObj) && isPlainObject(oldObj.metadata) ? oldObj.metadata.managedFields : undefined;
  const newMf = isPlainObject(newObj.metadata) ? newObj.metadata.managedFields : undefined;
  const out = withoutManagedFields(newObj);
  // A client may reset ownership: `[{}]` clears it; other explicit values become the base.
  if (Array.isArray(newMf) && newMf.length === 1 && isPlainObject(newMf[0]) && Object.keys(newMf[0]).length === 0) return out;
  const base = newMf !== undefined && newMf !== null && !deepEqual(newMf, oldMf) ? decodeEntries(newObj) : decodeEntries(oldObj);
  const apiVersion = typeof newObj.apiVersion === 'string' ? newObj.apiVersion : `${opts.gvk.group ? `${opts.gvk.group}/` : ''}${opts.gvk.version}`;

  const cmp = compareObjects(withoutManagedFields(oldObj), out, schema);
  const gained = strip(cmp.added.union(cmp.modified), sub);
  const removed = strip(cmp.removed, sub);
  const next: Entry[] = [];
  let mine: Entry | undefined;
  for (const x of base) {
    if (sameKey(x.e, manager, 'Update', sub)) { mine = x; continue; }
    next.push({ e: x.e, set: x.set.difference(gained).difference(removed) });
  }
  const mineSet = (mine?.set ?? new FieldSet()).difference(removed).union(gained);
  if (!mineSet.isEmpty()) {
    const changed = !mine || !mine.set.equals(mineSet) || !gained.isEmpty();
    const entry: Entry = {
      e: { manager, operation: 'Update', apiVersion, time: changed ? opts.now : (mine?.e.time ?? opts.now), fieldsType: 'FieldsV1', fieldsV1: {}, ...(sub ? { subresource: sub } : {}) },
      set: mineSet,
    };
    const at = mine ? base.indexOf(mine) : next.length;
    next.splice(Math.min(at, next.length), 0, entry);
  }
  return setManagedFields(out, next);
}
