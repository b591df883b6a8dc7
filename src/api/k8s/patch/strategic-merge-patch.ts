/**
 * Strategic merge patch (Kubernetes' `application/strategic-merge-patch+json`), driven by the
 * x-kubernetes-patch-strategy / x-kubernetes-patch-merge-key extensions of the built-in kinds'
 * OpenAPI schemas. Facts follow apimachinery's pkg/util/strategicpatch:
 *  - maps merge recursively; `null` deletes a key; a key whose schema says strategy "replace" is replaced;
 *  - lists whose strategy contains "merge" merge by the merge key (maps) or are unioned (primitives);
 *    any other list is replaced;
 *  - directives: `$patch: replace|delete` (in a map or as a list element; `merge` only in maps),
 *    `$retainKeys`, `$deleteFromPrimitiveList/<field>`, `$setElementOrder/<field>`;
 *  - merged lists are ordered like kube's normalizeElementOrder: `$setElementOrder` first, then the
 *    patch's order for patched items, the live order for the others, interleaved by live position
 *    (so items the live list did not have come first unless `$setElementOrder` places them).
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

  // $setElementOrder/<field>: merge that list now and order it by the directive (kube's mergePatchIntoOriginal).
  for (const k of Object.keys(patch)) {
    if (!k.startsWith(SET_ELEMENT_ORDER)) continue;
    const order = getOwn(patch, k);
    delete patch[k];
    if (!Array.isArray(order)) throw invalidArgument(`strategic merge patch: ${k} at ${path || '/'} must be a list`);
    const field = k.slice(SET_ELEMENT_ORDER.length);
    const fieldSchema = propertySchema(schema, field);
    const meta = patchMeta(fieldSchema);
    const ov = getOwn(original, field);
    const pv = getOwn(patch, field);
    if (pv !== undefined) delete patch[field];
    let merged: unknown[];
    if (Array.isArray(ov) && Array.isArray(pv)) merged = meta.strategies.includes('merge') ? mergeList(ov, pv, fieldSchema, meta, `${path}/${field}`) : pv.map(stripDirectives);
    else if (Array.isArray(pv)) merged = pv.map(stripDirectives);
    else if (Array.isArray(ov)) merged = ov;
    else continue;
    const key = meta.mergeKey;
    const inOrder = (e: unknown) => indexIn(order, e, key) >= 0;
    setOwn(original, field, normalizeElementOrder(merged.filter(inOrder), merged.filter((e) => !inOrder(e)), order, Array.isArray(ov) ? ov : [], key));
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

  return original;
}

function mergeList(original: unknown[], patch: unknown[], schema: OpenApiSchema | undefined, meta: PatchMeta, path: string): unknown[] {
  if (!meta.strategies.includes('merge')) {
    // A `{"$patch": "replace"}` element is dropped; everything else replaces the list.
    return patch.filter((e) => !(isPlainObject(e) && getOwn(e, DIRECTIVE) !== undefined)).map(stripDirectives);
  }
  const itemSchema = itemsSchema(schema);
  const scalars = [...original, ...patch].every((e) => !isPlainObject(e) && !Array.isArray(e));
  let merged: unknown[];
  let base = original;
  let items = patch;
  const key = meta.mergeKey;
  if (scalars) {
    // Primitive lists with strategy merge are unioned.
    merged = [...original];
    for (const e of patch) if (!merged.some((x) => deepEqual(x, e))) merged.push(e);
  } else {
    if (!key) throw invalidArgument(`strategic merge patch: list at ${path} has strategy merge but no merge key`);
    // Special elements first (kube's mergeSliceWithSpecialElements): deletes, then replace.
    let replace = false;
    const plain: Obj[] = [];
    let current = [...original];
    for (const e of patch) {
      if (!isPlainObject(e)) throw invalidArgument(`strategic merge patch: element of ${path} must be an object`);
      const d = getOwn(e, DIRECTIVE);
      if (d === undefined) { plain.push(e); continue; }
      if (d === 'delete') {
        if (!Object.prototype.hasOwnProperty.call(e, key)) throw invalidArgument(`strategic merge patch: map in list ${path} does not contain declared merge key "${key}": ${JSON.stringify(e)}`);
        current = current.filter((x) => !(isPlainObject(x) && deepEqual(getOwn(x, key), e[key])));
      } else if (d === 'replace') {
        replace = true;
      } else if (d === 'merge') {
        throw invalidArgument(`strategic merge patch: merging lists cannot yet be specified in the patch (${path})`);
      } else {
        throw invalidArgument(`strategic merge patch: unknown $patch directive "${String(d)}" in list ${path}`);
      }
    }
    if (replace) { base = plain.map(stripDirectives); items = []; current = base; }
    else items = plain;
    merged = current.map((e) => e);
    for (const e of items as Obj[]) {
      if (!Object.prototype.hasOwnProperty.call(e, key)) throw invalidArgument(`strategic merge patch: map in list ${path} does not contain declared merge key "${key}": ${JSON.stringify(e)}`);
      const at = merged.findIndex((x) => isPlainObject(x) && deepEqual(getOwn(x, key), e[key]));
      const itemPath = `${path}[${key}=${JSON.stringify(e[key])}]`;
      if (at >= 0) merged[at] = mergeMap(merged[at] as Obj, e, itemSchema, itemPath);
      else merged.push(mergeMap({}, e, itemSchema, itemPath));
    }
  }
  // Order: patch items in patch order, server-only items in live order, interleaved by live position.
  const k = scalars ? undefined : key;
  const inPatch = (e: unknown) => indexIn(items, e, k) >= 0;
  return normalizeElementOrder(merged.filter(inPatch), merged.filter((e) => !inPatch(e)), items, base, k);
}

/** Index of `item` in `list`, matching by merge key for maps and by value for scalars; -1 when absent. */
function indexIn(list: unknown[], item: unknown, key: string | undefined): number {
  if (key && isPlainObject(item)) return list.findIndex((x) => isPlainObject(x) && deepEqual(getOwn(x, key), getOwn(item, key)));
  return list.findIndex((x) => deepEqual(x, item));
}

/**
 * kube's normalizeElementOrder: patch items sorted by `patchOrder`, server-only items by `serverOrder`,
 * then server-only items inserted among the patch items where the live order puts them.
 */
function normalizeElementOrder(patchItems: unknown[], serverOnly: unknown[], patchOrder: unknown[], serverOrder: unknown[], key: string | undefined): unknown[] {
  const sortBy = (xs: unknown[], order: unknown[]) => {
    const found = xs.filter((x) => indexIn(order, x, key) >= 0).sort((a, b) => indexIn(order, a, key) - indexIn(order, b, key));
    return [...found, ...xs.filter((x) => indexIn(order, x, key) < 0)];
  };
  const left = sortBy(serverOnly, serverOrder);
  const right = sortBy(patchItems, patchOrder);
  const out: unknown[] = [];
  let i = 0, j = 0;
  while (i < left.length || j < right.length) {
    if (i >= left.length) out.push(right[j++]);
    else if (j >= right.length) out.push(left[i++]);
    else {
      const li = indexIn(serverOrder, left[i], key), ri = indexIn(serverOrder, right[j], key);
      if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++]);
      else out.push(right[j++]);
    }
  }
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
