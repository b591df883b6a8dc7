import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTable, crdPrinter, defaultPrinter, evalJsonPath, humanDuration, printerFor } from './index.js';

const NOW = Date.parse('2026-01-10T12:00:00Z');
const ago = (s: number) => new Date(NOW - s * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
const row = (group: string, kind: string, o: Record<string, unknown>) => printerFor(group, kind)!.row(o, NOW);
const names = (group: string, kind: string) => printerFor(group, kind)!.columns.map((c) => c.name);

test('humanDuration matches kube for each range', () => {
  const cases: Array<[number, string]> = [[0, '0s'], [59, '59s'], [119, '119s'], [120, '2m'], [150, '2m30s'], [600, '10m'], [3 * 3600 - 1, '179m'], [3 * 3600, '3h'], [3 * 3600 + 1800, '3h30m'], [8 * 3600, '8h'], [47 * 3600, '47h'], [49 * 3600, '2d1h'], [8 * 86400, '8d'], [400 * 86400, '400d'], [3 * 365 * 86400 + 5 * 86400, '3y5d'], [9 * 365 * 86400, '9y']];
  for (const [s, want] of cases) assert.equal(humanDuration(s * 1000), want, `${s}s`);
  assert.equal(humanDuration(-5000), '0s');
});

test('jsonpath subset: fields, indexes, wildcards, filters, braces', () => {
  const o = { spec: { a: [{ n: 1 }, { n: 2 }] }, status: { conditions: [{ type: 'Ready', status: 'True' }, { type: 'Other', status: 'False' }] } };
  assert.deepEqual(evalJsonPath(o, '.spec.a[1].n'), [2]);
  assert.deepEqual(evalJsonPath(o, '.spec.a[*].n'), [1, 2]);
  assert.deepEqual(evalJsonPath(o, '{.status.conditions[?(@.type=="Ready")].status}'), ['True']);
  assert.deepEqual(evalJsonPath(o, '.missing.x'), []);
  assert.deepEqual(evalJsonPath(o, '.spec.a[9]'), []);
  assert.deepEqual(evalJsonPath(o, 'garbage!!'), []);
});

test('pod STATUS: waiting reasons, init containers, completion, termination', () => {
  const pod = (status: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ metadata: { name: 'p', creationTimestamp: ago(60), ...extra }, spec: { containers: [{ name: 'c' }], initContainers: status.initContainerStatuses ? [{ name: 'i' }] : [] }, status });
  assert.equal(row('', 'Pod', pod({ phase: 'Running', containerStatuses: [{ ready: false, restartCount: 5, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { finishedAt: ago(30) } } }] }))[2], 'CrashLoopBackOff');
  assert.equal(row('', 'Pod', pod({ phase: 'Running', containerStatuses: [{ ready: false, restartCount: 5, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { finishedAt: ago(30) } } }] }))[3], '5 (30s ago)');
  assert.equal(row('', 'Pod', pod({ phase: 'Pending', initContainerStatuses: [{ state: { running: {} } }] }))[2], 'Init:0/1');
  assert.equal(row('', 'Pod', pod({ phase: 'Pending', initContainerStatuses: [{ state: { terminated: { exitCode: 2 } } }] }))[2], 'Init:ExitCode:2');
  assert.equal(row('', 'Pod', pod({ phase: 'Succeeded', containerStatuses: [{ ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } }] }))[2], 'Completed');
  assert.equal(row('', 'Pod', pod({ phase: 'Running' }, { deletionTimestamp: ago(1) }))[2], 'Terminating');
  assert.equal(row('', 'Pod', pod({ phase: 'Failed', reason: 'Evicted' }))[2], 'Evicted');
});

test('columns and cells of jobs, cronjobs, statefulsets, daemonsets, events, nodes, PVs, PVCs, service accounts, secrets', () => {
  const tmpl = { spec: { containers: [{ name: 'c', image: 'busybox:1' }, { name: 'd', image: 'nginx' }] } };
  assert.deepEqual(names('batch', 'Job'), ['Name', 'Status', 'Completions', 'Duration', 'Age', 'Containers', 'Images', 'Selector']);
  assert.deepEqual(row('batch', 'Job', { metadata: { name: 'j', creationTimestamp: ago(300) }, spec: { completions: 2, parallelism: 1, template: tmpl, selector: { matchLabels: { a: 'b' } } }, status: { succeeded: 2, startTime: ago(200), completionTime: ago(100), conditions: [{ type: 'Complete', status: 'True' }] } }), ['j', 'Complete', '2/2', '100s', '5m', 'c,d', 'busybox:1,nginx', 'a=b']);
  assert.deepEqual(names('batch', 'CronJob'), ['Name', 'Schedule', 'Timezone', 'Suspend', 'Active', 'Last Schedule', 'Age', 'Containers', 'Images', 'Selector']);
  assert.deepEqual(row('batch', 'CronJob', { metadata: { name: 'cj', creationTimestamp: ago(3600) }, spec: { schedule: '*/5 * * * *', suspend: false, jobTemplate: { spec: { template: tmpl } } }, status: { lastScheduleTime: ago(120), active: [{}] } }).slice(0, 7), ['cj', '*/5 * * * *', '<none>', false, 1, '2m', '60m']);
  assert.deepEqual(row('apps', 'StatefulSet', { metadata: { name: 's', creationTimestamp: ago(10) }, spec: { replicas: 3, template: tmpl }, status: { readyReplicas: 2 } }).slice(0, 3), ['s', '2/3', '10s']);
  assert.deepEqual(names('apps', 'DaemonSet'), ['Name', 'Desired', 'Current', 'Ready', 'Up-to-date', 'Available', 'Node Selector', 'Age', 'Containers', 'Images', 'Selector']);
  assert.deepEqual(row('apps', 'DaemonSet', { metadata: { name: 'd', creationTimestamp: ago(10) }, spec: { template: { spec: { ...tmpl.spec, nodeSelector: { 'kubernetes.io/os': 'linux' } } } }, status: { desiredNumberScheduled: 1, currentNumberScheduled: 1, numberReady: 1, updatedNumberScheduled: 1, numberAvailable: 1 } }).slice(0, 7), ['d', 1, 1, 1, 1, 1, 'kubernetes.io/os=linux']);
  assert.deepEqual(names('', 'Event').filter((_, i) => printerFor('', 'Event')!.columns[i]!.priority === 0), ['Last Seen', 'Type', 'Reason', 'Object', 'Message']);
  assert.deepEqual(row('', 'Event', { metadata: { name: 'e', creationTimestamp: ago(50) }, involvedObject: { kind: 'Pod', name: 'web-1' }, type: 'Warning', reason: 'BackOff', message: 'Back-off restarting', lastTimestamp: ago(5), firstTimestamp: ago(50), count: 7, source: { component: 'kubelet', host: 'node-1' } }), ['5s', 'Warning', 'BackOff', 'pod/web-1', '', 'kubelet, node-1', 'Back-off restarting', '50s', 7, 'e']);
  assert.deepEqual(row('', 'Node', { metadata: { name: 'n', creationTimestamp: ago(86400 * 3), labels: { 'node-role.kubernetes.io/control-plane': '' } }, spec: { unschedulable: true }, status: { conditions: [{ type: 'Ready', status: 'True' }], addresses: [{ type: 'InternalIP', address: '10.0.0.2' }], nodeInfo: { kubeletVersion: 'v1.34.0', osImage: 'Debian GNU/Linux 12', kernelVersion: '6.1', containerRuntimeVersion: 'berth://0.1' } } }), ['n', 'Ready,SchedulingDisabled', 'control-plane', '3d', 'v1.34.0', '10.0.0.2', '<none>', 'Debian GNU/Linux 12', '6.1', 'berth://0.1']);
  assert.deepEqual(row('', 'PersistentVolume', { metadata: { name: 'pv', creationTimestamp: ago(10) }, spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], persistentVolumeReclaimPolicy: 'Retain', claimRef: { namespace: 'default', name: 'c' }, storageClassName: 'local' }, status: { phase: 'Bound' } }), ['pv', '1Gi', 'RWO', 'Retain', 'Bound', 'default/c', 'local', '<unset>', '', '10s', 'Filesystem'].map((x) => (x === '<unset>' ? '<none>' : x)));
  assert.deepEqual(row('', 'PersistentVolumeClaim', { metadata: { name: 'c', creationTimestamp: ago(10) }, spec: { volumeName: 'pv', storageClassName: 'local' }, status: { phase: 'Bound', capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'] } }).slice(0, 6), ['c', 'Bound', 'pv', '1Gi', 'RWO', 'local']);
  assert.deepEqual(row('', 'ServiceAccount', { metadata: { name: 'default', creationTimestamp: ago(10) } }), ['default', 0, '10s']);
  assert.deepEqual(row('', 'Secret', { metadata: { name: 's', creationTimestamp: ago(10) }, type: 'kubernetes.io/tls', data: { 'tls.crt': '', 'tls.key': '' } }), ['s', 'kubernetes.io/tls', 2, '10s']);
});

test('CRD printers and the default printer; includeObject shapes', () => {
  const p = crdPrinter([{ name: 'Replicas', type: 'integer', jsonPath: '.spec.replicas' }, { name: 'Since', type: 'date', jsonPath: '.status.since' }, { name: 'Obj', type: 'string', jsonPath: '.spec.obj' }]);
  assert.deepEqual(p.row({ metadata: { name: 'x' }, spec: { replicas: 2, obj: { a: 1 } }, status: { since: ago(90) } }, NOW), ['x', 2, '90s', '{"a":1}']);
  assert.deepEqual(p.row({ metadata: { name: 'y' } }, NOW), ['y', null, null, null]);
  assert.deepEqual(crdPrinter([]).columns.map((c) => c.name), ['Name', 'Age']);
  const d = defaultPrinter();
  const o = { metadata: { name: 'n', creationTimestamp: ago(5) }, data: { a: 1 } };
  const meta = buildTable(d, [o], { include: 'Metadata', now: NOW, resourceVersion: '7' }) as any;
  assert.deepEqual(meta.rows[0], { cells: ['n', '5s'], object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata } });
  assert.equal(meta.metadata.resourceVersion, '7');
  assert.equal((buildTable(d, [o], { include: 'Object', now: NOW }) as any).rows[0].object, o);
  assert.equal((buildTable(d, [o], { include: 'None', now: NOW }) as any).rows[0].object, undefined);
});

test('columns of HPAs (v1 and v2 shapes), component statuses, RBAC bindings, ingresses, endpoint slices, quotas', () => {
  assert.deepEqual(names('autoscaling', 'HorizontalPodAutoscaler'), ['Name', 'Reference', 'Targets', 'MinPods', 'MaxPods', 'Replicas', 'Age']);
  const hpa2 = { metadata: { name: 'h', creationTimestamp: ago(10) }, spec: { scaleTargetRef: { kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 3, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } }] }, status: { currentReplicas: 2, currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 30 } } }] } };
  assert.deepEqual(row('autoscaling', 'HorizontalPodAutoscaler', hpa2), ['h', 'Deployment/web', 'cpu: 30%/60%', 1, 3, 2, '10s']);
  const hpa1 = { metadata: { name: 'h', creationTimestamp: ago(10) }, spec: { scaleTargetRef: { kind: 'Deployment', name: 'web' }, maxReplicas: 3, targetCPUUtilizationPercentage: 50 }, status: {} };
  assert.deepEqual(row('autoscaling', 'HorizontalPodAutoscaler', hpa1).slice(2, 4), ['<unknown>/50%', '<unset>']);
  assert.deepEqual(row('', 'ComponentStatus', { metadata: { name: 'datastore-0' }, conditions: [{ type: 'Healthy', status: 'True', message: 'ok' }] }), ['datastore-0', 'Healthy', 'ok', '']);
  assert.deepEqual(row('rbac.authorization.k8s.io', 'RoleBinding', { metadata: { name: 'rb', creationTimestamp: ago(10) }, roleRef: { kind: 'Role', name: 'r' }, subjects: [{ kind: 'User', name: 'u' }, { kind: 'ServiceAccount', name: 'sa', namespace: 'ns' }] }), ['rb', 'Role/r', '10s', 'u', '', 'ns/sa']);
  assert.deepEqual(row('networking.k8s.io', 'Ingress', { metadata: { name: 'i', creationTimestamp: ago(10) }, spec: { ingressClassName: 'nginx', rules: [{ host: 'a.example.com' }], tls: [{}] }, status: { loadBalancer: { ingress: [{ ip: '10.0.0.1' }] } } }), ['i', 'nginx', 'a.example.com', '10.0.0.1', '80, 443', '10s']);
  assert.deepEqual(row('discovery.k8s.io', 'EndpointSlice', { metadata: { name: 'web-abc', creationTimestamp: ago(10) }, addressType: 'IPv4', ports: [{ port: 80 }], endpoints: [{ addresses: ['10.88.0.2'] }, { addresses: ['10.88.0.3'] }] }), ['web-abc', 'IPv4', '80', '10.88.0.2,10.88.0.3', '10s']);
  assert.deepEqual(row('', 'ResourceQuota', { metadata: { name: 'q', creationTimestamp: ago(10) }, spec: { hard: { pods: '10', 'limits.cpu': '4' } }, status: { hard: { pods: '10', 'limits.cpu': '4' }, used: { pods: '2' } } }), ['q', '10s', 'pods: 2/10', 'limits.cpu: 0/4']);
});
