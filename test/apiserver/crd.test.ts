/** CustomResourceDefinitions: validation, serving (discovery, CRUD, watch), schema validation and pruning, subresources, printer columns, deletion. */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApi, ok, fails, call, watch, eventually, type Harness } from './helpers/api.js';

let h: Harness;
before(async () => (h = await startApi('crd')));
after(async () => h.close());

const CRDS = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';
const WIDGETS = '/apis/example.com/v1/namespaces/default/widgets';

function widgetCrd(extra: Record<string, unknown> = {}) {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'widgets.example.com' },
    spec: {
      group: 'example.com',
      scope: 'Namespaced',
      names: { plural: 'widgets', singular: 'widget', kind: 'Widget', shortNames: ['wd'], categories: ['all'] },
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          subresources: { status: {}, scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.status.selector' } },
          additionalPrinterColumns: [
            { name: 'Size', type: 'integer', jsonPath: '.spec.size' },
            { name: 'Color', type: 'string', jsonPath: '.spec.color', priority: 1 },
            { name: 'Ready', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status' },
          ],
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: {
                spec: {
                  type: 'object',
                  required: ['size'],
                  properties: {
                    size: { type: 'integer', minimum: 1, maximum: 10 },
                    color: { type: 'string', enum: ['red', 'blue'], default: 'red' },
                    name: { type: 'string', pattern: '^[a-z]+$', maxLength: 8 },
                    replicas: { type: 'integer' },
                    tags: { type: 'array', items: { type: 'string' }, maxItems: 2 },
                    free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
                    port: { 'x-kubernetes-int-or-string': true },
                  },
                },
                status: { type: 'object', properties: { replicas: { type: 'integer' }, selector: { type: 'string' }, conditions: { type: 'array', items: { type: 'object', properties: { type: { type: 'string' }, status: { type: 'string' } } } } } },
              },
            },
          },
        },
        { name: 'v1beta1', served: true, storage: false, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } },
      ],
      ...extra,
    },
  };
}

const widget = (name: string, spec: Record<string, unknown>) => ({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name }, spec });

test('invalid CRDs are 422 with causes', async () => {
  const bad = widgetCrd() as any;
  bad.metadata.name = 'wrong.example.com';
  bad.spec.versions[1].storage = true;
  bad.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.size = { minimum: 1 };
  const st = await fails(h.api, 'POST', CRDS, 422, { body: bad }, 'Invalid');
  const fields = st.details.causes.map((c: any) => c.field);
  assert.ok(fields.includes('metadata.name'));
  assert.ok(fields.includes('spec.versions'));
  assert.ok(fields.some((f: string) => f.endsWith('properties[size].type')));
  const noGroup = widgetCrd() as any;
  noGroup.spec.group = 'nodot';
  noGroup.metadata.name = 'widgets.nodot';
  assert.ok((await fails(h.api, 'POST', CRDS, 422, { body: noGroup })).details.causes.some((c: any) => c.field === 'spec.group'));
  const scope = widgetCrd({ scope: 'Galaxy' });
  await fails(h.api, 'POST', CRDS, 422, { body: scope });
  await fails(h.api, 'GET', WIDGETS, 404);
});

test('a created CRD is Established and its resources are discoverable', async () => {
  const crd = await call(h.api, 'POST', CRDS, { body: widgetCrd() });
  assert.equal(crd.status, 201);
  const conds = crd.body.status.conditions.map((c: any) => [c.type, c.status]);
  assert.deepEqual(conds, [['NamesAccepted', 'True'], ['Established', 'True']]);
  assert.deepEqual(crd.body.status.storedVersions, ['v1']);
  assert.equal(crd.body.status.acceptedNames.kind, 'Widget');
  const apis = await ok(h.api, 'GET', '/apis');
  const g = apis.groups.find((x: any) => x.name === 'example.com');
  assert.deepEqual(g.versions.map((v: any) => v.version), ['v1', 'v1beta1']);
  const list = await ok(h.api, 'GET', '/apis/example.com/v1');
  const w = list.resources.find((r: any) => r.name === 'widgets');
  assert.deepEqual([w.kind, w.namespaced, w.shortNames, w.categories], ['Widget', true, ['wd'], ['all']]);
  assert.ok(list.resources.some((r: any) => r.name === 'widgets/status'));
  assert.ok(list.resources.some((r: any) => r.name === 'widgets/scale'));
  const agg = await call(h.api, 'GET', '/apis', { accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList' });
  assert.ok(agg.body.items.some((i: any) => i.metadata.name === 'example.com'));
  const idx = await ok(h.api, 'GET', '/openapi/v3');
  assert.ok(idx.paths['apis/example.com/v1']);
  const doc = await ok(h.api, 'GET', '/openapi/v3/apis/example.com/v1');
  const schema = Object.entries(doc.components.schemas).find(([k]) => k.endsWith('.Widget'))![1] as any;
  assert.deepEqual(schema['x-kubernetes-group-version-kind'], [{ group: 'example.com', version: 'v1', kind: 'Widget' }]);
});

test('custom resources: CRUD, defaults, schema validation with field paths', async () => {
  const c = await call(h.api, 'POST', WIDGETS, { body: widget('w1', { size: 3 }) });
  assert.equal(c.status, 201);
  assert.equal(c.body.spec.color, 'red', 'schema default applied');
  assert.equal(c.body.metadata.generation, 1);
  const st = await fails(h.api, 'POST', WIDGETS, 422, { body: widget('w2', { size: 'big', color: 'green', name: 'ABC', tags: ['a', 'b', 'c'] }) }, 'Invalid');
  const byField = Object.fromEntries(st.details.causes.map((c: any) => [c.field, c.message]));
  assert.match(byField['spec.size'], /must be of type integer/);
  assert.match(byField['spec.color'], /Unsupported value: "green"/);
  assert.match(byField['spec.name'], /should match/);
  assert.match(byField['spec.tags'], /Too many/);
  assert.match(st.message, /^Widget.example.com "w2" is invalid/);
  const req = await fails(h.api, 'POST', WIDGETS, 422, { body: widget('w3', {}) });
  assert.equal(req.details.causes[0].field, 'spec.size');
  assert.equal(req.details.causes[0].reason, 'FieldValueRequired');
  await fails(h.api, 'POST', WIDGETS, 422, { body: widget('w3', { size: 11 }) });
  assert.equal((await ok(h.api, 'POST', WIDGETS, { body: widget('w4', { size: 1, port: 'http' }) })).spec.port, 'http');
  await fails(h.api, 'POST', WIDGETS, 422, { body: widget('w5', { size: 1, port: true }) });
  const got = await ok(h.api, 'GET', `${WIDGETS}/w1`);
  const upd = await ok(h.api, 'PUT', `${WIDGETS}/w1`, { body: { ...got, spec: { ...got.spec, size: 4 } } });
  assert.equal(upd.metadata.generation, 2);
  await fails(h.api, 'PUT', `${WIDGETS}/w1`, 409, { body: { ...got, spec: { ...got.spec, size: 5 } } }, 'Conflict');
  const list = await ok(h.api, 'GET', WIDGETS);
  assert.equal(list.kind, 'WidgetList');
  assert.equal(list.apiVersion, 'example.com/v1');
  // The other served version reads the same objects.
  assert.equal((await ok(h.api, 'GET', '/apis/example.com/v1beta1/namespaces/default/widgets/w1')).apiVersion, 'example.com/v1beta1');
});

test('unknown fields are pruned; Strict rejects them, Warn warns; preserve-unknown-fields keeps them', async () => {
  const body = widget('p1', { size: 2, bogus: 1, free: { anything: { goes: true } } });
  const st = await fails(h.api, 'POST', WIDGETS, 400, { body, query: { fieldValidation: 'Strict' } }, 'BadRequest');
  assert.match(st.message, /strict decoding error: unknown field "spec.bogus"/);
  const w = await call(h.api, 'POST', WIDGETS, { body: { ...body, extraTop: 1 } });
  assert.equal(w.status, 201);
  assert.match(w.headers.warning ?? '', /unknown field \\"spec.bogus\\"/);
  assert.equal(w.body.spec.bogus, undefined);
  assert.equal(w.body.extraTop, undefined);
  assert.deepEqual(w.body.spec.free, { anything: { goes: true } });
});

test('status and scale subresources of a CRD', async () => {
  const w = await ok(h.api, 'POST', WIDGETS, { body: { ...widget('s1', { size: 2, replicas: 2 }), status: { replicas: 9 } } });
  assert.equal(w.status, undefined, 'status is dropped on create when the status subresource exists');
  const st = await ok(h.api, 'PUT', `${WIDGETS}/s1/status`, { body: { ...w, spec: { size: 9 }, status: { replicas: 2, selector: 'app=s1', conditions: [{ type: 'Ready', status: 'True' }] } } });
  assert.equal(st.status.replicas, 2);
  assert.equal(st.spec.size, 2, 'status writes leave spec alone');
  assert.equal(st.metadata.generation, 1);
  const main = await ok(h.api, 'PUT', `${WIDGETS}/s1`, { body: { ...st, status: { replicas: 100 } } });
  assert.equal(main.status.replicas, 2, 'main writes leave status alone');
  const scale = await ok(h.api, 'GET', `${WIDGETS}/s1/scale`);
  assert.deepEqual([scale.kind, scale.apiVersion, scale.spec.replicas, scale.status.replicas, scale.status.selector], ['Scale', 'autoscaling/v1', 2, 2, 'app=s1']);
  const scaled = await ok(h.api, 'PATCH', `${WIDGETS}/s1/scale`, { body: { spec: { replicas: 5 } }, contentType: 'application/merge-patch+json' });
  assert.equal(scaled.spec.replicas, 5);
  assert.equal((await ok(h.api, 'GET', `${WIDGETS}/s1`)).spec.replicas, 5);
  const patched = await ok(h.api, 'PATCH', `${WIDGETS}/s1/status`, { body: { status: { replicas: 5 } }, contentType: 'application/merge-patch+json' });
  assert.equal(patched.status.replicas, 5);
});

test('printer columns from additionalPrinterColumns, including wide and JSONPath filters', async () => {
  const t = await ok(h.api, 'GET', WIDGETS, { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io', query: { fieldSelector: 'metadata.name=s1' } });
  assert.deepEqual(t.columnDefinitions.map((c: any) => [c.name, c.priority]), [['Name', 0], ['Size', 0], ['Color', 1], ['Ready', 0]]);
  assert.deepEqual(t.rows[0].cells, ['s1', 2, 'red', 'True']);
});

test('custom resources are watchable', async () => {
  const list = await ok(h.api, 'GET', WIDGETS);
  const w = await watch(h.api, WIDGETS, { query: { watch: 'true', resourceVersion: list.metadata.resourceVersion } });
  try {
    await ok(h.api, 'POST', WIDGETS, { body: widget('watched', { size: 1 }) });
    const e = await w.next();
    assert.equal(e!.type, 'ADDED');
    assert.equal((e!.object as any).kind, 'Widget');
  } finally {
    w.close();
  }
});

test('cluster-scoped CRDs and a second group', async () => {
  await ok(h.api, 'POST', CRDS, {
    body: { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'regions.geo.example.org' }, spec: { group: 'geo.example.org', scope: 'Cluster', names: { plural: 'regions', kind: 'Region' }, versions: [{ name: 'v1alpha1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }] } },
  });
  const r = await ok(h.api, 'POST', '/apis/geo.example.org/v1alpha1/regions', { body: { apiVersion: 'geo.example.org/v1alpha1', kind: 'Region', metadata: { name: 'eu' }, anything: [1, 2] } });
  assert.deepEqual(r.anything, [1, 2]);
  await fails(h.api, 'GET', '/apis/geo.example.org/v1alpha1/namespaces/default/regions', 404);
  const t = await ok(h.api, 'GET', '/apis/geo.example.org/v1alpha1/regions', { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' });
  assert.deepEqual(t.columnDefinitions.map((c: any) => c.name), ['Name', 'Age']);
});

test('deleting a CRD deletes its custom resources, then stops serving them', async () => {
  const before = await ok(h.api, 'GET', WIDGETS);
  assert.ok(before.items.length > 0);
  const w = await watch(h.api, WIDGETS, { query: { watch: 'true', resourceVersion: before.metadata.resourceVersion } });
  const del = await ok(h.api, 'DELETE', `${CRDS}/widgets.example.com`);
  assert.ok(del.metadata.deletionTimestamp);
  await eventually(async () => (await call(h.api, 'GET', `${CRDS}/widgets.example.com`)).status === 404, 'CRD gone');
  await fails(h.api, 'GET', WIDGETS, 404);
  // Open watches of its resources end (after the DELETED events of the cleanup).
  for (let i = 0; ; i++) {
    const e = await w.next();
    if (e === null) break;
    assert.equal(e.type, 'DELETED');
    assert.ok(i < 100);
  }
  const keys = await h.kv.list('/registry/example.com/widgets/');
  assert.equal(keys.items.length, 0);
  const apis = await ok(h.api, 'GET', '/apis');
  assert.ok(!apis.groups.some((g: any) => g.name === 'example.com'));
  // Re-creating it starts empty.
  await ok(h.api, 'POST', CRDS, { body: widgetCrd() });
  assert.equal((await ok(h.api, 'GET', WIDGETS)).items.length, 0);
});

test('CRDs are served again after an API server restart', async () => {
  await h.api.close();
  const { createApiServer } = await import('../../src/orchestrator/apiserver/index.js');
  h.api = await createApiServer({ kv: h.kv });
  await ok(h.api, 'POST', WIDGETS, { body: widget('after', { size: 1 }) });
  assert.equal((await ok(h.api, 'GET', '/apis/geo.example.org/v1alpha1/regions/eu')).metadata.name, 'eu');
});
