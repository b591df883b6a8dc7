/** Bad input of every shape to every kind: always a 4xx Status, never a 500 or a crash, and nothing stored. */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApi, call, ok, type Harness } from './helpers/api.js';
import { BUILTIN_RESOURCES } from '../../src/api/k8s/resources/index.js';

let h: Harness;
before(async () => (h = await startApi('hostile')));
after(async () => h.close());

const weird: unknown[] = [null, 7, 'text', [], [1, 2], true, {}, { metadata: 'x' }, { metadata: { name: 5 } }, { metadata: { name: 'ok', labels: 'x' } }, { metadata: { name: 'ok', labels: { a: 1 } } },
  { metadata: { name: 'ok', annotations: [] } }, { metadata: { name: 'ok', ownerReferences: 'x' } }, { metadata: { name: 'ok', ownerReferences: [null] } }, { metadata: { name: 'ok', finalizers: 'x' } },
  { metadata: { name: 'ok', finalizers: [1] } }, { metadata: { name: 'ok' }, spec: 'x' }, { metadata: { name: 'ok' }, spec: [] }, { metadata: { name: 'ok' }, spec: { template: 'x', selector: 'y', containers: 'z', ports: 'p' } },
  { metadata: { name: 'ok' }, spec: { containers: [null, 'x', { name: 1, image: 2, ports: [null], env: [null], volumeMounts: [null] }], volumes: [null, { name: 3 }] } },
  { metadata: { name: 'ok' }, data: 'x' }, { metadata: { name: 'ok' }, data: { k: 5 } }, { metadata: { name: 'ok' }, spec: { ports: [null, { port: 'x' }], selector: 'x' } },
  { metadata: { name: 'x'.repeat(300) } }, { metadata: { name: '../etc' } }, { metadata: { name: 'ok', namespace: 5 } }, { metadata: { generateName: 7 } }];

test('malformed bodies never produce a 5xx on create, update or patch', async () => {
  const before = await h.kv.currentRevision();
  const targets = BUILTIN_RESOURCES.filter((r) => !r.virtual && r.verbs.includes('create'));
  for (const r of targets) {
    const base = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
    const path = r.namespaced ? `${base}/namespaces/default/${r.plural}` : `${base}/${r.plural}`;
    for (const body of weird) {
      const res = await call(h.api, 'POST', path, { body });
      assert.ok(res.status >= 400 && res.status < 500 || res.status === 201, `POST ${path} ${JSON.stringify(body).slice(0, 80)} → ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
      if (res.status === 201) await ok(h.api, 'DELETE', `${path}/${res.body.metadata.name}`, { query: { gracePeriodSeconds: '0' } });
    }
    for (const [ct, doc] of [['application/merge-patch+json', '{"metadata":'], ['application/json-patch+json', '{"op":"x"}'], ['application/json-patch+json', '[{"op":"move","from":"/nope","path":"/x"}]'], ['application/strategic-merge-patch+json', '[]'], ['application/apply-patch+yaml', '- a'], ['application/apply-patch+yaml', 'kind: [']] as const) {
      const res = await call(h.api, 'PATCH', `${path}/ok`, { body: doc, contentType: ct, query: { fieldManager: 'x' } });
      assert.ok(res.status >= 400 && res.status < 500, `PATCH ${path}: ${res.status}`);
    }
    const put = await call(h.api, 'PUT', `${path}/ok`, { body: 'x' });
    assert.ok(put.status >= 400 && put.status < 500);
  }
  // Writes to existing objects with hostile patches fail cleanly too.
  await ok(h.api, 'POST', '/api/v1/namespaces/default/configmaps', { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'target' } } });
  const mid = await h.kv.currentRevision();
  for (const [ct, doc] of [['application/merge-patch+json', '{"metadata":null}'], ['application/merge-patch+json', '{"metadata":{"name":"other"}}'], ['application/json-patch+json', '[{"op":"remove","path":"/metadata"}]'], ['application/json-patch+json', '[{"op":"replace","path":"","value":5}]'], ['application/strategic-merge-patch+json', '{"data":{"$patch":"explode"}}'], ['application/merge-patch+json', '{"data":[1]}']] as const) {
    const res = await call(h.api, 'PATCH', '/api/v1/namespaces/default/configmaps/target', { body: doc, contentType: ct });
    assert.ok(res.status >= 400 && res.status < 500, `PATCH ${doc} → ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
  }
  assert.equal(await h.kv.currentRevision(), mid, 'failed patches store nothing');
  assert.ok(mid > before);
});

test('hostile query parameters are 4xx', async () => {
  const cases: Array<Record<string, string>> = [{ limit: '-5' }, { limit: 'abc' }, { continue: '%%%' }, { resourceVersion: 'abc' }, { resourceVersionMatch: 'Sometimes', resourceVersion: '1' }, { labelSelector: '=== ' }, { fieldSelector: '!!' }, { watch: 'true', timeoutSeconds: '-1' }, { watch: 'true', resourceVersion: 'x' }];
  for (const q of cases) {
    const res = await call(h.api, 'GET', '/api/v1/namespaces/default/configmaps', { query: q });
    assert.ok((res.status >= 400 && res.status < 500) || res.status === 200, `${JSON.stringify(q)} → ${res.status} ${JSON.stringify(res.body)}`);
  }
  const del = await call(h.api, 'DELETE', '/api/v1/namespaces/default/configmaps/none', { query: { gracePeriodSeconds: 'soon' } });
  assert.equal(del.status, 400);
  const fm = await call(h.api, 'POST', '/api/v1/namespaces/default/configmaps', { body: { metadata: { name: 'x' } }, query: { fieldManager: 'm'.repeat(200) } });
  assert.equal(fm.status, 400);
});
