/**
 * PATCH: decodes the patch document per Content-Type, applies it to the live object with part 3's
 * algorithms (JSON patch, merge patch, strategic merge patch, server-side apply), then stores the
 * result through the normal update path. Conflicts from concurrent writers are retried on a fresh
 * read unless the patch itself pins a resourceVersion. Apply creates missing objects.
 */
import { parse as parseYaml } from 'yaml';
import { BerthError, isBerthError } from '../../base/errors.js';
import type { ApiContext, WriteOptions } from './context.js';
import type { Served } from './registry.js';
import { apiVersionOf } from './admission.js';
import { createObject, writeUpdate } from './writes.js';
import { conflictBackoff, CONFLICT_RETRY_LIMIT } from './conflict-retry.js';
import { checkClientFields } from './admission.js';
import { kubeApplyConflict, kubeBadRequest, kubeConflict, kubeInvalid, kubeNotFound, kubeUnsupportedMediaType } from './kube-errors.js';
import { applyJsonPatch, applyMergePatch, applyStrategicMergePatch, serverSideApply, type OpenApiSchema } from './machinery.js';
import { deepClone, isPlainObject, nowTimestamp, type KObject } from './object-meta.js';

export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

export function patchTypeOf(contentType: string | undefined): PatchType {
  const ct = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  switch (ct) {
    case 'application/json-patch+json':
      return 'json';
    case 'application/merge-patch+json':
      return 'merge';
    case 'application/strategic-merge-patch+json':
      return 'strategic';
    case 'application/apply-patch+yaml':
    case 'application/apply-patch+cbor':
      return 'apply';
    default:
      throw kubeUnsupportedMediaType(`the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml`);
  }
}

export function decodePatch(type: PatchType, body: unknown): unknown {
  if (typeof body !== 'string') {
    if (Buffer.isBuffer(body)) return decodePatch(type, body.toString('utf8'));
    if (body !== undefined && body !== null && typeof body === 'object') return body;
    throw kubeBadRequest('the patch document is empty');
  }
  try {
    return type === 'apply' ? parseYaml(body) : JSON.parse(body);
  } catch (err) {
    throw kubeBadRequest(`error decoding patch: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function gvk(served: Served) {
  return { group: served.info.group, version: served.info.version, kind: served.info.kind };
}

/** Errors from the patch algorithms (bad ops, failed tests) are the client's: 422 like kube for JSON patch tests, else 400. */
function patchFailure(served: Served, name: string, type: PatchType, err: unknown): never {
  if (isBerthError(err) && err.details?.status) throw err;
  const message = err instanceof Error ? err.message : String(err);
  if (type === 'strategic' && isBerthError(err, 'InvalidArgument') && /unsupported|custom resource|not supported/i.test(message)) throw kubeUnsupportedMediaType(message);
  if (isBerthError(err, 'InvalidArgument') || !(err instanceof BerthError)) throw kubeInvalid(served.info.kind, served.info.group, name, [{ reason: 'FieldValueInvalid', message }]);
  throw err;
}

export interface PatchOutcome { obj: KObject; created: boolean }

export async function patchObject(ctx: ApiContext, served: Served, namespace: string | undefined, name: string, type: PatchType, patchDoc: unknown, optsIn: WriteOptions, force: boolean, subresource?: string): Promise<PatchOutcome> {
  if (type === 'apply') {
    if (!isPlainObject(patchDoc)) throw kubeBadRequest('error decoding YAML: the apply configuration must be an object');
  } else if (type === 'json' ? !Array.isArray(patchDoc) : !isPlainObject(patchDoc)) {
    throw kubeBadRequest(type === 'json' ? 'json: cannot unmarshal object into Go value of type jsonpatch.Patch' : 'the patch must be a JSON object');
  }
  // What the client wrote is checked for unknown fields, not the live object with its server defaults.
  // A JSON patch's values are checked only through the CRD schema (built-in kinds: not checked).
  const opts = type === 'json' ? { ...optsIn, unknownFieldsChecked: true } : checkClientFields(served, patchDoc, optsIn);
  if (served.crd && type === 'strategic') throw kubeUnsupportedMediaType('strategic merge patch is not supported for custom resources: use merge patch (application/merge-patch+json) or server-side apply');
  const pinned = isPlainObject(patchDoc) && isPlainObject(patchDoc.metadata) && typeof patchDoc.metadata.resourceVersion === 'string' ? patchDoc.metadata.resourceVersion : undefined;
  for (let attempt = 0; ; attempt++) {
    const current = await ctx.store.get(served.info, namespace, name);
    if (!current) {
      if (type === 'apply' && !subresource) return { obj: await applyCreate(ctx, served, namespace, name, patchDoc as KObject, opts, force), created: true };
      throw kubeNotFound({ group: served.info.group, plural: served.info.plural, name });
    }
    if (pinned !== undefined && pinned !== current.obj.metadata.resourceVersion) throw kubeConflict({ group: served.info.group, plural: served.info.plural, name });
    const live = { ...deepClone(current.obj), apiVersion: apiVersionOf(served.info), kind: served.info.kind };
    let patched: KObject;
    try {
      patched = applyOne(served, live, type, patchDoc, opts, force, subresource);
    } catch (err) {
      patchFailure(served, name, type, err);
    }
    if (!isPlainObject(patched) || !isPlainObject(patched.metadata)) throw kubeBadRequest('the patched object has no metadata');
    if (patched.metadata.resourceVersion === undefined) patched.metadata.resourceVersion = current.obj.metadata.resourceVersion;
    try {
      const obj = await writeUpdate(ctx, served, patched, current.obj, current.modRevision, type === 'apply' ? { ...opts, managedFieldsDone: true } : opts, subresource);
      return { obj, created: false };
    } catch (err) {
      if (attempt < CONFLICT_RETRY_LIMIT && pinned === undefined && isBerthError(err, 'Conflict') && !(err.details?.status as { details?: { causes?: unknown } } | undefined)?.details?.causes) {
        await conflictBackoff(attempt);
        continue;
      }
      throw err;
    }
  }
}

function applyOne(served: Served, live: KObject, type: PatchType, patchDoc: unknown, opts: WriteOptions, force: boolean, subresource?: string): KObject {
  switch (type) {
    case 'json':
      return applyJsonPatch(live, patchDoc) as KObject;
    case 'merge':
      return applyMergePatch(live, patchDoc) as KObject;
    case 'strategic':
      return applyStrategicMergePatch(live, patchDoc, gvk(served)) as KObject;
    case 'apply': {
      const applied = checkApplyTypeMeta(served, patchDoc as KObject, live.metadata.name!);
      const res = serverSideApply(live, applied, { manager: opts.fieldManager, force, gvk: gvk(served), ...crdSchema(served), now: nowTimestamp(), ...(subresource ? { subresource } : {}) });
      if (res.conflicts.length > 0 && !force) throw kubeApplyConflict({ group: served.info.group, plural: served.info.plural, name: live.metadata.name! }, res.conflicts);
      return res.object as KObject;
    }
  }
}

function checkApplyTypeMeta(served: Served, applied: KObject, name: string): KObject {
  const causes = [];
  if (applied.apiVersion === undefined || applied.apiVersion === '') causes.push({ reason: 'FieldValueRequired', message: 'Required value: apiVersion must be set', field: 'apiVersion' });
  if (applied.kind === undefined || applied.kind === '') causes.push({ reason: 'FieldValueRequired', message: 'Required value: kind must be set', field: 'kind' });
  if (causes.length > 0) throw kubeInvalid(served.info.kind, served.info.group, name, causes);
  const meta = isPlainObject(applied.metadata) ? applied.metadata : {};
  if (meta.name !== undefined && meta.name !== name) throw kubeBadRequest(`the name of the object (${String(meta.name)}) does not match the name on the URL (${name})`);
  return applied;
}

/** Server-side apply of an object that does not exist yet: the applied configuration becomes it. */
async function applyCreate(ctx: ApiContext, served: Served, namespace: string | undefined, name: string, applied: KObject, opts: WriteOptions, force: boolean): Promise<KObject> {
  checkApplyTypeMeta(served, applied, name);
  const res = serverSideApply(null, applied, { manager: opts.fieldManager, force, gvk: gvk(served), ...crdSchema(served), now: nowTimestamp() });
  const obj = deepClone(res.object) as KObject;
  obj.metadata = { ...(isPlainObject(obj.metadata) ? obj.metadata : {}), name };
  if (served.info.namespaced) {
    if (applied.metadata?.namespace && applied.metadata.namespace !== namespace) throw kubeBadRequest('the namespace of the provided object does not match the namespace sent on the request');
    obj.metadata.namespace = namespace;
  }
  return createObject(ctx, served, namespace, obj, { ...opts, managedFieldsDone: true });
}

/** Custom resources use their CRD's schema for field ownership (null: no schema, everything atomic). */
function crdSchema(served: Served): { schema?: OpenApiSchema | null } {
  return served.crd ? { schema: (served.crd.version.schema as OpenApiSchema | null) ?? null } : {};
}
