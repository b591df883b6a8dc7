/** Create/get/update/delete semantics: server metadata, generateName, optimistic concurrency, namespaces, dry-run, bad input. */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApi, ok, fails, call, cm, deployment, type Harness } from './helpers/api.js';

let h: Harness;
before(async () => (h = await startApi('crud')));
after(async () => h.close());

const CM = '/api/v1/namespaces/default/configmaps';

test('standard namespaces and the kubernetes service exist at start', async () => {
  const ns = await ok(h.api, 'GET', '/api/v1/namespaces');
  assert.equal(ns.kind, 'NamespaceList');
  assert.deepEqual(ns.items.map((n: any) => n.metadata.name).sort(), ['default', 'kube-node-lease', 'kube-public', 'kube-system']);
  for (const n of ns.items) {
    assert.equal(n.status.phase, 'Active');
    assert.deepEqual(n.spec.finalizers, ['kubernetes']);
    assert.equal(n.metadata.labels['kubernetes.io/metadata.name'], n.metadata.name);
  }
  const svc = await ok(h.api, 'GET', '/api/v1/namespaces/default/services/kubernetes');
  assert.equal(svc.spec.clusterIP, '10.96.0.1');
});

test('create fills uid, resourceVersion, creationTimestamp, managedFields; get returns the same', async () => {
  const created = await call(h.api, 'POST', CM, { body: cm('c1') });
  assert.equal(created.status, 201);
  const m = created.body.metadata;
  assert.match(m.uid, /^[0-9a-f-]{36}$/);
  assert.match(m.resourceVersion, /^\d+$/);
  assert.match(m.creationTimestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.equal(m.namespace, 'default');
  assert.equal(m.generation, undefined, 'configmaps carry no generation');
  assert.equal(created.body.kind, 'ConfigMap');
  assert.equal(created.body.apiVersion, 'v1');
  assert.ok(Array.isArray(m.managedFields) && m.managedFields[0].manager === 'kubectl', 'manager defaults from the user agent');
  const got = await ok(h.api, 'GET', `${CM}/c1`);
  assert.deepEqual(got, created.body);
});

test('duplicate create is 409 AlreadyExists with the kube message', async () => {
  const st = await fails(h.api, 'POST', CM, 409, { body: cm('c1') }, 'AlreadyExists');
  assert.equal(st.message, 'configmaps "c1" already exists');
  assert.deepEqual(st.details, { name: 'c1', group: '', kind: 'configmaps' });
});

test('get of a missing object is 404 with group-qualified names', async () => {
  const st = await fails(h.api, 'GET', '/apis/apps/v1/namespaces/default/deployments/nope', 404, {}, 'NotFound');
  assert.equal(st.message, 'deployments.apps "nope" not found');
  assert.equal(st.details.group, 'apps');
  await fails(h.api, 'GET', '/api/v1/namespaces/default/nothings', 404, {}, 'NotFound');
  await fails(h.api, 'GET', '/api/v1/nodes/x/status/extra', 404);
});

test('generateName gets a 5-character suffix', async () => {
  const a = await ok(h.api, 'POST', CM, { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'gen-' } } });
  const b = await ok(h.api, 'POST', CM, { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'gen-' } } });
  assert.match(a.metadata.name, /^gen-[a-z0-9]{5}$/);
  assert.notEqual(a.metadata.name, b.metadata.name);
  assert.equal(a.metadata.generateName, 'gen-');
});

test('update with a stale resourceVersion is 409 Conflict with the kube message', async () => {
  const c = await ok(h.api, 'POST', CM, { body: cm('c2') });
  const first = await ok(h.api, 'PUT', `${CM}/c2`, { body: { ...c, data: { a: '2' } } });
  assert.ok(Number(first.metadata.resourceVersion) > Number(c.metadata.resourceVersion));
  const st = await fails(h.api, 'PUT', `${CM}/c2`, 409, { body: { ...c, data: { a: '3' } } }, 'Conflict');
  assert.equal(st.message, 'Operation cannot be fulfilled on configmaps "c2": the object has been modified; please apply your changes to the latest version and try again');
  // Without a resourceVersion the update is unconditional (helm's release secrets rely on it).
  const { resourceVersion: _rv, ...metaNoRv } = c.metadata;
  const un = await ok(h.api, 'PUT', `${CM}/c2`, { body: { ...c, metadata: metaNoRv, data: { a: '4' } } });
  assert.equal(un.data.a, '4');
  assert.equal(un.metadata.uid, c.metadata.uid);
  assert.equal(un.metadata.creationTimestamp, c.metadata.creationTimestamp);
});

test('update cannot change uid/creationTimestamp, name must match the URL, missing object is 404', async () => {
  const c = await ok(h.api, 'GET', `${CM}/c2`);
  const u = await ok(h.api, 'PUT', `${CM}/c2`, { body: { ...c, metadata: { ...c.metadata, uid: 'x', creationTimestamp: '2000-01-01T00:00:00Z' } } });
  assert.equal(u.metadata.uid, c.metadata.uid);
  assert.equal(u.metadata.creationTimestamp, c.metadata.creationTimestamp);
  await fails(h.api, 'PUT', `${CM}/c2`, 400, { body: { ...c, metadata: { ...c.metadata, name: 'other' } } }, 'BadRequest');
  await fails(h.api, 'PUT', `${CM}/absent`, 404, { body: cm('absent') }, 'NotFound');
});

test('generation starts at 1 and moves only with spec changes', async () => {
  const d = await ok(h.api, 'POST', '/apis/apps/v1/namespaces/default/deployments', { body: deployment('gen') });
  assert.equal(d.metadata.generation, 1);
  const labelled = await ok(h.api, 'PUT', '/apis/apps/v1/namespaces/default/deployments/gen', { body: { ...d, metadata: { ...d.metadata, labels: { x: 'y' } } } });
  assert.equal(labelled.metadata.generation, 1);
  const st = await ok(h.api, 'PUT', '/apis/apps/v1/namespaces/default/deployments/gen/status', { body: { ...labelled, status: { replicas: 1, observedGeneration: 1 } } });
  assert.equal(st.metadata.generation, 1);
  assert.equal(st.status.replicas, 1);
  const scaled = await ok(h.api, 'PUT', '/apis/apps/v1/namespaces/default/deployments/gen', { body: { ...st, spec: { ...st.spec, replicas: 3 } } });
  assert.equal(scaled.metadata.generation, 2);
  assert.equal(scaled.status.replicas, 1, 'the main resource keeps status');
});

test('namespaced create needs an existing namespace; body namespace must match the URL', async () => {
  const st = await fails(h.api, 'POST', '/api/v1/namespaces/missing/configmaps', 404, { body: cm('x') }, 'NotFound');
  assert.equal(st.message, 'namespaces "missing" not found');
  await fails(h.api, 'POST', CM, 400, { body: cm('x', {}, { namespace: 'kube-system' }) }, 'BadRequest');
  await fails(h.api, 'POST', '/api/v1/configmaps', 404, { body: cm('x') });
});

test('cluster-scoped kinds reject namespaces in the path', async () => {
  await fails(h.api, 'GET', '/api/v1/namespaces/default/nodes', 404);
  const node = await ok(h.api, 'POST', '/api/v1/nodes', { body: { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1' }, status: { conditions: [{ type: 'Ready', status: 'True' }] } } });
  assert.equal(node.metadata.namespace, undefined);
  assert.equal(node.status.conditions[0].type, 'Ready', 'nodes register with their status');
  const role = await ok(h.api, 'POST', '/apis/rbac.authorization.k8s.io/v1/clusterroles', { body: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'r', namespace: 'default' }, rules: [] } });
  assert.equal(role.metadata.namespace, undefined, 'a namespace on a cluster-scoped object is dropped, as kube does');
});

test('apiVersion/kind mismatches are 400', async () => {
  await fails(h.api, 'POST', CM, 400, { body: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'k' } } }, 'BadRequest');
  await fails(h.api, 'POST', CM, 400, { body: { apiVersion: 'apps/v1', kind: 'ConfigMap', metadata: { name: 'k' } } }, 'BadRequest');
  await fails(h.api, 'POST', CM, 400, { body: 'not an object' }, 'BadRequest');
  await fails(h.api, 'POST', CM, 400, { body: { ...cm('rv'), metadata: { name: 'rv', resourceVersion: '5' } } }, 'BadRequest');
});

test('dryRun=All validates and answers without storing anything', async () => {
  const before = await h.kv.currentRevision();
  const r = await call(h.api, 'POST', CM, { body: cm('dry'), query: { dryRun: 'All' } });
  assert.equal(r.status, 201);
  assert.ok(r.body.metadata.uid);
  await fails(h.api, 'GET', `${CM}/dry`, 404);
  const c = await ok(h.api, 'GET', `${CM}/c1`);
  await ok(h.api, 'PUT', `${CM}/c1`, { body: { ...c, data: { changed: 'yes' } }, query: { dryRun: 'All' } });
  await ok(h.api, 'PATCH', `${CM}/c1`, { body: { data: { p: '1' } }, contentType: 'application/merge-patch+json', query: { dryRun: 'All' } });
  await ok(h.api, 'DELETE', `${CM}/c1`, { query: { dryRun: 'All' } });
  assert.deepEqual((await ok(h.api, 'GET', `${CM}/c1`)).data, c.data);
  await fails(h.api, 'POST', CM, 422, { body: cm('Bad_Name'), query: { dryRun: 'All' } }, 'Invalid');
  await fails(h.api, 'POST', CM, 400, { body: cm('x'), query: { dryRun: 'Some' } }, 'BadRequest');
  assert.equal(await h.kv.currentRevision(), before, 'dry runs write nothing');
});

test('PUT creates a missing object only for kinds that allow create-on-update (services, endpoints, RBAC)', async () => {
  const r = await call(h.api, 'PUT', '/api/v1/namespaces/default/endpoints/ep', { body: { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'ep' }, subsets: [] } });
  assert.equal(r.status, 201);
  assert.ok(r.body.metadata.uid);
  assert.equal((await call(h.api, 'PUT', '/apis/rbac.authorization.k8s.io/v1/clusterroles/viewer', { body: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'viewer' }, rules: [] } })).status, 201);
  await fails(h.api, 'PUT', `${CM}/not-created`, 404, { body: cm('not-created') }, 'NotFound');
  await fails(h.api, 'PUT', '/api/v1/namespaces/default/endpoints/ep2', 404, { body: { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'ep2', resourceVersion: '5' } } });
});

test('dryRun in a DeleteOptions body is honoured', async () => {
  await ok(h.api, 'POST', CM, { body: cm('keep-me') });
  await ok(h.api, 'DELETE', `${CM}/keep-me`, { body: { kind: 'DeleteOptions', apiVersion: 'v1', dryRun: ['All'] } });
  await ok(h.api, 'GET', `${CM}/keep-me`);
  await fails(h.api, 'DELETE', `${CM}/keep-me`, 400, { body: { dryRun: ['Maybe'] } }, 'BadRequest');
});

test('delete answers Status for immediate deletes, preconditions are checked', async () => {
  const c = await ok(h.api, 'POST', CM, { body: cm('d1') });
  await fails(h.api, 'DELETE', `${CM}/d1`, 409, { body: { preconditions: { uid: 'wrong' } } }, 'Conflict');
  await fails(h.api, 'DELETE', `${CM}/d1`, 409, { body: { preconditions: { resourceVersion: '1' } } }, 'Conflict');
  const st = await ok(h.api, 'DELETE', `${CM}/d1`, { body: { propagationPolicy: 'Background', preconditions: { uid: c.metadata.uid } } });
  assert.equal(st.kind, 'Status');
  assert.equal(st.status, 'Success');
  assert.equal(st.details.uid, c.metadata.uid);
  await fails(h.api, 'DELETE', `${CM}/d1`, 404, {}, 'NotFound');
  await fails(h.api, 'DELETE', `${CM}/x`, 422, { body: { propagationPolicy: 'Sideways' } }, 'Invalid');
});

test('deletecollection honours selectors', async () => {
  await ok(h.api, 'POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'coll' } } });
  for (const [n, l] of [['a', 'x'], ['b', 'x'], ['c', 'y']] as const) await ok(h.api, 'POST', '/api/v1/namespaces/coll/configmaps', { body: cm(n, {}, { labels: { t: l } }) });
  const res = await ok(h.api, 'DELETE', '/api/v1/namespaces/coll/configmaps', { query: { labelSelector: 't=x' } });
  assert.equal(res.items.length, 2);
  const left = await ok(h.api, 'GET', '/api/v1/namespaces/coll/configmaps');
  assert.deepEqual(left.items.map((i: any) => i.metadata.name), ['c']);
});

test('verbs a resource does not have are 405', async () => {
  await fails(h.api, 'DELETE', '/api/v1/namespaces', 405, {}, 'MethodNotAllowed');
  await fails(h.api, 'GET', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', 405);
});

test('reviews: whoami echoes the user, access reviews allow', async () => {
  const who = await call(h.api, 'POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', { body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' } });
  assert.equal(who.status, 201);
  assert.deepEqual(who.body.status.userInfo, { username: 'admin', groups: ['system:masters', 'system:authenticated'] });
  const can = await ok(h.api, 'POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', { body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes: { verb: 'create', resource: 'pods', namespace: 'default' } } } });
  assert.equal(can.status.allowed, true);
  assert.equal(can.spec.resourceAttributes.verb, 'create');
});

test('componentstatuses reports the datastore', async () => {
  const cs = await ok(h.api, 'GET', '/api/v1/componentstatuses');
  assert.equal(cs.kind, 'ComponentStatusList');
  assert.equal(cs.items[0].metadata.name, 'datastore-0');
  assert.equal(cs.items[0].conditions[0].status, 'True');
  assert.equal((await ok(h.api, 'GET', '/api/v1/componentstatuses/datastore-0')).conditions[0].type, 'Healthy');
  await fails(h.api, 'GET', '/api/v1/componentstatuses/scheduler', 404, {}, 'NotFound');
});

test('objects survive a restart of the API server on the same store', async () => {
  await h.api.close();
  const { createApiServer } = await import('../../src/orchestrator/apiserver/index.js');
  h.api = await createApiServer({ kv: h.kv });
  const c = await ok(h.api, 'GET', `${CM}/c2`);
  assert.equal(c.data.a, '4');
  const svc = await ok(h.api, 'GET', '/api/v1/namespaces/default/services/kubernetes');
  assert.equal(svc.spec.clusterIP, '10.96.0.1');
});

test('events.k8s.io/v1 and core/v1 Events are the same objects, converted', async () => {
  const created = await ok(h.api, 'POST', '/apis/events.k8s.io/v1/namespaces/default/events', {
    body: { apiVersion: 'events.k8s.io/v1', kind: 'Event', metadata: { name: 'ev1' }, eventTime: '2026-01-01T00:00:00.000000Z', reportingController: 'berth/scheduler', reportingInstance: 'node-1', action: 'Binding', reason: 'Scheduled', regarding: { kind: 'Pod', name: 'p1', namespace: 'default', uid: 'u1' }, note: 'assigned default/p1 to node-1', type: 'Normal' },
  });
  assert.equal(created.apiVersion, 'events.k8s.io/v1');
  assert.equal(created.note, 'assigned default/p1 to node-1');
  const core = await ok(h.api, 'GET', '/api/v1/namespaces/default/events/ev1');
  assert.equal(core.apiVersion, 'v1');
  assert.equal(core.message, 'assigned default/p1 to node-1');
  assert.deepEqual(core.involvedObject, { kind: 'Pod', name: 'p1', namespace: 'default', uid: 'u1' });
  assert.equal(core.reportingComponent, 'berth/scheduler');
  assert.equal(core.metadata.uid, created.metadata.uid);
  const byRegarding = await ok(h.api, 'GET', '/apis/events.k8s.io/v1/namespaces/default/events', { query: { fieldSelector: 'regarding.name=p1' } });
  assert.deepEqual(byRegarding.items.map((e: any) => e.metadata.name), ['ev1']);
  const byInvolved = await ok(h.api, 'GET', '/api/v1/namespaces/default/events', { query: { fieldSelector: 'involvedObject.uid=u1' } });
  assert.deepEqual(byInvolved.items.map((e: any) => e.metadata.name), ['ev1']);
  await ok(h.api, 'POST', '/api/v1/namespaces/default/events', { body: { apiVersion: 'v1', kind: 'Event', metadata: { name: 'ev2' }, involvedObject: { kind: 'Pod', name: 'p2' }, reason: 'Pulled', message: 'pulled', type: 'Normal', count: 3, source: { component: 'kubelet', host: 'node-1' }, firstTimestamp: '2026-01-01T00:00:00Z', lastTimestamp: '2026-01-01T00:01:00Z' } });
  const v1 = await ok(h.api, 'GET', '/apis/events.k8s.io/v1/namespaces/default/events/ev2');
  assert.deepEqual([v1.note, v1.regarding.name, v1.deprecatedCount, v1.reportingController], ['pulled', 'p2', 3, 'kubelet']);
  const t = await ok(h.api, 'GET', '/apis/events.k8s.io/v1/namespaces/default/events/ev2', { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' });
  assert.deepEqual(t.rows[0].cells.slice(1, 4), ['Normal', 'Pulled', 'pod/p2']);
  const patched = await ok(h.api, 'PATCH', '/apis/events.k8s.io/v1/namespaces/default/events/ev2', { body: { note: 'pulled again' }, contentType: 'application/merge-patch+json' });
  assert.equal(patched.note, 'pulled again');
  assert.equal((await ok(h.api, 'GET', '/api/v1/namespaces/default/events/ev2')).message, 'pulled again');
  await ok(h.api, 'DELETE', '/apis/events.k8s.io/v1/namespaces/default/events/ev2');
  await fails(h.api, 'GET', '/api/v1/namespaces/default/events/ev2', 404);
});

test('autoscaling/v1 and v2 HorizontalPodAutoscalers are the same objects, converted', async () => {
  await ok(h.api, 'POST', '/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers', {
    body: { apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata: { name: 'hpa' }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'gen' }, minReplicas: 1, maxReplicas: 5, targetCPUUtilizationPercentage: 70 } },
  });
  const v2 = await ok(h.api, 'GET', '/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers/hpa');
  assert.equal(v2.apiVersion, 'autoscaling/v2');
  assert.deepEqual(v2.spec.metrics, [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }]);
  assert.equal(v2.spec.targetCPUUtilizationPercentage, undefined);
  const upd = await ok(h.api, 'PUT', '/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers/hpa', { body: { ...v2, spec: { ...v2.spec, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }] } } });
  assert.equal(upd.spec.metrics[0].resource.target.averageUtilization, 50);
  const v1 = await ok(h.api, 'GET', '/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers/hpa');
  assert.equal(v1.apiVersion, 'autoscaling/v1');
  assert.equal(v1.spec.targetCPUUtilizationPercentage, 50);
  assert.equal(v1.spec.metrics, undefined);
  const list = await ok(h.api, 'GET', '/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers');
  assert.equal(list.items[0].spec.targetCPUUtilizationPercentage, 50);
});
