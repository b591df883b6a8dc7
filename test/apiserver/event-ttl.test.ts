/** Events expire after the event TTL (kube's --event-ttl), as a normal deletion watchers see. */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApi, ok, call, watch, eventually, type Harness } from './helpers/api.js';

let h: Harness;
before(async () => (h = await startApi('eventttl', { eventTtlSeconds: 1 })));
after(async () => h.close());

test('events expire; other objects do not', async () => {
  const list = await ok(h.api, 'GET', '/api/v1/namespaces/default/events');
  const w = await watch(h.api, '/api/v1/namespaces/default/events', { query: { watch: 'true', resourceVersion: list.metadata.resourceVersion } });
  try {
    await ok(h.api, 'POST', '/apis/events.k8s.io/v1/namespaces/default/events', { body: { apiVersion: 'events.k8s.io/v1', kind: 'Event', metadata: { name: 'short' }, eventTime: '2026-01-01T00:00:00.000000Z', reportingController: 'test', reportingInstance: 'i', action: 'Test', reason: 'Test', regarding: { kind: 'Pod', name: 'p' }, type: 'Normal' } });
    await ok(h.api, 'POST', '/api/v1/namespaces/default/configmaps', { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'stays' } } });
    assert.equal((await w.next())!.type, 'ADDED');
    const gone = await w.next(8000);
    assert.equal(gone!.type, 'DELETED');
    assert.equal((gone!.object as any).metadata.name, 'short');
  } finally {
    w.close();
  }
  await eventually(async () => (await call(h.api, 'GET', '/api/v1/namespaces/default/events/short')).status === 404, 'event gone');
  await ok(h.api, 'GET', '/api/v1/namespaces/default/configmaps/stays');
});
