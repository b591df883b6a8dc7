/**
 * Table columns of the common kinds, as kube-apiserver's printers define them (pkg/printers/internalversion):
 * same names, order and priorities (priority 1 = only with `-o wide`), and the same cell logic.
 */
import { age, arr, containerNamesAndImages, labelsString, num, obj, str, type Obj } from './format.js';
import { podStatusReason } from './pod-status.js';

export interface ColumnDefinition { name: string; type: string; format: string; description: string; priority: number }
export interface Printer { columns: ColumnDefinition[]; row(o: Obj, now: number): unknown[] }

const col = (name: string, type = 'string', priority = 0, format = '', description = ''): ColumnDefinition => ({ name, type, format, description, priority });
const NAME = col('Name', 'string', 0, 'name', 'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names');
const AGE = col('Age', 'string', 0, '', 'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata');
const name = (o: Obj) => String(obj(o.metadata).name ?? '');
const created = (o: Obj, now: number) => age(obj(o.metadata).creationTimestamp, now);
const spec = (o: Obj) => obj(o.spec);
const status = (o: Obj) => obj(o.status);
const selector = (sel: unknown) => {
  const s = obj(sel);
  const parts = Object.entries(obj(s.matchLabels)).map(([k, v]) => `${k}=${String(v)}`);
  for (const e of arr(s.matchExpressions).map(obj)) parts.push(`${String(e.key)} ${String(e.operator).toLowerCase()} (${arr(e.values).join(',')})`);
  return parts.length ? parts.join(',') : '<none>';
};

export const DEFAULT_PRINTER: Printer = { columns: [NAME, col('Created At', 'date', 0)], row: (o) => [name(o), obj(o.metadata).creationTimestamp ?? ''] };

function podRow(o: Obj, now: number): unknown[] {
  const cs = arr(status(o).containerStatuses).map(obj);
  const total = arr(spec(o).containers).length;
  const ready = cs.filter((c) => c.ready === true).length;
  let restarts = 0;
  let lastRestart = 0;
  for (const c of cs) {
    restarts += num(c.restartCount);
    const t = Date.parse(String(obj(obj(c.lastState).terminated).finishedAt ?? ''));
    if (!Number.isNaN(t) && t > lastRestart) lastRestart = t;
  }
  const restartCell = lastRestart ? `${restarts} (${age(new Date(lastRestart).toISOString(), now)} ago)` : restarts;
  const gates = arr(spec(o).readinessGates).map(obj);
  const conds = arr(status(o).conditions).map(obj);
  const gateCell = gates.length ? `${gates.filter((g) => conds.some((c) => c.type === g.conditionType && c.status === 'True')).length}/${gates.length}` : '<none>';
  const ips = arr(status(o).podIPs).map((p) => String(obj(p).ip));
  return [name(o), `${ready}/${total}`, podStatusReason(o), restartCell, created(o, now), ips.length ? ips.join(',') : str(status(o).podIP), str(spec(o).nodeName), str(status(o).nominatedNodeName), gateCell];
}

function workloadImages(o: Obj, templatePath: (o: Obj) => unknown): [string, string] {
  return containerNamesAndImages(obj(templatePath(o)).spec);
}

function servicePorts(o: Obj): string {
  const ports = arr(spec(o).ports).map(obj);
  if (ports.length === 0) return '<none>';
  return ports.map((p) => (p.nodePort ? `${String(p.port)}:${String(p.nodePort)}/${String(p.protocol ?? 'TCP')}` : `${String(p.port)}/${String(p.protocol ?? 'TCP')}`)).join(',');
}

function externalIp(o: Obj): string {
  const s = spec(o);
  const type = s.type ?? 'ClusterIP';
  const ext = arr(s.externalIPs).map(String);
  if (type === 'ExternalName') return str(s.externalName);
  if (type === 'LoadBalancer') {
    const ing = arr(obj(status(o).loadBalancer).ingress).map((i) => String(obj(i).ip ?? obj(i).hostname ?? ''));
    const all = [...ing, ...ext].filter(Boolean);
    return all.length ? all.join(',') : '<pending>';
  }
  return ext.length ? ext.join(',') : '<none>';
}

function jobStatus(o: Obj): string {
  const conds = arr(status(o).conditions).map(obj);
  const has = (t: string) => conds.some((c) => c.type === t && c.status === 'True');
  if (has('Complete')) return 'Complete';
  if (has('Failed')) return 'Failed';
  if (has('FailureTarget')) return 'FailureTarget';
  if (has('SuccessCriteriaMet')) return 'SuccessCriteriaMet';
  if (obj(o.metadata).deletionTimestamp) return 'Terminating';
  if (has('Suspended')) return 'Suspended';
  return 'Running';
}

function jobDuration(o: Obj, now: number): string {
  const start = Date.parse(String(status(o).startTime ?? ''));
  if (Number.isNaN(start)) return '';
  const end = Date.parse(String(status(o).completionTime ?? ''));
  return age(new Date(start).toISOString(), Number.isNaN(end) ? now : end);
}

function nodeStatus(o: Obj): string {
  const ready = arr(status(o).conditions).map(obj).find((c) => c.type === 'Ready');
  const parts = [ready?.status === 'True' ? 'Ready' : ready ? 'NotReady' : 'Unknown'];
  if (spec(o).unschedulable === true) parts.push('SchedulingDisabled');
  return parts.join(',');
}

function nodeRoles(o: Obj): string {
  const roles = Object.keys(obj(obj(o.metadata).labels)).filter((k) => k.startsWith('node-role.kubernetes.io/')).map((k) => k.slice('node-role.kubernetes.io/'.length));
  return roles.length ? roles.sort().join(',') : '<none>';
}

const addr = (o: Obj, type: string) => arr(status(o).addresses).map(obj).filter((a) => a.type === type).map((a) => String(a.address)).join(',') || '<none>';
const accessModes = (modes: unknown) => arr(modes).map((m) => ({ ReadWriteOnce: 'RWO', ReadOnlyMany: 'ROX', ReadWriteMany: 'RWX', ReadWriteOncePod: 'RWOP' })[String(m)] ?? String(m)).join(',');

const containersImagesSelector = [col('Containers', 'string', 1), col('Images', 'string', 1), col('Selector', 'string', 1)];

export const PRINTERS: Record<string, Printer> = {
  '/Pod': {
    columns: [NAME, col('Ready'), col('Status'), col('Restarts', 'string'), AGE, col('IP', 'string', 1), col('Node', 'string', 1), col('Nominated Node', 'string', 1), col('Readiness Gates', 'string', 1)],
    row: podRow,
  },
  'apps/Deployment': {
    columns: [NAME, col('Ready'), col('Up-to-date', 'integer'), col('Available', 'integer'), AGE, ...containersImagesSelector],
    row: (o, now) => [name(o), `${num(status(o).readyReplicas)}/${num(spec(o).replicas)}`, num(status(o).updatedReplicas), num(status(o).availableReplicas), created(o, now), ...workloadImages(o, (x) => spec(x).template), selector(spec(o).selector)],
  },
  'apps/ReplicaSet': {
    columns: [NAME, col('Desired', 'integer'), col('Current', 'integer'), col('Ready', 'integer'), AGE, ...containersImagesSelector],
    row: (o, now) => [name(o), num(spec(o).replicas), num(status(o).replicas), num(status(o).readyReplicas), created(o, now), ...workloadImages(o, (x) => spec(x).template), selector(spec(o).selector)],
  },
  'apps/StatefulSet': {
    columns: [NAME, col('Ready'), AGE, col('Containers', 'string', 1), col('Images', 'string', 1)],
    row: (o, now) => [name(o), `${num(status(o).readyReplicas)}/${num(spec(o).replicas)}`, created(o, now), ...workloadImages(o, (x) => spec(x).template)],
  },
  'apps/DaemonSet': {
    columns: [NAME, col('Desired', 'integer'), col('Current', 'integer'), col('Ready', 'integer'), col('Up-to-date', 'integer'), col('Available', 'integer'), col('Node Selector'), AGE, ...containersImagesSelector],
    row: (o, now) => {
      const s = status(o);
      return [name(o), num(s.desiredNumberScheduled), num(s.currentNumberScheduled), num(s.numberReady), num(s.updatedNumberScheduled), num(s.numberAvailable), labelsString(obj(obj(spec(o).template).spec).nodeSelector), created(o, now), ...workloadImages(o, (x) => spec(x).template), selector(spec(o).selector)];
    },
  },
  'batch/Job': {
    columns: [NAME, col('Status'), col('Completions'), col('Duration'), AGE, ...containersImagesSelector],
    row: (o, now) => {
      const completions = spec(o).completions;
      const compl = typeof completions === 'number' ? `${num(status(o).succeeded)}/${completions}` : `${num(status(o).succeeded)}/1 of ${num(spec(o).parallelism)}`;
      return [name(o), jobStatus(o), compl, jobDuration(o, now), created(o, now), ...workloadImages(o, (x) => spec(x).template), selector(spec(o).selector)];
    },
  },
  'batch/CronJob': {
    columns: [NAME, col('Schedule'), col('Timezone'), col('Suspend', 'boolean'), col('Active', 'integer'), col('Last Schedule'), AGE, ...containersImagesSelector],
    row: (o, now) => {
      const jobSpec = obj(obj(spec(o).jobTemplate).spec);
      const last = status(o).lastScheduleTime;
      return [name(o), String(spec(o).schedule ?? ''), str(spec(o).timeZone), spec(o).suspend === true, arr(status(o).active).length, last ? age(last, now) : '<none>', created(o, now), ...containerNamesAndImages(obj(jobSpec.template).spec), selector(jobSpec.selector)];
    },
  },
  '/Service': {
    columns: [NAME, col('Type'), col('Cluster-IP'), col('External-IP'), col('Port(s)'), AGE, col('Selector', 'string', 1)],
    row: (o, now) => [name(o), String(spec(o).type ?? 'ClusterIP'), str(spec(o).clusterIP), externalIp(o), servicePorts(o), created(o, now), labelsString(spec(o).selector)],
  },
  '/ConfigMap': {
    columns: [NAME, col('Data', 'integer'), AGE],
    row: (o, now) => [name(o), Object.keys(obj(o.data)).length + Object.keys(obj(o.binaryData)).length, created(o, now)],
  },
  '/Secret': {
    columns: [NAME, col('Type'), col('Data', 'integer'), AGE],
    row: (o, now) => [name(o), String(o.type ?? 'Opaque'), Object.keys(obj(o.data)).length, created(o, now)],
  },
  '/Namespace': {
    columns: [NAME, col('Status'), AGE],
    row: (o, now) => [name(o), String(status(o).phase ?? 'Active'), created(o, now)],
  },
  '/Node': {
    columns: [NAME, col('Status'), col('Roles'), AGE, col('Version'), col('Internal-IP', 'string', 1), col('External-IP', 'string', 1), col('OS-Image', 'string', 1), col('Kernel-Version', 'string', 1), col('Container-Runtime', 'string', 1)],
    row: (o, now) => {
      const info = obj(status(o).nodeInfo);
      return [name(o), nodeStatus(o), nodeRoles(o), created(o, now), String(info.kubeletVersion ?? ''), addr(o, 'InternalIP'), addr(o, 'ExternalIP'), str(info.osImage, '<unknown>'), str(info.kernelVersion, '<unknown>'), str(info.containerRuntimeVersion, '<unknown>')];
    },
  },
  '/Event': {
    columns: [col('Last Seen'), col('Type'), col('Reason'), col('Object'), col('Subobject', 'string', 1), col('Source', 'string', 1), col('Message'), col('First Seen', 'string', 1), col('Count', 'integer', 1), col('Name', 'string', 1)],
    row: (o, now) => {
      const inv = obj(o.involvedObject);
      const last = o.lastTimestamp ?? o.eventTime ?? obj(o.metadata).creationTimestamp;
      const first = o.firstTimestamp ?? o.eventTime ?? obj(o.metadata).creationTimestamp;
      const src = obj(o.source);
      return [age(last, now), String(o.type ?? ''), String(o.reason ?? ''), `${String(inv.kind ?? '').toLowerCase()}/${String(inv.name ?? '')}`, String(inv.fieldPath ?? ''), [src.component, src.host].filter(Boolean).join(', '), String(o.message ?? ''), age(first, now), num(o.count) || 1, name(o)];
    },
  },
  '/ServiceAccount': {
    columns: [NAME, col('Secrets', 'string'), AGE],
    row: (o, now) => [name(o), arr(o.secrets).length, created(o, now)],
  },
  '/PersistentVolume': {
    columns: [NAME, col('Capacity'), col('Access Modes'), col('Reclaim Policy'), col('Status'), col('Claim'), col('StorageClass'), col('VolumeAttributesClass'), col('Reason'), AGE, col('VolumeMode', 'string', 1)],
    row: (o, now) => {
      const claim = obj(spec(o).claimRef);
      return [name(o), String(obj(spec(o).capacity).storage ?? ''), accessModes(spec(o).accessModes), String(spec(o).persistentVolumeReclaimPolicy ?? ''), String(status(o).phase ?? ''), claim.name ? `${String(claim.namespace)}/${String(claim.name)}` : '', String(spec(o).storageClassName ?? ''), str(spec(o).volumeAttributesClassName), String(status(o).reason ?? ''), created(o, now), String(spec(o).volumeMode ?? 'Filesystem')];
    },
  },
  '/PersistentVolumeClaim': {
    columns: [NAME, col('Status'), col('Volume'), col('Capacity'), col('Access Modes'), col('StorageClass'), col('VolumeAttributesClass'), AGE, col('VolumeMode', 'string', 1)],
    row: (o, now) => {
      const bound = status(o).phase === 'Bound';
      return [name(o), String(status(o).phase ?? 'Pending'), String(spec(o).volumeName ?? ''), bound ? String(obj(status(o).capacity).storage ?? '') : '', bound ? accessModes(status(o).accessModes) : '', String(spec(o).storageClassName ?? ''), str(spec(o).volumeAttributesClassName), created(o, now), String(spec(o).volumeMode ?? 'Filesystem')];
    },
  },
  '/Endpoints': {
    columns: [NAME, col('Endpoints'), AGE],
    row: (o, now) => {
      const eps: string[] = [];
      for (const s of arr(o.subsets).map(obj)) for (const a of arr(s.addresses).map(obj)) for (const p of arr(s.ports).map(obj)) eps.push(`${String(a.ip)}:${String(p.port)}`);
      return [name(o), eps.length ? eps.slice(0, 3).join(',') + (eps.length > 3 ? ` + ${eps.length - 3} more...` : '') : '<none>', created(o, now)];
    },
  },
  'apiextensions.k8s.io/CustomResourceDefinition': {
    columns: [NAME, col('Created At', 'date')],
    row: (o) => [name(o), obj(o.metadata).creationTimestamp ?? ''],
  },
  'storage.k8s.io/StorageClass': {
    columns: [NAME, col('Provisioner'), col('ReclaimPolicy'), col('VolumeBindingMode'), col('AllowVolumeExpansion', 'string'), AGE],
    row: (o, now) => {
      const dflt = obj(obj(o.metadata).annotations)['storageclass.kubernetes.io/is-default-class'] === 'true';
      return [dflt ? `${name(o)} (default)` : name(o), String(o.provisioner ?? ''), String(o.reclaimPolicy ?? 'Delete'), String(o.volumeBindingMode ?? 'Immediate'), o.allowVolumeExpansion === true, created(o, now)];
    },
  },
  'coordination.k8s.io/Lease': {
    columns: [NAME, col('Holder'), AGE],
    row: (o, now) => [name(o), String(spec(o).holderIdentity ?? ''), created(o, now)],
  },
  'policy/PodDisruptionBudget': {
    columns: [NAME, col('Min Available'), col('Max Unavailable'), col('Allowed Disruptions', 'integer'), AGE],
    row: (o, now) => [name(o), spec(o).minAvailable !== undefined ? String(spec(o).minAvailable) : 'N/A', spec(o).maxUnavailable !== undefined ? String(spec(o).maxUnavailable) : 'N/A', num(status(o).disruptionsAllowed), created(o, now)],
  },
  'apps/ControllerRevision': {
    columns: [NAME, col('Controller'), col('Revision', 'integer'), AGE],
    row: (o, now) => {
      const owner = arr(obj(o.metadata).ownerReferences).map(obj).find((r) => r.controller === true);
      return [name(o), owner ? `${String(owner.kind).toLowerCase()}.${String(owner.apiVersion).split('/')[0]}/${String(owner.name)}` : '<none>', num(o.revision), created(o, now)];
    },
  },
};

// events.k8s.io/v1 Events print like core Events (kube prints both from one internal type).
PRINTERS['events.k8s.io/Event'] = {
  columns: PRINTERS['/Event']!.columns,
  row: (o, now) => {
    const series = obj(o.series);
    return PRINTERS['/Event']!.row({
      metadata: o.metadata,
      involvedObject: o.regarding,
      type: o.type,
      reason: o.reason,
      message: o.note,
      lastTimestamp: series.lastObservedTime ?? o.deprecatedLastTimestamp,
      firstTimestamp: o.deprecatedFirstTimestamp,
      eventTime: o.eventTime,
      count: series.count ?? o.deprecatedCount,
      source: o.deprecatedSource ?? { component: o.reportingController },
    }, now);
  },
};

function hpaTargets(o: Obj): string {
  const sp = spec(o);
  if (typeof sp.targetCPUUtilizationPercentage === 'number') {
    const cur = status(o).currentCPUUtilizationPercentage;
    return `${typeof cur === 'number' ? `${cur}%` : '<unknown>'}/${sp.targetCPUUtilizationPercentage}%`;
  }
  const current = arr(status(o).currentMetrics).map(obj);
  const parts = arr(sp.metrics).map(obj).map((m, i) => {
    const res = obj(m.resource ?? m.containerResource);
    const target = obj(res.target);
    const cur = obj(obj(current[i]?.resource ?? current[i]?.containerResource).current);
    if (m.type === 'Resource' || m.type === 'ContainerResource') {
      const want = target.type === 'Utilization' ? `${String(target.averageUtilization)}%` : String(target.averageValue ?? target.value ?? '');
      const have = target.type === 'Utilization' ? (cur.averageUtilization !== undefined ? `${String(cur.averageUtilization)}%` : '<unknown>') : String(cur.averageValue ?? cur.value ?? '<unknown>');
      return `${String(res.name)}: ${have}/${want}`;
    }
    return `<unknown>/${String(obj(obj(m[String(m.type).charAt(0).toLowerCase() + String(m.type).slice(1)]).target).averageValue ?? '?')}`;
  });
  return parts.length ? parts.join(', ') : '<none>';
}

const hpaPrinter: Printer = {
  columns: [NAME, col('Reference'), col('Targets'), col('MinPods', 'string'), col('MaxPods', 'integer'), col('Replicas', 'integer'), AGE],
  row: (o, now) => {
    const ref = obj(spec(o).scaleTargetRef);
    return [name(o), `${String(ref.kind ?? '')}/${String(ref.name ?? '')}`, hpaTargets(o), spec(o).minReplicas ?? '<unset>', num(spec(o).maxReplicas), num(status(o).currentReplicas), created(o, now)];
  },
};
PRINTERS['autoscaling/HorizontalPodAutoscaler'] = hpaPrinter;

PRINTERS['/ComponentStatus'] = {
  columns: [NAME, col('Status'), col('Message'), col('Error')],
  row: (o) => {
    const c = arr(o.conditions).map(obj).find((x) => x.type === 'Healthy') ?? {};
    return [name(o), c.status === 'True' ? 'Healthy' : 'Unhealthy', String(c.message ?? ''), String(c.error ?? '')];
  },
};

const subjects = (o: Obj, kind: string) => arr(o.subjects).map(obj).filter((x) => x.kind === kind).map((x) => (kind === 'ServiceAccount' ? `${String(x.namespace ?? '')}/${String(x.name)}` : String(x.name))).join(', ');
const bindingPrinter: Printer = {
  columns: [NAME, col('Role'), AGE, col('Users', 'string', 1), col('Groups', 'string', 1), col('ServiceAccounts', 'string', 1)],
  row: (o, now) => [name(o), `${String(obj(o.roleRef).kind ?? '')}/${String(obj(o.roleRef).name ?? '')}`, created(o, now), subjects(o, 'User'), subjects(o, 'Group'), subjects(o, 'ServiceAccount')],
};
const createdAt: Printer = { columns: [NAME, col('Created At', 'date')], row: (o) => [name(o), obj(o.metadata).creationTimestamp ?? ''] };
PRINTERS['rbac.authorization.k8s.io/RoleBinding'] = bindingPrinter;
PRINTERS['rbac.authorization.k8s.io/ClusterRoleBinding'] = bindingPrinter;
PRINTERS['rbac.authorization.k8s.io/Role'] = createdAt;
PRINTERS['rbac.authorization.k8s.io/ClusterRole'] = createdAt;
PRINTERS['/LimitRange'] = createdAt;

PRINTERS['networking.k8s.io/Ingress'] = {
  columns: [NAME, col('Class'), col('Hosts'), col('Address'), col('Ports'), AGE],
  row: (o, now) => {
    const rules = arr(spec(o).rules).map(obj);
    const hosts = rules.map((r) => String(r.host ?? '*'));
    const addrs = arr(obj(status(o).loadBalancer).ingress).map((i) => String(obj(i).ip ?? obj(i).hostname ?? ''));
    return [name(o), str(spec(o).ingressClassName), hosts.length ? hosts.join(',') : '*', addrs.join(','), arr(spec(o).tls).length ? '80, 443' : '80', created(o, now)];
  },
};
PRINTERS['networking.k8s.io/IngressClass'] = {
  columns: [NAME, col('Controller'), col('Parameters'), AGE],
  row: (o, now) => [name(o), String(spec(o).controller ?? ''), spec(o).parameters ? `${String(obj(spec(o).parameters).kind)}/${String(obj(spec(o).parameters).name)}` : '<none>', created(o, now)],
};
PRINTERS['networking.k8s.io/NetworkPolicy'] = {
  columns: [NAME, col('Pod-Selector'), AGE],
  row: (o, now) => {
    const sel = selector(spec(o).podSelector);
    return [name(o), sel === '<none>' ? '<none>' : sel, created(o, now)];
  },
};
PRINTERS['discovery.k8s.io/EndpointSlice'] = {
  columns: [NAME, col('AddressType'), col('Ports'), col('Endpoints'), AGE],
  row: (o, now) => {
    const ports = arr(o.ports).map((p) => String(obj(p).port ?? ''));
    const addrs = arr(o.endpoints).flatMap((e) => arr(obj(e).addresses).map(String));
    return [name(o), String(o.addressType ?? ''), ports.length ? ports.join(',') : '<unset>', addrs.length ? addrs.slice(0, 3).join(',') + (addrs.length > 3 ? ` + ${addrs.length - 3} more...` : '') : '<unset>', created(o, now)];
  },
};
PRINTERS['/ResourceQuota'] = {
  columns: [NAME, AGE, col('Request'), col('Limit')],
  row: (o, now) => {
    const hard = obj(status(o).hard ?? spec(o).hard);
    const used = obj(status(o).used);
    const fmt = (keys: string[]) => keys.map((k) => `${k}: ${String(used[k] ?? '0')}/${String(hard[k])}`).join(', ');
    const keys = Object.keys(hard).sort();
    return [name(o), created(o, now), fmt(keys.filter((k) => !k.startsWith('limits.'))), fmt(keys.filter((k) => k.startsWith('limits.')))];
  },
};
PRINTERS['/ReplicationController'] = {
  columns: [NAME, col('Desired', 'integer'), col('Current', 'integer'), col('Ready', 'integer'), AGE, ...containersImagesSelector],
  row: (o, now) => [name(o), num(spec(o).replicas), num(status(o).replicas), num(status(o).readyReplicas), created(o, now), ...workloadImages(o, (x) => spec(x).template), labelsString(spec(o).selector)],
};
