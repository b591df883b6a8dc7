/** Discovery (legacy and aggregated), version/health, OpenAPI, Table output and metadata-only responses. */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApi, ok, fails, call, watch, cm, deployment, type Harness } from './helpers/api.js';

let h: Harness;
before(async () => (h = await startApi('discovery')));
after(async () => h.close());

const AGG = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';
const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

test('version, health endpoints', async () => {
  const v = await ok(h.api, 'GET', '/version');
  assert.match(v.gitVersion, /^v1\.34\.\d+/);
  assert.equal(v.major, '1');
  for (const p of ['/healthz', '/livez', '/readyz']) assert.equal(await ok(h.api, 'GET', p), 'ok');
});

test('legacy discovery: /api, /apis, /apis/<group>, resource lists with subresources', async () => {
  const api = await ok(h.api, 'GET', '/api');
  assert.deepEqual(api.versions, ['v1']);
  const apis = await ok(h.api, 'GET', '/apis');
  const apps = apis.groups.find((g: any) => g.name === 'apps');
  assert.deepEqual(apps.preferredVersion, { groupVersion: 'apps/v1', version: 'v1' });
  assert.ok(!apis.groups.some((g: any) => g.name === ''));
  assert.equal(apis.groups.find((g: any) => g.name === 'autoscaling').preferredVersion.version, 'v2');
  assert.equal((await ok(h.api, 'GET', '/apis/batch')).kind, 'APIGroup');
  const core = await ok(h.api, 'GET', '/api/v1');
  assert.equal(core.kind, 'APIResourceList');
  assert.equal(core.groupVersion, 'v1');
  const pods = core.resources.find((r: any) => r.name === 'pods');
  assert.deepEqual(pods.shortNames, ['po']);
  assert.deepEqual(pods.categories, ['all']);
  assert.equal(pods.namespaced, true);
  const eviction = core.resources.find((r: any) => r.name === 'pods/eviction');
  assert.deepEqual([eviction.group, eviction.version, eviction.kind, eviction.verbs], ['policy', 'v1', 'Eviction', ['create']]);
  for (const sub of ['pods/log', 'pods/exec', 'pods/portforward', 'pods/attach', 'pods/status', 'namespaces/finalize']) assert.ok(core.resources.some((r: any) => r.name === sub), sub);
  const appsV1 = await ok(h.api, 'GET', '/apis/apps/v1');
  const scale = appsV1.resources.find((r: any) => r.name === 'deployments/scale');
  assert.deepEqual([scale.group, scale.version, scale.kind], ['autoscaling', 'v1', 'Scale']);
  const authz = await ok(h.api, 'GET', '/apis/authorization.k8s.io/v1');
  assert.ok(authz.resources.some((r: any) => r.name === 'selfsubjectaccessreviews'));
  const authn = await ok(h.api, 'GET', '/apis/authentication.k8s.io/v1');
  assert.ok(authn.resources.some((r: any) => r.name === 'selfsubjectreviews'));
  await fails(h.api, 'GET', '/apis/nothing.example.com/v1', 404, {}, 'NotFound');
  await fails(h.api, 'GET', '/apis/nothing.example.com', 404);
});

test('aggregated discovery v2 and v2beta1 for /api and /apis', async () => {
  const r = await call(h.api, 'GET', '/apis', { accept: AGG });
  assert.equal(r.headers['content-type'], 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList');
  assert.equal(r.body.kind, 'APIGroupDiscoveryList');
  assert.equal(r.body.apiVersion, 'apidiscovery.k8s.io/v2');
  const apps = r.body.items.find((i: any) => i.metadata.name === 'apps');
  const dep = apps.versions[0].resources.find((x: any) => x.resource === 'deployments');
  assert.deepEqual(dep.responseKind, { group: 'apps', version: 'v1', kind: 'Deployment' });
  assert.equal(dep.scope, 'Namespaced');
  assert.equal(dep.singularResource, 'deployment');
  assert.deepEqual(dep.shortNames, ['deploy']);
  assert.deepEqual(dep.subresources.find((s: any) => s.subresource === 'scale').responseKind, { group: 'autoscaling', version: 'v1', kind: 'Scale' });
  assert.equal(apps.versions[0].freshness, 'Current');
  const core = await call(h.api, 'GET', '/api', { accept: 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList' });
  assert.equal(core.body.apiVersion, 'apidiscovery.k8s.io/v2beta1');
  assert.equal(core.body.items.length, 1);
  assert.equal(core.body.items[0].metadata.name, '');
  assert.ok(core.body.items[0].versions[0].resources.some((x: any) => x.resource === 'namespaces' && x.scope === 'Cluster'));
});

test('OpenAPI v2 and v3 documents are served', async () => {
  const idx = await ok(h.api, 'GET', '/openapi/v3');
  const url: string = idx.paths['apis/apps/v1'].serverRelativeURL;
  assert.match(url, /^\/openapi\/v3\/apis\/apps\/v1\?hash=/);
  const doc = await ok(h.api, 'GET', '/openapi/v3/apis/apps/v1', { query: { hash: url.split('hash=')[1]! } });
  assert.equal(doc.openapi, '3.0.0');
  assert.ok(Object.keys(doc.components.schemas).some((k) => k.endsWith('apps.v1.Deployment')));
  assert.ok((await ok(h.api, 'GET', '/openapi/v2')).swagger);
  await fails(h.api, 'GET', '/openapi/v2', 406, { accept: 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf' });
  await fails(h.api, 'GET', '/openapi/v3/apis/nothing/v9', 404);
});

test('Table output: real columns for deployments, pods, services, configmaps; wide columns are priority 1', async () => {
  await ok(h.api, 'POST', '/apis/apps/v1/namespaces/default/deployments', { body: deployment('web', { replicas: 3 }) });
  const t = await call(h.api, 'GET', '/apis/apps/v1/namespaces/default/deployments', { accept: TABLE, query: { limit: '500' } });
  assert.equal(t.headers['content-type'], 'application/json;as=Table;v=v1;g=meta.k8s.io');
  assert.equal(t.body.kind, 'Table');
  assert.deepEqual(t.body.columnDefinitions.map((c: any) => c.name), ['Name', 'Ready', 'Up-to-date', 'Available', 'Age', 'Containers', 'Images', 'Selector']);
  assert.deepEqual(t.body.columnDefinitions.map((c: any) => c.priority), [0, 0, 0, 0, 0, 1, 1, 1]);
  const row = t.body.rows[0];
  assert.deepEqual(row.cells.slice(0, 4), ['web', '0/3', 0, 0]);
  assert.match(row.cells[4], /^\d+s$/);
  assert.deepEqual(row.cells.slice(5), ['web', 'nginx:1.27', 'app=web']);
  assert.equal(row.object.kind, 'PartialObjectMetadata');
  assert.equal(row.object.metadata.name, 'web');
  assert.ok(t.body.metadata.resourceVersion);
  const pod = await ok(h.api, 'POST', '/api/v1/namespaces/default/pods', { body: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } } });
  await ok(h.api, 'PUT', '/api/v1/namespaces/default/pods/p/status', { body: { ...pod, status: { phase: 'Running', podIP: '10.88.0.5', conditions: [{ type: 'Ready', status: 'True' }], containerStatuses: [{ name: 'c', ready: true, restartCount: 2, state: { running: { startedAt: '2026-01-01T00:00:00Z' } } }] } } });
  const pt = await ok(h.api, 'GET', '/api/v1/namespaces/default/pods/p', { accept: TABLE, query: { includeObject: 'Object' } });
  assert.deepEqual(pt.columnDefinitions.map((c: any) => c.name), ['Name', 'Ready', 'Status', 'Restarts', 'Age', 'IP', 'Node', 'Nominated Node', 'Readiness Gates']);
  assert.deepEqual(pt.rows[0].cells.slice(0, 4), ['p', '1/1', 'Running', 2]);
  assert.deepEqual(pt.rows[0].cells.slice(5), ['10.88.0.5', '<none>', '<none>', '<none>']);
  assert.equal(pt.rows[0].object.kind, 'Pod');
  const none = await ok(h.api, 'GET', '/api/v1/namespaces/default/pods', { accept: TABLE, query: { includeObject: 'None' } });
  assert.equal(none.rows[0].object, undefined);
  await fails(h.api, 'GET', '/api/v1/namespaces/default/pods', 400, { accept: TABLE, query: { includeObject: 'All' } });
  const svc = await ok(h.api, 'GET', '/api/v1/namespaces/default/services', { accept: TABLE });
  assert.deepEqual(svc.columnDefinitions.map((c: any) => c.name), ['Name', 'Type', 'Cluster-IP', 'External-IP', 'Port(s)', 'Age', 'Selector']);
  assert.deepEqual(svc.rows[0].cells.slice(0, 5), ['kubernetes', 'ClusterIP', '10.96.0.1', '<none>', '443/TCP']);
  await ok(h.api, 'POST', '/api/v1/namespaces/default/configmaps', { body: cm('two', { a: '1', b: '2' }) });
  const cmt = await ok(h.api, 'GET', '/api/v1/namespaces/default/configmaps/two', { accept: TABLE });
  assert.deepEqual(cmt.rows[0].cells.slice(0, 2), ['two', 2]);
  const ns = await ok(h.api, 'GET', '/api/v1/namespaces', { accept: TABLE });
  assert.deepEqual(ns.columnDefinitions.map((c: any) => c.name), ['Name', 'Status', 'Age']);
  assert.ok(ns.rows.every((r: any) => r.cells[1] === 'Active'));
  // Kinds without a printer get Name and Age.
  await ok(h.api, 'POST', '/apis/coordination.k8s.io/v1/namespaces/default/leases', { body: { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'l' }, spec: {} } });
  const rb = await ok(h.api, 'GET', '/api/v1/namespaces/default/podtemplates', { accept: TABLE });
  assert.deepEqual(rb.columnDefinitions.map((c: any) => c.name), ['Name', 'Age']);
});

test('watch with the Table Accept streams one-row Tables', async () => {
  const list = await ok(h.api, 'GET', '/api/v1/namespaces/default/configmaps');
  const w = await watch(h.api, '/api/v1/namespaces/default/configmaps', { accept: TABLE, query: { watch: 'true', resourceVersion: list.metadata.resourceVersion } });
  try {
    await ok(h.api, 'POST', '/api/v1/namespaces/default/configmaps', { body: cm('watched') });
    const e = await w.next();
    assert.equal(e!.type, 'ADDED');
    const t = e!.object as any;
    assert.equal(t.kind, 'Table');
    assert.equal(t.rows.length, 1);
    assert.equal(t.rows[0].cells[0], 'watched');
  } finally {
    w.close();
  }
});

test('PartialObjectMetadata responses for metadata-only clients', async () => {
  const r = await call(h.api, 'GET', '/api/v1/namespaces/default/configmaps', { accept: 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json' });
  assert.equal(r.body.kind, 'PartialObjectMetadataList');
  assert.equal(r.body.items[0].kind, 'PartialObjectMetadata');
  assert.equal(r.body.items[0].data, undefined);
  assert.ok(r.body.items[0].metadata.name);
});
