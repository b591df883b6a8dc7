/**
 * The scale subresource (autoscaling/v1 Scale) of deployments, replicasets, statefulsets,
 * replicationcontrollers and CRDs that declare one (via their specReplicasPath,
 * statusReplicasPath and labelSelectorPath).
 */
import { selectorString } from '../../api/k8s/validation/index.js';
import type { ApiContext, WriteOptions } from './context.js';
import type { Served } from './registry.js';
import { kubeBadRequest, kubeConflict, kubeInvalid } from './kube-errors.js';
import { deepClone, isPlainObject, type KObject } from './object-meta.js';
import { writeUpdate } from './writes.js';
import { applyJsonPatch, applyMergePatch } from './machinery.js';
import { decodePatch, type PatchType } from './patch.js';
import { isBerthError } from '../../base/errors.js';
import { conflictBackoff, CONFLICT_RETRY_LIMIT } from './conflict-retry.js';

function getPath(o: unknown, path: string): unknown {
  let cur: unknown = o;
  for (const p of path.replace(/^\./, '').split('.')) cur = isPlainObject(cur) ? cur[p] : undefined;
  return cur;
}

function setPath(o: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.replace(/^\./, '').split('.');
  let cur = o;
  for (const p of parts.slice(0, -1)) cur = (isPlainObject(cur[p]) ? cur[p] : (cur[p] = {})) as Record<string, unknown>;
  cur[parts[parts.length - 1]!] = value;
}

function paths(served: Served): { spec: string; status: string; selector?: string } {
  const scale = served.crd?.version.scale;
  if (scale) return { spec: scale.specReplicasPath, status: scale.statusReplicasPath, ...(scale.labelSelectorPath ? { selector: scale.labelSelectorPath } : {}) };
  return { spec: '.spec.replicas', status: '.status.replicas', selector: '.spec.selector' };
}

export function toScale(served: Served, o: KObject): KObject {
  const p = paths(served);
  let selector = '';
  if (p.selector) {
    const raw = getPath(o, p.selector);
    if (typeof raw === 'string') selector = raw;
    else if (served.info.kind === 'ReplicationController' && isPlainObject(raw)) selector = selectorString({ matchLabels: raw });
    else selector = selectorString(raw);
  }
  const specReplicas = getPath(o, p.spec);
  const statusReplicas = getPath(o, p.status);
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name: o.metadata.name, namespace: o.metadata.namespace, uid: o.metadata.uid, resourceVersion: o.metadata.resourceVersion, creationTimestamp: o.metadata.creationTimestamp },
    spec: { replicas: typeof specReplicas === 'number' ? specReplicas : 0 },
    status: { replicas: typeof statusReplicas === 'number' ? statusReplicas : 0, ...(selector ? { selector } : {}) },
  };
}

/** PUT or PATCH of a Scale: the new spec.replicas lands on the parent object. */
export async function writeScale(ctx: ApiContext, served: Served, namespace: string | undefined, name: string, change: { put?: unknown; patch?: { type: PatchType; doc: unknown } }, opts: WriteOptions): Promise<KObject> {
  for (let attempt = 0; ; attempt++) {
    const current = await ctx.store.mustGet(served.info, namespace, name);
    const scale = toScale(served, current.obj);
    let next: unknown;
    if (change.put !== undefined) next = change.put;
    else if (change.patch) {
      const doc = decodePatch(change.patch.type, change.patch.doc);
      next = change.patch.type === 'json' ? applyJsonPatch(scale, doc) : applyMergePatch(scale, doc);
    }
    if (!isPlainObject(next)) throw kubeBadRequest('the Scale body must be an object');
    const meta = isPlainObject(next.metadata) ? next.metadata : {};
    if (meta.resourceVersion !== undefined && meta.resourceVersion !== '' && meta.resourceVersion !== current.obj.metadata.resourceVersion) {
      throw kubeConflict({ group: served.info.group, plural: served.info.plural, name });
    }
    const replicas = isPlainObject(next.spec) ? next.spec.replicas : undefined;
    if (replicas !== undefined && (!Number.isInteger(replicas) || (replicas as number) < 0)) {
      throw kubeInvalid('Scale', 'autoscaling', name, [{ reason: 'FieldValueInvalid', message: `Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0`, field: 'spec.replicas' }]);
    }
    const updated = deepClone(current.obj);
    setPath(updated, paths(served).spec, replicas ?? 0);
    try {
      const stored = await writeUpdate(ctx, served, updated, current.obj, current.modRevision, opts, 'scale');
      return toScale(served, stored);
    } catch (err) {
      if (attempt < CONFLICT_RETRY_LIMIT && isBerthError(err, 'Conflict') && !(meta.resourceVersion)) {
        await conflictBackoff(attempt);
        continue;
      }
      throw err;
    }
  }
}
