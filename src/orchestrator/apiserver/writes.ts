/**
 * Create, update and delete with Kubernetes semantics over the object store: namespace existence
 * and termination, generateName retries, optimistic concurrency, dry-run, finalizers and
 * deletionTimestamp, propagation policies (which the garbage collector then carries out), and the
 * CRD registry kept in step with CRD writes.
 */
import type { ApiContext, WriteOptions } from './context.js';
import type { Served } from './registry.js';
import { BUILTIN_RESOURCES } from '../../api/k8s/resources/index.js';
import { checkClientFields, prepareCreate, prepareUpdate } from './admission.js';
import { kubeBadRequest, kubeConflict, kubeForbidden, kubeInvalid, kubeNotFound } from './kube-errors.js';
import { conflictBackoff, CONFLICT_RETRY_LIMIT } from './conflict-retry.js';
import { deepClone, deepEqual, generateNameSuffix, isPlainObject, nowTimestamp, type KObject } from './object-meta.js';
import { isBerthError } from '../../base/errors.js';
import { crdServing } from './crd-definition.js';
import { present } from './reads.js';

/** Kinds whose kube strategy has AllowCreateOnUpdate: a PUT of a missing object creates it. */
const CREATE_ON_UPDATE = new Set(['/services', '/endpoints', 'rbac.authorization.k8s.io/roles', 'rbac.authorization.k8s.io/clusterroles', 'rbac.authorization.k8s.io/rolebindings', 'rbac.authorization.k8s.io/clusterrolebindings']);

/** kube's NamespaceLifecycle admission refuses to delete these. */
const PROTECTED_NAMESPACES = ['default', 'kube-system', 'kube-public'];

export const NAMESPACES = BUILTIN_RESOURCES.find((r) => r.group === '' && r.plural === 'namespaces')!;
const ref = (served: Served, name?: string) => ({ group: served.info.group, plural: served.info.plural, ...(name !== undefined ? { name } : {}) });

/** Namespaced creates need an existing namespace that is not terminating. */
async function checkNamespace(ctx: ApiContext, served: Served, namespace: string, name: string): Promise<void> {
  const ns = await ctx.store.get(NAMESPACES, undefined, namespace);
  if (!ns) throw kubeNotFound({ group: '', plural: 'namespaces', name: namespace });
  if (ns.obj.metadata.deletionTimestamp || (ns.obj.status as { phase?: string } | undefined)?.phase === 'Terminating') {
    throw kubeForbidden(`${served.info.group ? `${served.info.plural}.${served.info.group}` : served.info.plural} "${name}" is forbidden: unable to create new content in namespace ${namespace} because it is being terminated`, ref(served, name));
  }
}

function afterCrdWrite(ctx: ApiContext, served: Served, obj: KObject): void {
  if (served.info.group === 'apiextensions.k8s.io' && served.info.kind === 'CustomResourceDefinition') ctx.registry.setCrd(crdServing(obj));
}

export async function createObject(ctx: ApiContext, served: Served, namespace: string | undefined, body: unknown, optsIn: WriteOptions): Promise<KObject> {
  if (!isPlainObject(body)) throw kubeBadRequest('the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf');
  const opts = optsIn.unknownFieldsChecked ? optsIn : checkClientFields(served, body, optsIn);
  const input = deepClone(body) as KObject;
  if (!isPlainObject(input.metadata)) input.metadata = {};
  const meta = input.metadata;
  if (served.info.namespaced) {
    if (meta.namespace !== undefined && meta.namespace !== '' && meta.namespace !== namespace) throw kubeBadRequest('the namespace of the provided object does not match the namespace sent on the request');
    meta.namespace = namespace;
  } else delete meta.namespace; // kube clears a namespace given for a cluster-scoped object (helm charts do that)
  const generated = !meta.name && typeof meta.generateName === 'string' && meta.generateName !== '';
  for (let attempt = 0; ; attempt++) {
    if (generated) meta.name = `${String(meta.generateName).slice(0, 58)}${generateNameSuffix()}`;
    if (served.info.namespaced && namespace) await checkNamespace(ctx, served, namespace, meta.name ?? '');
    const { obj, release } = await prepareCreate(ctx, served, input, opts);
    try {
      if (opts.dryRun) return present(served, obj);
      const stored = await ctx.store.create(served.info, obj);
      afterCrdWrite(ctx, served, stored);
      return present(served, stored);
    } catch (err) {
      if (generated && attempt < 8 && isBerthError(err, 'AlreadyExists')) continue;
      throw err;
    } finally {
      release();
    }
  }
}

/**
 * PUT. `expectedRv` comes from the body's metadata.resourceVersion (or a patch); absent means an
 * unconditional update (helm's release Secrets), which still cannot lose a concurrent write since
 * the compare-and-swap uses the revision just read.
 */
export async function updateObject(ctx: ApiContext, served: Served, namespace: string | undefined, name: string, body: unknown, optsIn: WriteOptions, subresource?: string): Promise<{ obj: KObject; created: boolean }> {
  if (!isPlainObject(body)) throw kubeBadRequest('the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf');
  const opts = optsIn.unknownFieldsChecked ? optsIn : checkClientFields(served, body, optsIn);
  const input = deepClone(body) as KObject;
  if (!isPlainObject(input.metadata)) input.metadata = {};
  if (input.metadata.name !== undefined && input.metadata.name !== name) throw kubeBadRequest(`the name of the object (${String(input.metadata.name)}) does not match the name on the URL (${name})`);
  if (served.info.namespaced && input.metadata.namespace !== undefined && input.metadata.namespace !== '' && input.metadata.namespace !== namespace) throw kubeBadRequest('the namespace of the provided object does not match the namespace sent on the request');
  const current = await ctx.store.get(served.info, namespace, name);
  if (!current) {
    // PUT creates the object only for the kinds whose kube strategy allows create-on-update.
    if (subresource || !CREATE_ON_UPDATE.has(`${served.info.group}/${served.info.plural}`)) throw kubeNotFound(ref(served, name));
    const rv = input.metadata.resourceVersion;
    if (rv !== undefined && rv !== '') throw kubeNotFound(ref(served, name));
    return { obj: await createObject(ctx, served, namespace, { ...input, metadata: { ...input.metadata, name } }, opts), created: true };
  }
  const expected = input.metadata.resourceVersion;
  if (expected !== undefined && expected !== '' && expected !== current.obj.metadata.resourceVersion) throw kubeConflict(ref(served, name));
  const obj = await writeUpdate(ctx, served, input, current.obj, current.modRevision, opts, subresource);
  return { obj, created: false };
}

/** Stores an already-computed new state of an existing object (PUT, PATCH, subresources, controllers here). */
export async function writeUpdate(ctx: ApiContext, served: Served, input: KObject, old: KObject, modRevision: number, opts: WriteOptions, subresource?: string): Promise<KObject> {
  const { obj, release } = await prepareUpdate(ctx, served, input, old, opts, subresource);
  try {
    // Removing the last finalizer of an object being deleted completes its deletion (kube's
    // ShouldDeleteDuringUpdate): only when no grace period is pending, so a terminating pod's status
    // updates from its node do not delete it early.
    if (obj.metadata.deletionTimestamp && (obj.metadata.finalizers ?? []).length === 0 && (old.metadata.deletionGracePeriodSeconds ?? 0) === 0 && !(served.info.group === '' && served.info.kind === 'Namespace' && namespaceFinalizers(obj).length > 0)) {
      if (opts.dryRun) return present(served, obj);
      const rev = await removeKeepingRegistry(ctx, served, obj.metadata.namespace, obj.metadata.name!, modRevision);
      ctx.kickGc();
      return present(served, { ...obj, metadata: { ...obj.metadata, resourceVersion: String(rev) } });
    }
    if (opts.dryRun) return present(served, obj);
    const stored = await ctx.store.update(served.info, obj, modRevision);
    afterCrdWrite(ctx, served, stored);
    if (stored.metadata.deletionTimestamp) ctx.kickGc();
    return present(served, stored);
  } finally {
    release();
  }
}

/**
 * Removes an object; a CRD stops being served before its key goes, so nobody can see the CRD gone
 * while its resources are still served (it is put back if the delete fails).
 */
async function removeKeepingRegistry(ctx: ApiContext, served: Served, namespace: string | undefined, name: string, modRevision: number): Promise<number> {
  const isCrd = served.info.group === 'apiextensions.k8s.io' && served.info.kind === 'CustomResourceDefinition';
  const serving = isCrd ? ctx.registry.crd(name) : undefined;
  if (serving) ctx.registry.removeCrd(name);
  try {
    return await ctx.store.remove(served.info, namespace, name, modRevision);
  } catch (err) {
    if (serving) ctx.registry.setCrd(serving);
    throw err;
  }
}

export function namespaceFinalizers(ns: KObject): string[] {
  const spec = isPlainObject(ns.spec) ? ns.spec : {};
  return Array.isArray(spec.finalizers) ? (spec.finalizers as string[]) : [];
}

export interface DeleteOptions {
  propagationPolicy?: 'Background' | 'Foreground' | 'Orphan';
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
  orphanDependents?: boolean;
}

export function parseDeleteOptions(body: unknown, query: URLSearchParams): DeleteOptions {
  const b = isPlainObject(body) ? body : {};
  const out: DeleteOptions = {};
  const policy = query.get('propagationPolicy') ?? b.propagationPolicy;
  if (policy !== undefined && policy !== null && policy !== '') {
    if (policy !== 'Background' && policy !== 'Foreground' && policy !== 'Orphan') throw kubeInvalid('DeleteOptions', '', '', [{ reason: 'FieldValueNotSupported', message: `Unsupported value: ${JSON.stringify(policy)}: supported values: "Foreground", "Background", "Orphan"`, field: 'propagationPolicy' }]);
    out.propagationPolicy = policy;
  }
  const orphan = query.get('orphanDependents') ?? b.orphanDependents;
  if (orphan !== undefined && orphan !== null) {
    if (out.propagationPolicy) throw kubeInvalid('DeleteOptions', '', '', [{ reason: 'FieldValueInvalid', message: 'Invalid value: "orphanDependents": orphanDependents and deletionPropagation cannot be both set', field: 'propagationPolicy' }]);
    if (orphan === true || orphan === 'true') out.propagationPolicy = 'Orphan';
  }
  const grace = query.get('gracePeriodSeconds') ?? b.gracePeriodSeconds;
  if (grace !== undefined && grace !== null && grace !== '') {
    const n = Number(grace);
    if (!Number.isInteger(n)) throw kubeBadRequest(`invalid gracePeriodSeconds: ${JSON.stringify(grace)}`);
    out.gracePeriodSeconds = n;
  }
  if (isPlainObject(b.preconditions)) out.preconditions = b.preconditions as DeleteOptions['preconditions'];
  return out;
}


export interface DeleteResult { obj: KObject; deleted: boolean }

export async function deleteObject(ctx: ApiContext, served: Served, namespace: string | undefined, name: string, options: DeleteOptions, opts: WriteOptions): Promise<DeleteResult> {
  for (let attempt = 0; ; attempt++) {
    const current = await ctx.store.mustGet(served.info, namespace, name);
    try {
      return await deleteOnce(ctx, served, current.obj, current.modRevision, options, opts);
    } catch (err) {
      // A concurrent writer moved the object: re-read and decide again (kube retries deletes too).
      if (attempt < CONFLICT_RETRY_LIMIT && isBerthError(err, 'Conflict') && !options.preconditions?.resourceVersion) {
        await conflictBackoff(attempt);
        continue;
      }
      throw err;
    }
  }
}

async function deleteOnce(ctx: ApiContext, served: Served, obj: KObject, modRevision: number, options: DeleteOptions, opts: WriteOptions): Promise<DeleteResult> {
  const name = obj.metadata.name!;
  const pre = options.preconditions;
  if (pre?.uid && pre.uid !== obj.metadata.uid) throw kubeConflict(ref(served, name), `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${String(obj.metadata.uid)}`);
  if (pre?.resourceVersion && pre.resourceVersion !== obj.metadata.resourceVersion) throw kubeConflict(ref(served, name), `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${String(obj.metadata.resourceVersion)}`);
  const next = deepClone(obj);
  const finalizers = new Set(next.metadata.finalizers ?? []);
  // With no policy given kube uses Background for every kind served here (Orphan was the extensions-era default).
  const policy = options.propagationPolicy ?? 'Background';
  const isNamespace = served.info.group === '' && served.info.kind === 'Namespace';
  if (isNamespace && PROTECTED_NAMESPACES.includes(name)) throw kubeForbidden(`namespaces "${name}" is forbidden: this namespace may not be deleted`, ref(served, name));
  // Finalizers for propagation are only added on the first delete of an object.
  if (!obj.metadata.deletionTimestamp) {
    if (policy === 'Foreground') {
      finalizers.add('foregroundDeletion');
      finalizers.delete('orphan');
    } else if (policy === 'Orphan') {
      finalizers.add('orphan');
      finalizers.delete('foregroundDeletion');
    }
  } else if (options.propagationPolicy === 'Orphan' && !finalizers.has('orphan')) {
    finalizers.add('orphan');
    finalizers.delete('foregroundDeletion');
  }
  const graceful = gracefulPodDeletion(served, obj, options);
  const pending = finalizers.size > 0 || graceful !== null || (isNamespace && namespaceFinalizers(obj).length > 0);
  if (!pending) {
    if (opts.dryRun) return { obj: present(served, obj), deleted: true };
    const rev = await removeKeepingRegistry(ctx, served, obj.metadata.namespace, name, modRevision);
    ctx.kickGc();
    return { obj: present(served, { ...obj, metadata: { ...obj.metadata, resourceVersion: String(rev) } }), deleted: true };
  }
  next.metadata.finalizers = [...finalizers];
  if (next.metadata.finalizers.length === 0) delete next.metadata.finalizers;
  if (!next.metadata.deletionTimestamp) {
    next.metadata.deletionTimestamp = nowTimestamp(new Date(Date.now() + (graceful ?? 0) * 1000));
    next.metadata.deletionGracePeriodSeconds = graceful ?? 0;
  } else if (graceful !== null && typeof next.metadata.deletionGracePeriodSeconds === 'number' && graceful < next.metadata.deletionGracePeriodSeconds) {
    // A shorter grace period on a second delete shortens the wait (kubectl delete --grace-period=0 --force).
    next.metadata.deletionTimestamp = nowTimestamp(new Date(Date.now() + graceful * 1000));
    next.metadata.deletionGracePeriodSeconds = graceful;
  }
  if (isNamespace) next.status = { ...(isPlainObject(next.status) ? next.status : {}), phase: 'Terminating' };
  // Deleting again what is already being deleted, with nothing new to record, writes nothing.
  if (opts.dryRun || deepEqual(next, obj)) return { obj: present(served, opts.dryRun ? next : obj), deleted: false };
  // Written directly (not through admission): deletion only adds metadata and namespace phase.
  const stored = await ctx.store.update(served.info, next, modRevision);
  ctx.kickGc();
  return { obj: present(served, stored), deleted: false };
}

/**
 * Pods on a node are deleted gracefully as in kube: deletionTimestamp is set and the node agent
 * removes the pod after stopping it (with gracePeriodSeconds=0). Unscheduled pods, or an explicit
 * grace period of 0, go at once. Returns the grace period when graceful deletion applies.
 */
function gracefulPodDeletion(served: Served, obj: KObject, options: DeleteOptions): number | null {
  if (served.info.group !== '' || served.info.kind !== 'Pod') return null;
  const spec = isPlainObject(obj.spec) ? obj.spec : {};
  const status = isPlainObject(obj.status) ? obj.status : {};
  if (!spec.nodeName) return null;
  if (status.phase === 'Succeeded' || status.phase === 'Failed') return null;
  const grace = options.gracePeriodSeconds ?? (typeof spec.terminationGracePeriodSeconds === 'number' ? spec.terminationGracePeriodSeconds : 30);
  if (grace <= 0) return null;
  return grace;
}
