/**
 * Defaulting and validation of the built-in kinds, dispatched by group and kind. Kinds with no
 * specific rules still get metadata validation with the name rule kube uses for them.
 */
import { type FieldCause, isObj, invalid, notSupported, required } from './causes.js';
import { type NameRule, validateObjectMeta } from './names.js';
import { defaultPodSpec, validatePodSpec } from './pods.js';
import { defaultWorkload, validateWorkload, validateWorkloadUpdate } from './workloads.js';
import { defaultService, validateService, validateServiceUpdate } from './services.js';
import { defaultNamespace, defaultSecret, validateConfigMap, validateImmutableData, validateSecret, validateSecretUpdate } from './config.js';
import { validateLabelSelector } from './selectors.js';
import { parseQuantity, QUANTITY_REGEX } from './quantity.js';

export type { FieldCause } from './causes.js';
export type { NameRule } from './names.js';
export { nameProblems, isDns1123Label, isDns1123Subdomain, validateObjectMeta } from './names.js';
export { selectorMatches, selectorString, validateLabelSelector } from './selectors.js';
export { parseQuantity, QUANTITY_REGEX } from './quantity.js';

export interface GroupKind { group: string; kind: string }
type Obj = Record<string, unknown>;

const WORKLOADS = new Set(['apps/Deployment', 'apps/ReplicaSet', 'apps/StatefulSet', 'apps/DaemonSet', '/ReplicationController', 'batch/Job', 'batch/CronJob']);
const id = (gk: GroupKind) => `${gk.group}/${gk.kind}`;

export function nameRuleFor(gk: GroupKind): NameRule {
  switch (id(gk)) {
    case '/Namespace':
      return 'label';
    case '/Service':
      return 'dns1035';
    case 'rbac.authorization.k8s.io/Role':
    case 'rbac.authorization.k8s.io/ClusterRole':
    case 'rbac.authorization.k8s.io/RoleBinding':
    case 'rbac.authorization.k8s.io/ClusterRoleBinding':
      return 'path-segment';
    default:
      return 'subdomain';
  }
}

/** Fills in what the API server defaults for this kind. `uid` is the new object's uid (jobs derive their selector from it). */
export function defaultObject(gk: GroupKind, o: Obj, ctx: { uid?: string } = {}): void {
  const k = id(gk);
  if (WORKLOADS.has(k)) return defaultWorkload(gk.kind, o, ctx.uid);
  switch (k) {
    case '/Pod':
      if (isObj(o.spec)) defaultPodSpec(o.spec);
      break;
    case '/PodTemplate':
      if (isObj(o.template) && isObj(o.template.spec)) defaultPodSpec(o.template.spec);
      break;
    case '/Service':
      defaultService(o);
      break;
    case '/Secret':
      defaultSecret(o);
      break;
    case '/Namespace':
      defaultNamespace(o);
      break;
    case '/PersistentVolumeClaim': {
      const spec = isObj(o.spec) ? o.spec : (o.spec = {});
      spec.volumeMode ??= 'Filesystem';
      break;
    }
    case '/PersistentVolume': {
      const spec = isObj(o.spec) ? o.spec : (o.spec = {});
      spec.persistentVolumeReclaimPolicy ??= 'Retain';
      spec.volumeMode ??= 'Filesystem';
      break;
    }
    case 'storage.k8s.io/StorageClass':
      o.reclaimPolicy ??= 'Delete';
      o.volumeBindingMode ??= 'Immediate';
      break;
    case 'policy/PodDisruptionBudget':
      break;
  }
}

/** Create-time validation: metadata (with the kind's name rule) plus the kind's own rules. */
export function validateObject(gk: GroupKind, o: Obj, opts: { namespaced: boolean }): FieldCause[] {
  const out = validateObjectMeta(o.metadata, { namespaced: opts.namespaced, nameRule: nameRuleFor(gk) });
  const k = id(gk);
  if (WORKLOADS.has(k)) return out.concat(validateWorkload(gk.kind, o));
  switch (k) {
    case '/Pod':
      out.push(...validatePodSpec(o.spec, 'spec'));
      break;
    case '/Service':
      out.push(...validateService(o));
      break;
    case '/ConfigMap':
      out.push(...validateConfigMap(o));
      break;
    case '/Secret':
      out.push(...validateSecret(o));
      break;
    case '/PersistentVolumeClaim': {
      const spec = isObj(o.spec) ? o.spec : {};
      if (!Array.isArray(spec.accessModes) || spec.accessModes.length === 0) out.push(required('spec.accessModes'));
      const storage = isObj(spec.resources) && isObj(spec.resources.requests) ? spec.resources.requests.storage : undefined;
      if (storage === undefined) out.push(required('spec.resources[storage]'));
      else if (parseQuantity(storage) === null) out.push(invalid('spec.resources.requests[storage]', storage, `quantities must match the regular expression '${QUANTITY_REGEX}'`));
      break;
    }
    case '/PersistentVolume': {
      const spec = isObj(o.spec) ? o.spec : {};
      if (!Array.isArray(spec.accessModes) || spec.accessModes.length === 0) out.push(required('spec.accessModes'));
      if (!isObj(spec.capacity) || spec.capacity.storage === undefined) out.push(required('spec.capacity'));
      break;
    }
    case 'policy/PodDisruptionBudget': {
      const spec = isObj(o.spec) ? o.spec : {};
      if (spec.minAvailable !== undefined && spec.maxUnavailable !== undefined) out.push(invalid('spec', spec, 'minAvailable and maxUnavailable cannot be both set'));
      out.push(...validateLabelSelector(spec.selector, 'spec.selector', false));
      break;
    }
    case 'coordination.k8s.io/Lease': {
      const spec = isObj(o.spec) ? o.spec : {};
      if (spec.leaseDurationSeconds !== undefined && (!Number.isInteger(spec.leaseDurationSeconds) || (spec.leaseDurationSeconds as number) <= 0)) out.push(invalid('spec.leaseDurationSeconds', spec.leaseDurationSeconds, 'must be greater than 0'));
      break;
    }
    case 'rbac.authorization.k8s.io/RoleBinding':
    case 'rbac.authorization.k8s.io/ClusterRoleBinding': {
      const ref = isObj(o.roleRef) ? o.roleRef : undefined;
      if (!ref) out.push(required('roleRef'));
      else {
        if (ref.kind !== 'Role' && ref.kind !== 'ClusterRole') out.push(notSupported('roleRef.kind', ref.kind, ['ClusterRole', 'Role']));
        if (typeof ref.name !== 'string' || ref.name === '') out.push(required('roleRef.name'));
      }
      break;
    }
    case '/Event':
      if (!isObj(o.involvedObject)) out.push(required('involvedObject'));
      break;
  }
  return out;
}

/** Update-time rules on top of validateObject: immutable fields and kind-specific transitions. */
export function validateObjectUpdate(gk: GroupKind, o: Obj, old: Obj): FieldCause[] {
  const k = id(gk);
  if (WORKLOADS.has(k)) return validateWorkloadUpdate(gk.kind, o, old);
  switch (k) {
    case '/Service':
      return validateServiceUpdate(o, old);
    case '/ConfigMap':
      return validateImmutableData(o, old, ['data', 'binaryData']);
    case '/Secret':
      return validateSecretUpdate(o, old);
    case 'rbac.authorization.k8s.io/RoleBinding':
    case 'rbac.authorization.k8s.io/ClusterRoleBinding':
      return JSON.stringify(o.roleRef) !== JSON.stringify(old.roleRef) ? [invalid('roleRef', o.roleRef, 'cannot change roleRef')] : [];
    case '/Pod': {
      // Pod specs are immutable apart from images, activeDeadlineSeconds, tolerations (additions) and scheduling gates.
      const strip = (spec: unknown) => {
        const s = JSON.parse(JSON.stringify(isObj(spec) ? spec : {})) as Obj;
        for (const list of ['containers', 'initContainers']) if (Array.isArray(s[list])) for (const c of s[list] as Obj[]) delete c.image;
        delete s.activeDeadlineSeconds;
        delete s.tolerations;
        delete s.schedulingGates;
        if (!isObj(old.spec) || !old.spec.nodeName) delete s.nodeName;
        return JSON.stringify(s);
      };
      return strip(o.spec) !== strip(old.spec) ? [{ reason: 'FieldValueForbidden', message: 'Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)', field: 'spec' }] : [];
    }
    default:
      return [];
  }
}
