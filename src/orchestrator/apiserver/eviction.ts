/**
 * pods/eviction: deletes the pod unless a PodDisruptionBudget covering it allows no disruption.
 * With no disruption controller yet, a PDB's allowance is its status.disruptionsAllowed when a
 * controller has written one, else computed here from the matching pods that are Ready
 * (minAvailable / maxUnavailable, integers or percentages). Blocked evictions answer 429 like kube.
 */
import { selectorMatches } from '../../api/k8s/validation/index.js';
import { BUILTIN_RESOURCES } from '../../api/k8s/resources/index.js';
import type { ApiContext, WriteOptions } from './context.js';
import type { Served } from './registry.js';
import { kubeBadRequest, kubeTooManyRequests } from './kube-errors.js';
import { decodeObject, resourcePrefix } from './object-store.js';
import { isPlainObject, type KObject } from './object-meta.js';
import { deleteObject, parseDeleteOptions } from './writes.js';

const PDBS = BUILTIN_RESOURCES.find((r) => r.group === 'policy' && r.plural === 'poddisruptionbudgets')!;
const PODS = BUILTIN_RESOURCES.find((r) => r.group === '' && r.plural === 'pods')!;

function isReady(pod: KObject): boolean {
  const status = isPlainObject(pod.status) ? pod.status : {};
  const conds = Array.isArray(status.conditions) ? (status.conditions as Array<Record<string, unknown>>) : [];
  return status.phase === 'Running' && conds.some((c) => c.type === 'Ready' && c.status === 'True') && !pod.metadata.deletionTimestamp;
}

function resolve(v: unknown, total: number, roundUp: boolean): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^\d+%$/.test(v)) {
    const x = (Number(v.slice(0, -1)) * total) / 100;
    return roundUp ? Math.ceil(x) : Math.floor(x);
  }
  if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v);
  return 0;
}

async function disruptionsAllowed(ctx: ApiContext, pdb: KObject, namespace: string): Promise<number> {
  const status = isPlainObject(pdb.status) ? pdb.status : {};
  if (typeof status.disruptionsAllowed === 'number' && typeof status.observedGeneration === 'number') return status.disruptionsAllowed;
  const spec = isPlainObject(pdb.spec) ? pdb.spec : {};
  const sel = isPlainObject(spec.selector) ? spec.selector : {};
  const pods = (await ctx.kv.list(resourcePrefix(PODS, namespace))).items.map(decodeObject).filter((p) => selectorMatches(sel, p.metadata.labels ?? {}));
  const healthy = pods.filter(isReady).length;
  if (spec.minAvailable !== undefined) return healthy - resolve(spec.minAvailable, pods.length, true);
  if (spec.maxUnavailable !== undefined) return resolve(spec.maxUnavailable, pods.length, true) - (pods.length - healthy);
  return 1;
}

export async function evictPod(ctx: ApiContext, served: Served, namespace: string, name: string, body: unknown, opts: WriteOptions): Promise<object> {
  const eviction = isPlainObject(body) ? body : {};
  const meta = isPlainObject(eviction.metadata) ? eviction.metadata : {};
  if (meta.name !== undefined && meta.name !== name) throw kubeBadRequest(`name in URL does not match name in Eviction object`);
  const pod = await ctx.store.mustGet(served.info, namespace, name);
  // A pod that is already finished or being deleted can always go.
  const phase = isPlainObject(pod.obj.status) ? pod.obj.status.phase : undefined;
  if (phase !== 'Succeeded' && phase !== 'Failed' && !pod.obj.metadata.deletionTimestamp) {
    const pdbs = (await ctx.kv.list(resourcePrefix(PDBS, namespace))).items.map(decodeObject);
    const covering = pdbs.filter((p) => isPlainObject(p.spec) && isPlainObject(p.spec.selector) && selectorMatches(p.spec.selector, pod.obj.metadata.labels ?? {}));
    if (covering.length > 1) throw kubeTooManyRequests('This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.');
    for (const pdb of covering) {
      if ((await disruptionsAllowed(ctx, pdb, namespace)) <= 0) {
        throw kubeTooManyRequests('Cannot evict pod as it would violate the pod\'s disruption budget.', [{ reason: 'DisruptionBudget', message: `The disruption budget ${String(pdb.metadata.name)} allows no disruption now` }]);
      }
    }
  }
  const options = parseDeleteOptions(eviction.deleteOptions, new URLSearchParams());
  if (options.preconditions?.uid === undefined) options.preconditions = { ...options.preconditions, uid: pod.obj.metadata.uid! };
  await deleteObject(ctx, served, namespace, name, options, opts);
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 };
}
