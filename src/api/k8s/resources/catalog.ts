/**
 * The built-in resource catalog: every group/version/resource the apiserver serves out of the box,
 * with the names, scope, verbs and subresources a kube-apiserver 1.34 advertises for them (so
 * kubectl's short names, categories like `all`, and subresource discovery behave the same).
 */
import { READ_WRITE_VERBS, STATUS_VERBS, type ResourceInfo, type SubresourceInfo } from './types.js';

interface Spec {
  kind: string;
  plural?: string;
  short?: string[];
  cluster?: boolean;
  cats?: string[];
  subs?: SubresourceInfo[];
  verbs?: string[];
  virtual?: boolean;
  storage?: { group: string; plural: string };
}

const status = (kind: string): SubresourceInfo => ({ name: 'status', kind, verbs: STATUS_VERBS });
const scale: SubresourceInfo = { name: 'scale', kind: 'Scale', group: 'autoscaling', version: 'v1', verbs: STATUS_VERBS };

function group(groupName: string, version: string, specs: Spec[]): ResourceInfo[] {
  return specs.map((s) => {
    const plural = s.plural ?? defaultPlural(s.kind);
    return {
      group: groupName,
      version,
      kind: s.kind,
      listKind: `${s.kind}List`,
      plural,
      singular: s.kind.toLowerCase(),
      shortNames: s.short ?? [],
      namespaced: !s.cluster,
      verbs: s.verbs ?? READ_WRITE_VERBS,
      categories: s.cats ?? [],
      subresources: s.subs ?? [],
      ...(s.virtual ? { virtual: true } : {}),
      ...(s.storage ? { storage: s.storage } : {}),
    };
  });
}

/** Kubernetes pluralisation for the kinds used here: lower-case, y→ies, s/x/ch→es, else +s. */
export function defaultPlural(kind: string): string {
  const k = kind.toLowerCase();
  if (/[^aeiou]y$/.test(k)) return `${k.slice(0, -1)}ies`;
  if (/(s|x|z|ch|sh)$/.test(k)) return `${k}es`;
  return `${k}s`;
}

const ALL = ['all'];
const podSubs: SubresourceInfo[] = [
  { name: 'attach', kind: 'PodAttachOptions', verbs: ['create', 'get'] },
  { name: 'binding', kind: 'Binding', verbs: ['create'] },
  { name: 'ephemeralcontainers', kind: 'Pod', verbs: STATUS_VERBS },
  { name: 'eviction', kind: 'Eviction', group: 'policy', version: 'v1', verbs: ['create'] },
  { name: 'exec', kind: 'PodExecOptions', verbs: ['create', 'get'] },
  { name: 'log', kind: 'Pod', verbs: ['get'] },
  { name: 'portforward', kind: 'PodPortForwardOptions', verbs: ['create', 'get'] },
  { name: 'proxy', kind: 'PodProxyOptions', verbs: ['create', 'delete', 'get', 'patch', 'update'] },
  status('Pod'),
];
const withoutCollection = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];

export const BUILTIN_RESOURCES: ResourceInfo[] = [
  ...group('', 'v1', [
    { kind: 'Binding', cats: [], verbs: ['create'], virtual: true },
    { kind: 'ComponentStatus', plural: 'componentstatuses', short: ['cs'], cluster: true, verbs: ['get', 'list'], virtual: true },
    { kind: 'ConfigMap', short: ['cm'] },
    { kind: 'Endpoints', plural: 'endpoints', short: ['ep'] },
    { kind: 'Event', short: ['ev'] },
    { kind: 'LimitRange', short: ['limits'] },
    { kind: 'Namespace', short: ['ns'], cluster: true, verbs: withoutCollection, subs: [{ name: 'finalize', kind: 'Namespace', verbs: ['update'] }, status('Namespace')] },
    { kind: 'Node', short: ['no'], cluster: true, subs: [{ name: 'proxy', kind: 'NodeProxyOptions', verbs: ['create', 'delete', 'get', 'patch', 'update'] }, status('Node')] },
    { kind: 'PersistentVolumeClaim', short: ['pvc'], subs: [status('PersistentVolumeClaim')] },
    { kind: 'PersistentVolume', short: ['pv'], cluster: true, subs: [status('PersistentVolume')] },
    { kind: 'Pod', short: ['po'], cats: ALL, subs: podSubs },
    { kind: 'PodTemplate' },
    { kind: 'ReplicationController', short: ['rc'], cats: ALL, subs: [scale, status('ReplicationController')] },
    { kind: 'ResourceQuota', short: ['quota'], subs: [status('ResourceQuota')] },
    { kind: 'Secret' },
    { kind: 'ServiceAccount', short: ['sa'], subs: [{ name: 'token', kind: 'TokenRequest', group: 'authentication.k8s.io', version: 'v1', verbs: ['create'] }] },
    { kind: 'Service', short: ['svc'], cats: ALL, verbs: withoutCollection.concat('deletecollection'), subs: [{ name: 'proxy', kind: 'ServiceProxyOptions', verbs: ['create', 'delete', 'get', 'patch', 'update'] }, status('Service')] },
  ]),
  ...group('apps', 'v1', [
    { kind: 'ControllerRevision' },
    { kind: 'DaemonSet', short: ['ds'], cats: ALL, subs: [status('DaemonSet')] },
    { kind: 'Deployment', short: ['deploy'], cats: ALL, subs: [scale, status('Deployment')] },
    { kind: 'ReplicaSet', short: ['rs'], cats: ALL, subs: [scale, status('ReplicaSet')] },
    { kind: 'StatefulSet', short: ['sts'], cats: ALL, subs: [scale, status('StatefulSet')] },
  ]),
  ...group('batch', 'v1', [
    { kind: 'CronJob', short: ['cj'], cats: ALL, subs: [status('CronJob')] },
    { kind: 'Job', cats: ALL, subs: [status('Job')] },
  ]),
  ...group('autoscaling', 'v2', [{ kind: 'HorizontalPodAutoscaler', short: ['hpa'], cats: ALL, subs: [status('HorizontalPodAutoscaler')] }]),
  ...group('autoscaling', 'v1', [{ kind: 'HorizontalPodAutoscaler', short: ['hpa'], cats: ALL, subs: [status('HorizontalPodAutoscaler')] }]),
  ...group('policy', 'v1', [{ kind: 'PodDisruptionBudget', short: ['pdb'], subs: [status('PodDisruptionBudget')] }]),
  ...group('coordination.k8s.io', 'v1', [{ kind: 'Lease' }]),
  ...group('discovery.k8s.io', 'v1', [{ kind: 'EndpointSlice' }]),
  ...group('networking.k8s.io', 'v1', [
    { kind: 'IngressClass', cluster: true },
    { kind: 'Ingress', plural: 'ingresses', short: ['ing'], subs: [status('Ingress')] },
    { kind: 'NetworkPolicy', plural: 'networkpolicies', short: ['netpol'] },
  ]),
  ...group('rbac.authorization.k8s.io', 'v1', [
    { kind: 'ClusterRoleBinding', cluster: true },
    { kind: 'ClusterRole', cluster: true },
    { kind: 'RoleBinding' },
    { kind: 'Role' },
  ]),
  ...group('storage.k8s.io', 'v1', [
    { kind: 'CSIDriver', cluster: true },
    { kind: 'CSINode', cluster: true },
    { kind: 'StorageClass', short: ['sc'], cluster: true },
    { kind: 'VolumeAttachment', cluster: true, subs: [status('VolumeAttachment')] },
  ]),
  ...group('events.k8s.io', 'v1', [{ kind: 'Event', short: ['ev'], storage: { group: '', plural: 'events' } }]),
  ...group('apiextensions.k8s.io', 'v1', [
    { kind: 'CustomResourceDefinition', short: ['crd', 'crds'], cluster: true, cats: ['api-extensions'], subs: [status('CustomResourceDefinition')] },
  ]),
  ...group('authentication.k8s.io', 'v1', [
    { kind: 'SelfSubjectReview', cluster: true, verbs: ['create'], virtual: true },
    { kind: 'TokenReview', cluster: true, verbs: ['create'], virtual: true },
  ]),
  ...group('authorization.k8s.io', 'v1', [
    { kind: 'LocalSubjectAccessReview', verbs: ['create'], virtual: true },
    { kind: 'SelfSubjectAccessReview', cluster: true, verbs: ['create'], virtual: true },
    { kind: 'SelfSubjectRulesReview', cluster: true, verbs: ['create'], virtual: true },
    { kind: 'SubjectAccessReview', cluster: true, verbs: ['create'], virtual: true },
  ]),
];

/** Group → versions in preference order (first preferred), as discovery lists them. */
export const BUILTIN_GROUP_VERSIONS: Array<{ group: string; versions: string[] }> = [
  { group: '', versions: ['v1'] },
  { group: 'apps', versions: ['v1'] },
  { group: 'events.k8s.io', versions: ['v1'] },
  { group: 'authentication.k8s.io', versions: ['v1'] },
  { group: 'authorization.k8s.io', versions: ['v1'] },
  { group: 'autoscaling', versions: ['v2', 'v1'] },
  { group: 'batch', versions: ['v1'] },
  { group: 'networking.k8s.io', versions: ['v1'] },
  { group: 'policy', versions: ['v1'] },
  { group: 'rbac.authorization.k8s.io', versions: ['v1'] },
  { group: 'storage.k8s.io', versions: ['v1'] },
  { group: 'apiextensions.k8s.io', versions: ['v1'] },
  { group: 'coordination.k8s.io', versions: ['v1'] },
  { group: 'discovery.k8s.io', versions: ['v1'] },
];
