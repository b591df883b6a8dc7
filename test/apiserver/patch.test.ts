/** PATCH dispatch: JSON patch, merge patch, strategic merge patch, server-side apply (create, update, conflicts, force), errors. */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApi, ok, fails, call, cm, deployment, type Harness } from './helpers/api.js';

let h: Harness;
before(async () => (h = await startApi('patch')));
after(async () => h.close());

const CM = '/api/v1/namespaces/default/configmaps';
const DEPLOY = '/apis/apps/v1/namespaces/default/deployments';
const JSONP = 'application/json-patch+json';
const MERGE = 'application/merge-patch+json';
const SMP = 'application/strategic-merge-patch+json';
const APPLY = 'application/apply-patch+yaml';

test('merge patch (kubectl label/annotate) and JSON patch (rollout undo)', async () => {
  await ok(h.api, 'POST', CM, { body: cm('m', { a: '1', b: '2' }) });
  const labelled = await ok(h.api, 'PATCH', `${CM}/m`, { body: { metadata: { labels: { tier: 'fe' } }, data: { b: null, c: '3' } }, contentType: MERGE });
  assert.deepEqual(labelled.metadata.labels, { tier: 'fe' });
  assert.deepEqual(labelled.data, { a: '1', c: '3' });
  const jp = await ok(h.api, 'PATCH', `${CM}/m`, { body: [{ op: 'replace', path: '/data/a', value: 'x' }, { op: 'add', path: '/metadata/annotations', value: { n: 'v' } }], contentType: JSONP });
  assert.equal(jp.data.a, 'x');
  assert.deepEqual(jp.metadata.annotations, { n: 'v' });
  await fails(h.api, 'PATCH', `${CM}/m`, 422, { body: [{ op: 'test', path: '/data/a', value: 'nope' }], contentType: JSONP });
  await fails(h.api, 'PATCH', `${CM}/m`, 400, { body: '{not json', contentType: MERGE }, 'BadRequest');
  await fails(h.api, 'PATCH', `${CM}/m`, 415, { body: {}, contentType: 'text/plain' }, 'UnsupportedMediaType');
  await fails(h.api, 'PATCH', `${CM}/absent`, 404, { body: { data: {} }, contentType: MERGE }, 'NotFound');
  // A patch pinning a stale resourceVersion conflicts.
  await fails(h.api, 'PATCH', `${CM}/m`, 409, { body: { metadata: { resourceVersion: '2' }, data: { a: 'y' } }, contentType: MERGE }, 'Conflict');
  // Patches still go through validation.
  await fails(h.api, 'PATCH', `${CM}/m`, 422, { body: { metadata: { labels: { 'bad key!': 'v' } } }, contentType: MERGE }, 'Invalid');
});

test('strategic merge patch merges containers by name (kubectl set image / apply)', async () => {
  const d = deployment('smp') as any;
  d.spec.template.spec.containers.push({ name: 'side', image: 'busybox:1' });
  await ok(h.api, 'POST', DEPLOY, { body: d });
  const p = await ok(h.api, 'PATCH', `${DEPLOY}/smp`, { body: { spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx:1.28' }] } } } }, contentType: SMP });
  assert.deepEqual(p.spec.template.spec.containers.map((c: any) => [c.name, c.image]), [['web', 'nginx:1.28'], ['side', 'busybox:1']]);
  assert.equal(p.metadata.generation, 2);
  const restart = await ok(h.api, 'PATCH', `${DEPLOY}/smp`, { body: { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-01-01T00:00:00Z' } } } } }, contentType: SMP });
  assert.equal(restart.spec.template.metadata.annotations['kubectl.kubernetes.io/restartedAt'], '2026-01-01T00:00:00Z');
  const del = await ok(h.api, 'PATCH', `${DEPLOY}/smp`, { body: { spec: { template: { spec: { containers: [{ name: 'side', $patch: 'delete' }] } } } }, contentType: SMP });
  assert.deepEqual(del.spec.template.spec.containers.map((c: any) => c.name), ['web']);
});

test('server-side apply creates (201), updates (200), records managedFields and reports conflicts', async () => {
  const applied = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ssa' }, data: { owned: 'by-kubectl' } };
  const created = await call(h.api, 'PATCH', `${CM}/ssa`, { body: JSON.stringify(applied), contentType: APPLY, query: { fieldManager: 'kubectl', fieldValidation: 'Strict', force: 'false' } });
  assert.equal(created.status, 201);
  assert.equal(created.body.data.owned, 'by-kubectl');
  const mf = created.body.metadata.managedFields;
  assert.equal(mf.length, 1);
  assert.equal(mf[0].manager, 'kubectl');
  assert.equal(mf[0].operation, 'Apply');
  assert.ok(mf[0].fieldsV1['f:data']['f:owned']);
  const again = await call(h.api, 'PATCH', `${CM}/ssa`, { body: JSON.stringify({ ...applied, data: { owned: 'v2' } }), contentType: APPLY, query: { fieldManager: 'kubectl' } });
  assert.equal(again.status, 200);
  assert.equal(again.body.data.owned, 'v2');
  // Another manager changing the same field conflicts unless forced.
  const st = await fails(h.api, 'PATCH', `${CM}/ssa`, 409, { body: JSON.stringify({ ...applied, data: { owned: 'helm' } }), contentType: APPLY, query: { fieldManager: 'helm', force: 'false' } }, 'Conflict');
  assert.ok(st.details.causes.some((c: any) => c.field.includes('data') && /kubectl/.test(c.message)));
  const forced = await ok(h.api, 'PATCH', `${CM}/ssa`, { body: JSON.stringify({ ...applied, data: { owned: 'helm' } }), contentType: APPLY, query: { fieldManager: 'helm', force: 'true' } });
  assert.equal(forced.data.owned, 'helm');
  // YAML bodies work; apply needs a field manager given explicitly.
  const yaml = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa-yaml\ndata:\n  k: v\n';
  const y = await call(h.api, 'PATCH', `${CM}/ssa-yaml`, { body: yaml, contentType: APPLY, query: { fieldManager: 'kubectl' } });
  assert.equal(y.status, 201);
  assert.equal(y.body.data.k, 'v');
  await fails(h.api, 'PATCH', `${CM}/ssa-yaml`, 400, { body: 'a: [unclosed', contentType: APPLY, query: { fieldManager: 'kubectl' } }, 'BadRequest');
  await fails(h.api, 'PATCH', `${CM}/ssa-x`, 422, { body: JSON.stringify({ metadata: { name: 'ssa-x' } }), contentType: APPLY, query: { fieldManager: 'kubectl' } }, 'Invalid');
  await fails(h.api, 'PATCH', `${CM}/m`, 400, { body: { data: {} }, contentType: MERGE, query: { force: 'true' } }, 'BadRequest');
});

test('updates after apply record an Update manager; dry-run apply stores nothing', async () => {
  const c = await ok(h.api, 'GET', `${CM}/ssa`);
  const u = await ok(h.api, 'PUT', `${CM}/ssa`, { body: { ...c, data: { ...c.data, extra: '1' } }, query: { fieldManager: 'editor' } });
  assert.ok(u.metadata.managedFields.some((e: any) => e.manager === 'editor' && e.operation === 'Update'));
  const dry = await call(h.api, 'PATCH', `${CM}/ssa-dry`, { body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ssa-dry' } }), contentType: APPLY, query: { fieldManager: 'kubectl', dryRun: 'All' } });
  assert.equal(dry.status, 201);
  await fails(h.api, 'GET', `${CM}/ssa-dry`, 404);
});

test('strategic merge patch on a custom resource is 415 like kube', async () => {
  await ok(h.api, 'POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', {
    body: {
      apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'gadgets.example.com' },
      spec: { group: 'example.com', scope: 'Namespaced', names: { plural: 'gadgets', kind: 'Gadget' }, versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } } } } }] },
    },
  });
  await ok(h.api, 'POST', '/apis/example.com/v1/namespaces/default/gadgets', { body: { apiVersion: 'example.com/v1', kind: 'Gadget', metadata: { name: 'g' }, spec: { size: 1 } } });
  await fails(h.api, 'PATCH', '/apis/example.com/v1/namespaces/default/gadgets/g', 415, { body: { spec: { size: 2 } }, contentType: SMP }, 'UnsupportedMediaType');
  const m = await ok(h.api, 'PATCH', '/apis/example.com/v1/namespaces/default/gadgets/g', { body: { spec: { size: 2 } }, contentType: MERGE });
  assert.equal(m.spec.size, 2);
  assert.equal(m.metadata.generation, 2);
  const a = await ok(h.api, 'PATCH', '/apis/example.com/v1/namespaces/default/gadgets/g', { body: JSON.stringify({ apiVersion: 'example.com/v1', kind: 'Gadget', metadata: { name: 'g' }, spec: { size: 3 } }), contentType: APPLY, query: { fieldManager: 'kubectl', force: 'true' } });
  assert.equal(a.spec.size, 3);
});

test('concurrent patches to one object all land (conflicts are retried on a fresh read)', async () => {
  await ok(h.api, 'POST', CM, { body: cm('busy') });
  await Promise.all(Array.from({ length: 8 }, (_, i) => ok(h.api, 'PATCH', `${CM}/busy`, { body: { metadata: { labels: { [`l${i}`]: 'x' } } }, contentType: MERGE })));
  const got = await ok(h.api, 'GET', `${CM}/busy`);
  assert.equal(Object.keys(got.metadata.labels).length, 8);
  const names = await Promise.all(Array.from({ length: 8 }, () => ok(h.api, 'POST', CM, { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'par-' } } })));
  assert.equal(new Set(names.map((n) => n.metadata.name)).size, 8);
});
