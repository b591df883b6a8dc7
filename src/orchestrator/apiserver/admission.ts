/**
 * What happens to an object between the request and storage (kube's strategies + admission):
 * server-owned metadata, status handling for kinds with a status subresource, defaulting,
 * validation (built-in rules or the CRD's schema with pruning), generation, cluster IPs, managed
 * fields. Create and update both end here, whatever verb or subresource started them.
 */
import { defaultObject, validateObject, validateObjectUpdate } from '../../api/k8s/validation/index.js';
import type { ApiContext, WriteOptions } from './context.js';
import type { Served } from './registry.js';
import { applySchemaDefaults, checkAgainstSchema } from './crd-schema.js';
import { defaultCrd, establishedStatus, validateCrd } from './crd-definition.js';
import { kubeBadRequest, kubeInvalid, type StatusCause } from './kube-errors.js';
import { deepClone, deepEqual, isPlainObject, newUid, nowTimestamp, specPart, type KObject } from './object-meta.js';
import { updateManagedFieldsForUpdate, type OpenApiSchema } from './machinery.js';
import { unknownBuiltinFields } from './field-validation.js';
import { podQosClass } from './pod-qos.js';

export const CRD_CLEANUP_FINALIZER = 'customresourcecleanup.apiextensions.k8s.io';

export function apiVersionOf(info: { group: string; version: string }): string {
  return info.group ? `${info.group}/${info.version}` : info.version;
}

export function hasStatusSubresource(served: Served): boolean {
  return served.info.subresources.some((s) => s.name === 'status');
}

/** Checks the body's apiVersion/kind against the URL's and stamps the served ones. */
export function checkTypeMeta(served: Served, body: KObject): void {
  const expected = apiVersionOf(served.info);
  if (body.apiVersion !== undefined && body.apiVersion !== expected) {
    // Same group, other served version (e.g. autoscaling/v1 vs v2) is tolerated as kube converts.
    const group = String(body.apiVersion).includes('/') ? String(body.apiVersion).split('/')[0] : '';
    if (group !== served.info.group) throw kubeBadRequest(`the API version in the data (${String(body.apiVersion)}) does not match the expected API version (${expected})`);
  }
  if (body.kind !== undefined && body.kind !== served.info.kind) throw kubeBadRequest(`the kind in the data (${String(body.kind)}) does not match the expected kind (${served.info.kind})`);
  body.apiVersion = expected;
  body.kind = served.info.kind;
}

function tracksGeneration(served: Served, obj: KObject): boolean {
  return served.crd !== undefined || obj.spec !== undefined;
}

function gvk(served: Served) {
  return { group: served.info.group, version: served.info.version, kind: served.info.kind };
}

/** Status an object starts with, per kind (kube's PrepareForCreate). */
function initialStatus(served: Served, obj: KObject): void {
  const id = `${served.info.group}/${served.info.kind}`;
  if (served.crd) {
    if (served.crd.version.status) delete obj.status;
    return;
  }
  if (!hasStatusSubresource(served)) return;
  switch (id) {
    case '/Pod':
      obj.status = { phase: 'Pending', qosClass: podQosClass(obj.spec) };
      break;
    case '/Node':
      break;
    case '/Namespace':
      obj.status = { phase: 'Active' };
      break;
    case '/Service':
      obj.status = { loadBalancer: {} };
      break;
    case '/PersistentVolume':
    case '/PersistentVolumeClaim':
      obj.status = { phase: 'Pending' };
      break;
    case 'apiextensions.k8s.io/CustomResourceDefinition':
      break;
    default:
      obj.status = {};
  }
}

function validate(served: Served, obj: KObject, old: KObject | null, opts: WriteOptions): void {
  const causes: StatusCause[] = [];
  const name = obj.metadata.name ?? obj.metadata.generateName ?? '';
  if (served.crd) {
    const schema = served.crd.version.schema;
    if (schema) {
      applySchemaDefaults(schema, obj);
      const check = checkAgainstSchema(schema, obj, '');
      causes.push(...check.causes);
      reportUnknown(check.pruned, served, opts);
    }
    causes.push(...validateObject({ group: served.info.group, kind: '' }, obj, { namespaced: served.info.namespaced }).filter((c) => c.field.startsWith('metadata')));
  } else {
    if (!opts.unknownFieldsChecked) reportUnknown(unknownBuiltinFields(gvk(served), obj), served, opts);
    const gk = { group: served.info.group, kind: served.info.kind };
    causes.push(...validateObject(gk, obj, { namespaced: served.info.namespaced }));
    if (old) causes.push(...validateObjectUpdate(gk, obj, old));
    if (gk.group === 'apiextensions.k8s.io' && gk.kind === 'CustomResourceDefinition') causes.push(...validateCrd(obj));
    if (gk.group === 'apiextensions.k8s.io' && old) causes.push(...crdUpdateProblems(obj, old));
  }
  if (causes.length > 0) throw kubeInvalid(served.info.kind, served.info.group, name, causes);
}

function crdUpdateProblems(obj: KObject, old: KObject): StatusCause[] {
  const spec = obj.spec as Record<string, unknown>;
  const oldSpec = old.spec as Record<string, unknown>;
  const out: StatusCause[] = [];
  if (spec?.group !== oldSpec?.group) out.push({ reason: 'FieldValueInvalid', message: `Invalid value: ${JSON.stringify(spec?.group)}: field is immutable`, field: 'spec.group' });
  if (spec?.scope !== oldSpec?.scope) out.push({ reason: 'FieldValueInvalid', message: `Invalid value: ${JSON.stringify(spec?.scope)}: field is immutable`, field: 'spec.scope' });
  return out;
}

/**
 * Checks what the client sent (a body, or a merge/strategic/apply patch document) for fields the
 * built-in kind does not have, before any defaulting adds server-side fields. Custom resources are
 * checked by pruning against their schema instead.
 */
export function checkClientFields(served: Served, doc: unknown, opts: WriteOptions): WriteOptions {
  if (served.crd || opts.fieldValidation === 'Ignore') return { ...opts, unknownFieldsChecked: true };
  reportUnknown(unknownBuiltinFields(gvk(served), withoutPatchDirectives(doc)), served, opts);
  return { ...opts, unknownFieldsChecked: true };
}

/** Strategic-merge-patch directives ($patch, $setElementOrder/…, $retainKeys, …) are not fields. */
function withoutPatchDirectives(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutPatchDirectives);
  if (!isPlainObject(v)) return v;
  return Object.fromEntries(Object.entries(v).filter(([k]) => !k.startsWith('$')).map(([k, x]) => [k, withoutPatchDirectives(x)]));
}

function reportUnknown(paths: string[], served: Served, opts: WriteOptions): void {
  if (paths.length === 0 || opts.fieldValidation === 'Ignore') return;
  if (opts.fieldValidation === 'Strict') {
    const detail = paths.map((p) => `unknown field "${p}"`).join(', ');
    throw kubeBadRequest(`${served.info.kind} in version "${served.info.version}" cannot be handled as a ${served.info.kind}: strict decoding error: ${detail}`);
  }
  for (const p of paths) opts.warnings.push(`unknown field "${p}"`);
}

async function allocateServiceAddresses(ctx: ApiContext, obj: KObject, old: KObject | null): Promise<() => void> {
  const spec = isPlainObject(obj.spec) ? obj.spec : (obj.spec = {});
  const oldSpec = old && isPlainObject(old.spec) ? old.spec : {};
  const ips: string[] = [];
  const ports: number[] = [];
  if (spec.type === 'ExternalName') {
    delete spec.clusterIP;
    delete spec.clusterIPs;
  } else if (old && oldSpec.clusterIP && (spec.clusterIP === undefined || spec.clusterIP === '' || spec.clusterIP === oldSpec.clusterIP)) {
    spec.clusterIP = oldSpec.clusterIP;
    spec.clusterIPs = oldSpec.clusterIPs ?? [oldSpec.clusterIP];
  } else if (spec.clusterIP === 'None') {
    spec.clusterIPs = ['None'];
  } else {
    const ip = await ctx.services.allocateIp(typeof spec.clusterIP === 'string' && spec.clusterIP !== '' ? spec.clusterIP : undefined);
    ips.push(ip);
    spec.clusterIP = ip;
    spec.clusterIPs = [ip];
  }
  if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') {
    const oldPorts = Array.isArray(oldSpec.ports) ? (oldSpec.ports as Array<Record<string, unknown>>) : [];
    for (const p of Array.isArray(spec.ports) ? (spec.ports as Array<Record<string, unknown>>) : []) {
      const prior = oldPorts.find((o) => o.port === p.port && (o.protocol ?? 'TCP') === (p.protocol ?? 'TCP'));
      if (!p.nodePort && prior?.nodePort) p.nodePort = prior.nodePort;
      else if (!p.nodePort || p.nodePort !== prior?.nodePort) {
        p.nodePort = await ctx.services.allocateNodePort(typeof p.nodePort === 'number' && p.nodePort > 0 ? p.nodePort : undefined);
        ports.push(p.nodePort as number);
      }
    }
  }
  return () => ctx.services.release(ips, ports);
}

/**
 * What kube's admission plugins add to every new pod (ServiceAccount, Priority,
 * DefaultTolerationSeconds): the namespace's default service account, priority 0, and tolerating
 * not-ready/unreachable nodes for 300 s.
 */
function podAdmission(pod: KObject): void {
  const spec = isPlainObject(pod.spec) ? pod.spec : (pod.spec = {});
  if (!spec.serviceAccountName) spec.serviceAccountName = typeof spec.serviceAccount === 'string' && spec.serviceAccount ? spec.serviceAccount : 'default';
  spec.serviceAccount = spec.serviceAccountName;
  if (spec.priority === undefined && !spec.priorityClassName) spec.priority = 0;
  const tolerations = Array.isArray(spec.tolerations) ? (spec.tolerations as Array<Record<string, unknown>>) : [];
  for (const key of ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']) {
    if (!tolerations.some((t) => t.key === key && (t.effect === 'NoExecute' || t.effect === undefined))) tolerations.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 });
  }
  spec.tolerations = tolerations;
}

/** A service turned into ClusterIP/ExternalName gives back the node ports it had (kube clears them). */
function dropReleasedNodePorts(svc: KObject, old: KObject): void {
  const spec = isPlainObject(svc.spec) ? svc.spec : {};
  if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') return;
  const oldPorts = isPlainObject(old.spec) && Array.isArray(old.spec.ports) ? (old.spec.ports as Array<Record<string, unknown>>) : [];
  const held = new Set<unknown>(oldPorts.map((p) => p.nodePort).filter((n) => typeof n === 'number'));
  for (const p of Array.isArray(spec.ports) ? (spec.ports as Array<Record<string, unknown>>) : []) if (held.has(p.nodePort)) delete p.nodePort;
  if (spec.type === 'ClusterIP' || spec.type === 'ExternalName') delete spec.externalTrafficPolicy;
}

export interface Prepared { obj: KObject; release: () => void }

/** Turns a create request body into the object to store. */
export async function prepareCreate(ctx: ApiContext, served: Served, body: KObject, opts: WriteOptions): Promise<Prepared> {
  const obj = deepClone(body);
  checkTypeMeta(served, obj);
  const meta = obj.metadata;
  if (meta.resourceVersion) throw kubeBadRequest('resourceVersion should not be set on objects to be created');
  for (const k of ['uid', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'generation', 'selfLink']) delete meta[k];
  if (!opts.managedFieldsDone) delete meta.managedFields;
  meta.uid = newUid();
  meta.creationTimestamp = nowTimestamp();
  initialStatus(served, obj);
  if (served.info.group === '' && served.info.kind === 'Pod') podAdmission(obj);
  if (served.info.group === 'apiextensions.k8s.io') defaultCrd(obj);
  if (!served.crd) defaultObject({ group: served.info.group, kind: served.info.kind }, obj, { uid: meta.uid });
  validate(served, obj, null, opts);
  if (served.info.group === 'apiextensions.k8s.io') {
    obj.status = establishedStatus(obj);
    // Deleting a CRD first deletes its custom resources (the garbage collector drops this finalizer after).
    meta.finalizers = [...new Set([...(meta.finalizers ?? []), CRD_CLEANUP_FINALIZER])];
  }
  if (tracksGeneration(served, obj)) meta.generation = 1;
  let release = () => {};
  if (served.info.group === '' && served.info.kind === 'Service') release = await allocateServiceAddresses(ctx, obj, null);
  const withFields = opts.managedFieldsDone ? obj : (updateManagedFieldsForUpdate(null, obj, { manager: opts.fieldManager, operation: 'Update', gvk: gvk(served), ...crdSchema(served), now: nowTimestamp() }) as KObject);
  return { obj: withFields, release };
}

/**
 * Turns an update (PUT, a patched object, or a status/scale write) into the object to store.
 * subresource 'status' keeps everything but status; the main resource keeps status (when the kind
 * has a status subresource).
 */
export async function prepareUpdate(ctx: ApiContext, served: Served, body: KObject, old: KObject, opts: WriteOptions, subresource?: string): Promise<Prepared> {
  let obj = deepClone(body);
  checkTypeMeta(served, obj);
  const meta = obj.metadata ?? (obj.metadata = {});
  if (meta.name !== undefined && meta.name !== old.metadata.name) throw kubeBadRequest(`the name of the object (${String(meta.name)}) does not match the name on the URL (${String(old.metadata.name)})`);
  meta.name = old.metadata.name;
  meta.namespace = old.metadata.namespace;
  if (subresource === 'status') {
    // Status writes change status only (kube resets metadata except managed fields, and the spec).
    const next = deepClone(old);
    next.status = obj.status;
    next.metadata.managedFields = meta.managedFields ?? old.metadata.managedFields;
    obj = next;
  } else if (subresource !== 'binding' && hasStatusSubresource(served) && !(served.info.group === 'apiextensions.k8s.io')) {
    if (old.status === undefined) delete obj.status;
    else obj.status = deepClone(old.status);
  }
  const m = obj.metadata;
  m.uid = old.metadata.uid;
  m.creationTimestamp = old.metadata.creationTimestamp;
  if (old.metadata.deletionTimestamp) {
    m.deletionTimestamp = old.metadata.deletionTimestamp;
    if (old.metadata.deletionGracePeriodSeconds !== undefined) m.deletionGracePeriodSeconds = old.metadata.deletionGracePeriodSeconds;
  } else {
    delete m.deletionTimestamp;
    delete m.deletionGracePeriodSeconds;
  }
  delete m.selfLink;
  if (served.info.group === 'apiextensions.k8s.io') defaultCrd(obj);
  if (!served.crd) defaultObject({ group: served.info.group, kind: served.info.kind }, obj, { ...(old.metadata.uid ? { uid: old.metadata.uid } : {}) });
  if (served.info.group === '' && served.info.kind === 'Namespace' && subresource !== 'finalize') {
    (obj.spec as Record<string, unknown>).finalizers = (old.spec as Record<string, unknown> | undefined)?.finalizers ?? ['kubernetes'];
    if (subresource !== 'status') obj.status = old.status;
  }
  if (served.info.group === '' && served.info.kind === 'Service') dropReleasedNodePorts(obj, old);
  validate(served, obj, old, opts);
  if (served.info.group === 'apiextensions.k8s.io') obj.status = subresource === 'status' ? obj.status : establishedStatus(obj, old.status);
  if (tracksGeneration(served, obj)) {
    const prev = typeof old.metadata.generation === 'number' ? old.metadata.generation : 1;
    m.generation = deepEqual(specPart(obj), specPart(old)) ? prev : prev + 1;
  } else delete m.generation;
  let release = () => {};
  if (served.info.group === '' && served.info.kind === 'Service' && subresource !== 'status') release = await allocateServiceAddresses(ctx, obj, old);
  const withFields = opts.managedFieldsDone ? obj : updateManagedFieldsForUpdate(old, obj, { manager: opts.fieldManager, operation: 'Update', gvk: gvk(served), ...crdSchema(served), now: nowTimestamp(), ...(subresource ? { subresource } : {}) }) as KObject;
  return { obj: withFields, release };
}

/** Custom resources use their CRD's schema for field ownership (null: no schema, everything atomic). */
function crdSchema(served: Served): { schema?: OpenApiSchema | null } {
  return served.crd ? { schema: (served.crd.version.schema as OpenApiSchema | null) ?? null } : {};
}
