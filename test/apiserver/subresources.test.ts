/** Status and scale subresources of built-in workloads; pods/eviction with PodDisruptionBudgets. */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApi, ok, fails, call, deployment, type Harness } from './helpers/api.js';

let h: Harness;
before(async () => (h = await startApi('subres')));
after(async () => h.close());

const DEPLOY = '/apis/apps/v1/namespaces/default/deployments';
const PODS = '/api/v1/namespaces/default/pods';

test('deployment scale: GET, PATCH (kubectl scale), PUT with a stale resourceVersion', async () => {
  await ok(h.api, 'POST', DEPLOY, { body: deployment('web', { replicas: 2 }) });
  const s = await ok(h.api, 'GET', `${DEPLOY}/web/scale`);
  assert.deepEqual({ kind: s.kind, apiVersion: s.apiVersion, spec: s.spec, status: s.status }, { kind: 'Scale', apiVersion: 'autoscaling/v1', spec: { replicas: 2 }, status: { replicas: 0, selector: 'app=web' } });
  const p = await ok(h.api, 'PATCH', `${DEPLOY}/web/scale`, { body: { spec: { replicas: 1 } }, contentType: 'application/merge-patch+json' });
  assert.equal(p.spec.replicas, 1);
  const d = await ok(h.api, 'GET', `${DEPLOY}/web`);
  assert.equal(d.spec.replicas, 1);
  assert.equal(d.metadata.generation, 2);
  await fails(h.api, 'PUT', `${DEPLOY}/web/scale`, 409, { body: { ...s, spec: { replicas: 4 } } }, 'Conflict');
  const put = await ok(h.api, 'PUT', `${DEPLOY}/web/scale`, { body: { ...p, spec: { replicas: 4 } } });
  assert.equal(put.spec.replicas, 4);
  await fails(h.api, 'PATCH', `${DEPLOY}/web/scale`, 422, { body: { spec: { replicas: -1 } }, contentType: 'application/merge-patch+json' }, 'Invalid');
  await fails(h.api, 'GET', `${DEPLOY}/nope/scale`, 404);
  await fails(h.api, 'GET', '/api/v1/namespaces/default/configmaps/x/scale', 404);
});

test('status subresource: PATCH and PUT change only status; main writes keep status', async () => {
  const d = await ok(h.api, 'GET', `${DEPLOY}/web`);
  const st = await ok(h.api, 'PATCH', `${DEPLOY}/web/status`, { body: { status: { replicas: 4, readyReplicas: 4, observedGeneration: d.metadata.generation } , spec: { replicas: 99 }, metadata: { labels: { sneaky: 'yes' } } }, contentType: 'application/merge-patch+json' });
  assert.equal(st.status.readyReplicas, 4);
  assert.equal(st.spec.replicas, 4);
  assert.equal(st.metadata.labels, undefined);
  assert.equal(st.metadata.generation, d.metadata.generation);
  const statusGet = await ok(h.api, 'GET', `${DEPLOY}/web/status`);
  assert.equal(statusGet.status.readyReplicas, 4);
  const scale = await ok(h.api, 'GET', `${DEPLOY}/web/scale`);
  assert.equal(scale.status.replicas, 4);
  await fails(h.api, 'PUT', '/api/v1/namespaces/default/configmaps/none/status', 404);
});

test('server-side apply of status (a controller applying its status)', async () => {
  const applied = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, status: { availableReplicas: 4, conditions: [{ type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'ok' }] } };
  const r = await ok(h.api, 'PATCH', `${DEPLOY}/web/status`, { body: JSON.stringify(applied), contentType: 'application/apply-patch+yaml', query: { fieldManager: 'deployment-controller', force: 'true' } });
  assert.equal(r.status.availableReplicas, 4);
  assert.equal(r.status.conditions[0].type, 'Available');
  assert.equal(r.spec.replicas, 4);
  const entry = r.metadata.managedFields.find((e: any) => e.manager === 'deployment-controller');
  assert.equal(entry.operation, 'Apply');
  assert.equal(entry.subresource, 'status');
});

test('replicasets and statefulsets have scale too', async () => {
  const tmpl = { metadata: { labels: { app: 'r' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } };
  await ok(h.api, 'POST', '/apis/apps/v1/namespaces/default/replicasets', { body: { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'rs' }, spec: { replicas: 1, selector: { matchLabels: { app: 'r' } }, template: tmpl } } });
  const s = await ok(h.api, 'PATCH', '/apis/apps/v1/namespaces/default/replicasets/rs/scale', { body: [{ op: 'replace', path: '/spec/replicas', value: 3 }], contentType: 'application/json-patch+json' });
  assert.equal(s.spec.replicas, 3);
  await ok(h.api, 'POST', '/apis/apps/v1/namespaces/default/statefulsets', { body: { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'ss' }, spec: { selector: { matchLabels: { app: 'r' } }, template: tmpl } } });
  assert.equal((await ok(h.api, 'PATCH', '/apis/apps/v1/namespaces/default/statefulsets/ss/scale', { body: { spec: { replicas: 2 } }, contentType: 'application/strategic-merge-patch+json' })).spec.replicas, 2);
});

async function readyPod(name: string, labels: Record<string, string>) {
  const p = await ok(h.api, 'POST', PODS, { body: { apiVersion: 'v1', kind: 'Pod', metadata: { name, labels }, spec: { containers: [{ name: 'c', image: 'busybox' }] } } });
  await ok(h.api, 'PUT', `${PODS}/${name}/status`, { body: { ...p, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } } });
}

test('eviction deletes the pod (201) and honours PodDisruptionBudgets (429)', async () => {
  await readyPod('free', { app: 'free' });
  const ev = await call(h.api, 'POST', `${PODS}/free/eviction`, { body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'free', namespace: 'default' }, deleteOptions: {} } });
  assert.equal(ev.status, 201);
  await fails(h.api, 'GET', `${PODS}/free`, 404);
  await readyPod('db-0', { app: 'db' });
  await readyPod('db-1', { app: 'db' });
  await ok(h.api, 'POST', '/apis/policy/v1/namespaces/default/poddisruptionbudgets', { body: { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'db' }, spec: { minAvailable: 1, selector: { matchLabels: { app: 'db' } } } } });
  await ok(h.api, 'POST', `${PODS}/db-0/eviction`, { body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'db-0' } } });
  const blocked = await fails(h.api, 'POST', `${PODS}/db-1/eviction`, 429, { body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'db-1' } } }, 'TooManyRequests');
  assert.match(blocked.message, /disruption budget/);
  await ok(h.api, 'GET', `${PODS}/db-1`);
  await fails(h.api, 'POST', `${PODS}/missing/eviction`, 404, { body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'missing' } } });
  await fails(h.api, 'POST', `${PODS}/db-1/eviction`, 400, { body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'other' } } });
});

test('node-agent subresources are refused clearly, not faked', async () => {
  await readyPod('logs', { app: 'l' });
  const st = await fails(h.api, 'GET', `${PODS}/logs/log`, 405);
  assert.match(st.message, /not supported/);
});

test('binding: pods/binding and the bindings resource set spec.nodeName once and PodScheduled', async () => {
  await ok(h.api, 'POST', PODS, { body: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'sched' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } } });
  const r = await call(h.api, 'POST', `${PODS}/sched/binding`, { body: { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'sched' }, target: { apiVersion: 'v1', kind: 'Node', name: 'node-1' } } });
  assert.equal(r.status, 201);
  const pod = await ok(h.api, 'GET', `${PODS}/sched`);
  assert.equal(pod.spec.nodeName, 'node-1');
  assert.equal(pod.status.conditions.find((c: any) => c.type === 'PodScheduled').status, 'True');
  assert.equal(pod.status.phase, 'Pending', 'binding keeps the rest of the status');
  const again = await fails(h.api, 'POST', `${PODS}/sched/binding`, 409, { body: { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'sched' }, target: { kind: 'Node', name: 'node-2' } } }, 'Conflict');
  assert.match(again.message, /already assigned to node "node-1"/);
  await ok(h.api, 'POST', PODS, { body: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'sched2' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } } });
  await ok(h.api, 'POST', '/api/v1/namespaces/default/bindings', { body: { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'sched2' }, target: { kind: 'Node', name: 'node-2' } } });
  assert.equal((await ok(h.api, 'GET', `${PODS}/sched2`)).spec.nodeName, 'node-2');
  await fails(h.api, 'POST', `${PODS}/sched2/binding`, 422, { body: { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'sched2' }, target: {} } }, 'Invalid');
  await fails(h.api, 'POST', `${PODS}/nobody/binding`, 404, { body: { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'nobody' }, target: { name: 'n' } } });
});
