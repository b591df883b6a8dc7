/**
 * Strategic merge patch (Kubernetes' `application/strategic-merge-patch+json`), driven by the
 * x-kubernetes-patch-strategy / x-kubernetes-patch-merge-key extensions of the built-in kinds'
 * OpenAPI schemas. Facts follow apimachinery's pkg/util/strategicpatch:
 *  - maps merge recursively; `null` deletes a key; a key whose schema says strategy "replace" is replaced;
 *  - lists whose strategy contains "merge" merge by the merge key (maps) or are unioned (primitives);
 *    any other list is replaced;
 *  - directives: `$patch: replace|delete|merge` (in a map or as a list element), `$retainKeys`,
 *    `$deleteFromPrimitiveList/<field>`, `$setElementOrder/<field>`.
 * Kinds without a built-in schema (custom resources) are refused like kube does (415).
 */
import { BerthError, invalidArgument } from '../../../base/errors.js';
import { itemsSchema, propertySchema, resolveSchema, swaggerSchemaFor, type OpenApiSchema } from '../openapi/spec.js';
import type { Gvk } from '../types.js';
import { cloneJson, deepEqual, getOwn, isPlainObject, setOwn } from '../types.js';

const DIRECTIVE = '$patch';
const RETAIN_KEYS = '$retainKeys';
const DELETE_FROM_PRIMITIVE = '$deleteFromPrimitiveList/';
const SET_ELEMENT_ORDER = '$setElementOrder/';

type Obj = Record<string, unknown>;

interface PatchMeta { strategies: string[]; mergeKey?: string }

function patchMeta(s: OpenApiSchema | undefined): PatchMeta {
  const strategy = s?.['x-kubernetes-patch-strategy'];
  const mergeKey = s?.['x-kubernetes-patch-merge-key'];
  const meta: PatchMeta = { strategies: typeof strategy === 'string' ? strategy.split(',').map((x) => x.trim()) : [] };
  if (typeof mergeKey === 'string') meta.mergeKey = mergeKey;
  return meta;
}

export function applyStrategicMergePatch(doc: unknown, patch: unknown, gvk: Gvk): unknown {
  const schema = swaggerSchemaFor(gvk);
  if (!schema) {
    const what = `${gvk.group ? `${gvk.group}/` : ''}${gvk.version}, Kind=${gvk.kind}`;
    const message = `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml (strategic merge patch is not supported for ${what})`;
    throw new BerthError('InvalidArgument', message, {
      details: { status: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: 'UnsupportedMediaType', code: 415 } },
    });
  }
  return strategicMerge(doc, patch, schema);
}

/** The schema-driven merge itself (exported for tests and for callers that hold a schema). */
export function strategicMerge(doc: unknown, patch: unknown, schema: OpenApiSchema | undefined): unknown {
  if (!isPlainObject(patch)) throw invalidArgument('strategic merge patch: the patch must be a JSON object');
  const original = isPlainObject(doc) ? cloneJson(doc) : {};
  return mergeMap(original, cloneJson(patch), schema, '');
}

function mergeMap(original: Obj, patch: Obj, schema: OpenApiSchema | undefined, path: string): Obj {
  const directive = patch[DIRECTIVE];
  if (directive !== undefined) {
    if (directive === 'replace') { delete patch[DIRECTIVE]; return stripDirectives(patch) as Obj; }
    if (directive === 'delete') return {};
    if (directive !== 'merge') throw invalidArgument(`strategic merge patch: unknown $patch directive "${String(directive)}" at ${path || '/'}`);
    delete patch[DIRECTIVE];
  }

  const retain = patch[RETAIN_KEYS];
  if (retain !== undefined) {
    if (!Array.isArray(retain) || retain.some((k) => typeof k !== 'string')) throw invalidArgument(`strategic merge patch: $retainKeys at ${path || '/'} must be a list of strings`);
    delete patch[RETAIN_KEYS];
    for (const k of Object.keys(patch)) {
      if (!k.startsWith('$') && patch[k] !== null && !retain.includes(k)) throw invalidArgument(`strategic merge patch: $retainKeys at ${path || '/'} does not list "${k}" which the patch sets`);
    }
    for (const k of Object.keys(original)) if (!retain.includes(k)) delete original[k];
  }

  // $deleteFromPrimitiveList/<field>: remove these values from the original primitive list.
  for (const k of Object.keys(patch)) {
    if (!k.startsWith(DELETE_FROM_PRIMITIVE)) continue;
    const field = k.slice(DELETE_FROM_PRIMITIVE.length);
    const vals = patch[k];
    delete patch[k];
    if (!Array.isArray(vals)) throw invalidArgument(`strategic merge patch: ${k} at ${path || '/'} must be a list`);
    const cur = getOwn(original, field);
    if (Array.isArray(cur)) {
      const kept = cur.filter((x) => !vals.some((v) => deepEqual(v, x)));
      if (kept.length === 0) delete original[field];
      else setOwn(original, field, kept);
    }
  }

  const orders = new Map<string, unknown[]>();
  for (const k of Object.keys(patch)) {
    if (!k.startsWith(SET_ELEMENT_ORDER)) continue;
    const order = patch[k];
    delete patch[k];
    if (!Array.isArray(order)) throw invalidArgument(`strategic merge patch: ${k} at ${path || '/'} must be a list`);
    orders.set(k.slice(SET_ELEMENT_ORDER.length), order);
  }

  for (const [k, pv] of Object.entries(patch)) {
    if (k.startsWith('$')) throw invalidArgument(`strategic merge patch: unknown directive "${k}" at ${path || '/'}`);
    const childPath = `${path}/${k}`;
    if (pv === null) { delete original[k]; continue; }
    const childSchema = propertySchema(schema, k);
    const meta = patchMeta(childSchema);
    const ov = getOwn(original, k);
    if (meta.strategies.includes('replace')) { setOwn(original, k, stripDirectives(pv)); continue; }
    if (isPlainObject(pv)) {
      setOwn(original, k, mergeMap(isPlainObject(ov) ? ov : {}, pv, childSchema, childPath));
    } else if (Array.isArray(pv)) {
      setOwn(original, k, mergeList(Array.isArray(ov) ? ov : [], pv, childSchema, meta, childPath));
    } else {
      setOwn(original, k, pv);
    }
  }

  for (const [field, order] of orders) {
    const list = getOwn(original, field);
    if (Array.isArray(list)) setOwn(original, field, applyElementOrder(list, order, patchMeta(propertySchema(schema, field)).mergeKey));
  }
  return original;
}

function mergeList(original: unknown[], patch: unknown[], schema: OpenApiSchema | undefined, meta: PatchMeta, path: string): unknown[] {
  // A `{"$patch": "replace"}` element replaces the whole list with the other elements.
  const replaceIdx = patch.findIndex((e) => isPlainObject(e) && e[DIRECTIVE] === 'replace');
  if (replaceIdx >= 0) return patch.filter((_, i) => i !== replaceIdx).map(stripDirectives);
  if (!meta.strategies.includes('merge')) return patch.map(stripDirectives);

  const itemSchema = itemsSchema(schema);
  const scalars = patch.every((e) => !isPlainObject(e) && !Array.isArray(e));
  if (scalars) {
    // Primitive lists with strategy merge are unioned, original order first.
    const out = [...original];
    for (const e of patch) if (!out.some((x) => deepEqual(x, e))) out.push(e);
    return out;
  }
  const key = meta.mergeKey;
  if (!key) throw invalidArgument(`strategic merge patch: list at ${path} has strategy merge but no merge key`);
  const out = original.map((e) => e);
  for (const e of patch) {
    if (!isPlainObject(e)) throw invalidArgument(`strategic merge patch: element of ${path} must be an object`);
    const d = e[DIRECTIVE];
    if (!(key in e)) {
      if (d === 'merge' && Object.keys(e).length === 1) continue;
      throw invalidArgument(`strategic merge patch: map in list ${path} does not contain declared merge key "${key}": ${JSON.stringify(e)}`);
    }
    const idx = out.findIndex((x) => isPlainObject(x) && deepEqual(x[key], e[key]));
    if (d === 'delete') { if (idx >= 0) out.splice(idx, 1); continue; }
    if (idx >= 0) out[idx] = mergeMap(out[idx] as Obj, e, itemSchema, `${path}[${key}=${JSON.stringify(e[key])}]`);
    else out.push(mergeMap({}, e, itemSchema, `${path}[${key}=${JSON.stringify(e[key])}]`));
  }
  return out;
}

/** `$setElementOrder`: listed elements come first in that order, the server's other elements keep their order after them. */
function applyElementOrder(list: unknown[], order: unknown[], mergeKey: string | undefined): unknown[] {
  const keyOf = (e: unknown) => (mergeKey && isPlainObject(e) ? e[mergeKey] : e);
  const placed = new Set<number>();
  const out: unknown[] = [];
  for (const o of order) {
    const want = keyOf(o);
    const i = list.findIndex((e, j) => !placed.has(j) && deepEqual(keyOf(e), want));
    if (i >= 0) { placed.add(i); out.push(list[i]); }
  }
  list.forEach((e, j) => { if (!placed.has(j)) out.push(e); });
  return out;
}

/** Removes directive keys from a value taken from the patch verbatim (nothing `$…` is ever stored). */
function stripDirectives(v: unknown): unknown {
  if (Array.isArray(v)) return v.filter((e) => !(isPlainObject(e) && Object.keys(e).length === 1 && DIRECTIVE in e)).map(stripDirectives);
  if (!isPlainObject(v)) return v;
  const out: Obj = {};
  for (const [k, x] of Object.entries(v)) {
    if (k.startsWith('$')) continue;
    if (x === null) continue;
    setOwn(out, k, stripDirectives(x));
  }
  return out;
}

/** Exposed for the SSA and validation code: does this schema node say "merge by key"? */
export function listMergeKey(schema: OpenApiSchema | undefined): string | undefined {
  const r = schema ? resolveSchema(schema) : undefined;
  const meta = patchMeta(schema ?? r);
  return meta.strategies.includes('merge') ? meta.mergeKey : undefined;
}
