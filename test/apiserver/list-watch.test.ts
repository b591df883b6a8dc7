/** LIST (selectors, pagination, resourceVersion semantics) and WATCH (start points, transitions, bookmarks, WatchList, 410). */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApi, ok, fails, watch, cm, type Harness } from './helpers/api.js';

let h: Harness;
before(async () => {
  h = await startApi('listwatch', { bookmarkIntervalMs: 200, maxQueuedWatchEvents: 20 });
  await ok(h.api, 'POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'lw' } } });
  for (let i = 0; i < 12; i++) {
    await ok(h.api, 'POST', '/api/v1/namespaces/lw/configmaps', { body: cm(`cm-${String(i).padStart(2, '0')}`, {}, { labels: { parity: i % 2 ? 'odd' : 'even', tier: i < 6 ? 'low' : 'high' } }) });
  }
});
after(async () => h.close());

const CM = '/api/v1/namespaces/lw/configmaps';
const names = (list: any) => list.items.map((i: any) => i.metadata.name);

test('list returns a typed list with items carrying kind/apiVersion and the list resourceVersion', async () => {
  const list = await ok(h.api, 'GET', CM);
  assert.equal(list.kind, 'ConfigMapList');
  assert.equal(list.apiVersion, 'v1');
  assert.equal(list.items.length, 12);
  assert.equal(list.items[0].kind, 'ConfigMap');
  assert.equal(list.metadata.resourceVersion, String(await h.kv.currentRevision()));
  const all = await ok(h.api, 'GET', '/api/v1/configmaps');
  assert.ok(all.items.length >= 12);
});

test('label selectors: equality, inequality, set-based, existence', async () => {
  assert.equal((await ok(h.api, 'GET', CM, { query: { labelSelector: 'parity=odd' } })).items.length, 6);
  assert.equal((await ok(h.api, 'GET', CM, { query: { labelSelector: 'parity!=odd,tier=low' } })).items.length, 3);
  assert.equal((await ok(h.api, 'GET', CM, { query: { labelSelector: 'tier in (low),parity notin (even)' } })).items.length, 3);
  assert.equal((await ok(h.api, 'GET', CM, { query: { labelSelector: '!parity' } })).items.length, 0);
  assert.equal((await ok(h.api, 'GET', CM, { query: { labelSelector: 'parity' } })).items.length, 12);
  await fails(h.api, 'GET', CM, 400, { query: { labelSelector: 'a in (b' } }, 'BadRequest');
});

test('field selectors: metadata.name/namespace, kind-specific fields, unknown fields rejected', async () => {
  assert.deepEqual(names(await ok(h.api, 'GET', CM, { query: { fieldSelector: 'metadata.name=cm-03' } })), ['cm-03']);
  assert.equal((await ok(h.api, 'GET', '/api/v1/configmaps', { query: { fieldSelector: 'metadata.namespace=lw' } })).items.length, 12);
  assert.equal((await ok(h.api, 'GET', CM, { query: { fieldSelector: 'metadata.name!=cm-03' } })).items.length, 11);
  const st = await fails(h.api, 'GET', CM, 400, { query: { fieldSelector: 'data.a=1' } }, 'BadRequest');
  assert.match(st.message, /field label not supported: data\.a/);
  const pod = (name: string, node: string, phase: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { nodeName: node, containers: [{ name: 'c', image: 'busybox' }] }, status: { phase } });
  for (const [n, node] of [['p1', 'node-a'], ['p2', 'node-b']]) {
    const p = await ok(h.api, 'POST', '/api/v1/namespaces/lw/pods', { body: pod(n!, node!, 'Running') });
    await ok(h.api, 'PUT', `/api/v1/namespaces/lw/pods/${n}/status`, { body: { ...p, status: { phase: n === 'p1' ? 'Running' : 'Pending' } } });
  }
  assert.deepEqual(names(await ok(h.api, 'GET', '/api/v1/pods', { query: { fieldSelector: 'spec.nodeName=node-a' } })), ['p1']);
  assert.deepEqual(names(await ok(h.api, 'GET', '/api/v1/namespaces/lw/pods', { query: { fieldSelector: 'status.phase=Pending' } })), ['p2']);
  const ev = { apiVersion: 'v1', kind: 'Event', metadata: { name: 'e1' }, involvedObject: { kind: 'Pod', name: 'p1', namespace: 'lw', uid: 'u1' }, reason: 'Started', type: 'Normal', message: 'hi' };
  await ok(h.api, 'POST', '/api/v1/namespaces/lw/events', { body: ev });
  assert.deepEqual(names(await ok(h.api, 'GET', '/api/v1/namespaces/lw/events', { query: { fieldSelector: 'involvedObject.name=p1,involvedObject.namespace=lw,involvedObject.uid=u1' } })), ['e1']);
  await ok(h.api, 'DELETE', '/api/v1/namespaces/lw/pods/p1', { query: { gracePeriodSeconds: '0' } });
  await ok(h.api, 'DELETE', '/api/v1/namespaces/lw/pods/p2', { query: { gracePeriodSeconds: '0' } });
});

test('limit/continue pages consistently at the first page\'s revision', async () => {
  const p1 = await ok(h.api, 'GET', CM, { query: { limit: '5' } });
  assert.equal(p1.items.length, 5);
  assert.ok(p1.metadata.continue);
  // A write between pages is not visible in later pages (snapshot semantics).
  await ok(h.api, 'POST', `${CM}`, { body: cm('cm-99') });
  const p2 = await ok(h.api, 'GET', CM, { query: { limit: '5', continue: p1.metadata.continue } });
  const p3 = await ok(h.api, 'GET', CM, { query: { limit: '5', continue: p2.metadata.continue } });
  assert.equal(p3.metadata.continue, undefined);
  const seen = [...names(p1), ...names(p2), ...names(p3)];
  assert.equal(seen.length, 12);
  assert.equal(new Set(seen).size, 12);
  assert.ok(!seen.includes('cm-99'));
  assert.equal(p2.metadata.resourceVersion, p1.metadata.resourceVersion);
  // Selectors with limit fill pages from matching items only.
  const odd = await ok(h.api, 'GET', CM, { query: { limit: '4', labelSelector: 'parity=odd' } });
  assert.equal(odd.items.length, 4);
  const rest = await ok(h.api, 'GET', CM, { query: { limit: '4', labelSelector: 'parity=odd', continue: odd.metadata.continue } });
  assert.equal(rest.items.length, 2);
  assert.equal(rest.metadata.continue, undefined);
  await fails(h.api, 'GET', CM, 400, { query: { continue: 'garbage!' } }, 'BadRequest');
  await fails(h.api, 'GET', CM, 400, { query: { continue: p1.metadata.continue, resourceVersion: '5' } }, 'BadRequest');
  await ok(h.api, 'DELETE', `${CM}/cm-99`);
});

test('resourceVersion semantics: Exact reads the past, NotOlderThan, too large, match without version', async () => {
  const before = await ok(h.api, 'GET', CM);
  await ok(h.api, 'POST', CM, { body: cm('later') });
  const exact = await ok(h.api, 'GET', CM, { query: { resourceVersion: before.metadata.resourceVersion, resourceVersionMatch: 'Exact' } });
  assert.equal(exact.items.length, before.items.length);
  assert.equal(exact.metadata.resourceVersion, before.metadata.resourceVersion);
  const newer = await ok(h.api, 'GET', CM, { query: { resourceVersion: before.metadata.resourceVersion, resourceVersionMatch: 'NotOlderThan' } });
  assert.equal(newer.items.length, before.items.length + 1);
  assert.equal((await ok(h.api, 'GET', CM, { query: { resourceVersion: '0' } })).items.length, before.items.length + 1);
  const big = await fails(h.api, 'GET', CM, 504, { query: { resourceVersion: '99999999' } });
  assert.match(big.message, /Too large resource version/);
  await fails(h.api, 'GET', CM, 400, { query: { resourceVersionMatch: 'Exact' } }, 'BadRequest');
  await ok(h.api, 'DELETE', `${CM}/later`);
});

test('watch from a resourceVersion delivers ADDED/MODIFIED/DELETED in order', async () => {
  const list = await ok(h.api, 'GET', CM);
  const w = await watch(h.api, CM, { query: { watch: 'true', resourceVersion: list.metadata.resourceVersion } });
  try {
    const c = await ok(h.api, 'POST', CM, { body: cm('w1') });
    await ok(h.api, 'PUT', `${CM}/w1`, { body: { ...c, data: { a: '2' } } });
    await ok(h.api, 'DELETE', `${CM}/w1`);
    const e1 = await w.next();
    const e2 = await w.next();
    const e3 = await w.next();
    assert.deepEqual([e1!.type, e2!.type, e3!.type], ['ADDED', 'MODIFIED', 'DELETED']);
    const o1 = e1!.object as any;
    assert.equal(o1.kind, 'ConfigMap');
    assert.equal(o1.metadata.name, 'w1');
    assert.equal((e2!.object as any).data.a, '2');
    assert.ok(Number((e3!.object as any).metadata.resourceVersion) > Number((e2!.object as any).metadata.resourceVersion));
  } finally {
    w.close();
  }
});

test('watch without resourceVersion starts with ADDED for the current state; selectors turn transitions into ADDED/DELETED', async () => {
  const w = await watch(h.api, CM, { query: { watch: '1', labelSelector: 'tier=high,parity=even' } });
  try {
    const initial = [await w.next(), await w.next(), await w.next()];
    assert.deepEqual(initial.map((e) => e!.type), ['ADDED', 'ADDED', 'ADDED']);
    const c = await ok(h.api, 'GET', `${CM}/cm-06`);
    await ok(h.api, 'PUT', `${CM}/cm-06`, { body: { ...c, metadata: { ...c.metadata, labels: { tier: 'low', parity: 'even' } } } });
    const left = await w.next();
    assert.equal(left!.type, 'DELETED');
    assert.equal((left!.object as any).metadata.name, 'cm-06');
    const c2 = await ok(h.api, 'GET', `${CM}/cm-06`);
    await ok(h.api, 'PUT', `${CM}/cm-06`, { body: { ...c2, metadata: { ...c2.metadata, labels: { tier: 'high', parity: 'even' } } } });
    const back = await w.next();
    assert.equal(back!.type, 'ADDED');
  } finally {
    w.close();
  }
});

test('bookmarks: periodic when allowed; WatchList sends initial events then the initial-events-end bookmark', async () => {
  const w = await watch(h.api, CM, { query: { watch: 'true', sendInitialEvents: 'true', resourceVersionMatch: 'NotOlderThan', allowWatchBookmarks: 'true', resourceVersion: '' } });
  try {
    const events = [];
    for (;;) {
      const e = await w.next();
      events.push(e!);
      if (e!.type === 'BOOKMARK') break;
    }
    const added = events.filter((e) => e.type === 'ADDED');
    assert.equal(added.length, 12);
    const bm = events[events.length - 1]!.object as any;
    assert.equal(bm.metadata.annotations['k8s.io/initial-events-end'], 'true');
    assert.equal(bm.kind, 'ConfigMap');
    assert.ok(Number(bm.metadata.resourceVersion) > 0);
    const periodic = await w.next(2000);
    assert.equal(periodic!.type, 'BOOKMARK');
    assert.equal((periodic!.object as any).metadata.annotations, undefined);
  } finally {
    w.close();
  }
  await fails(h.api, 'GET', CM, 422, { query: { watch: 'true', sendInitialEvents: 'true' } }, 'Invalid');
  await fails(h.api, 'GET', CM, 422, { query: { watch: 'true', sendInitialEvents: 'true', resourceVersionMatch: 'NotOlderThan' } }, 'Invalid');
});

test('sendInitialEvents=false starts with changes from now', async () => {
  const w = await watch(h.api, CM, { query: { watch: 'true', sendInitialEvents: 'false', resourceVersionMatch: 'NotOlderThan' } });
  try {
    await ok(h.api, 'POST', CM, { body: cm('fresh') });
    const e = await w.next();
    assert.equal(e!.type, 'ADDED');
    assert.equal((e!.object as any).metadata.name, 'fresh');
  } finally {
    w.close();
  }
  await ok(h.api, 'DELETE', `${CM}/fresh`);
});

test('legacy /watch/ paths and single-object watches', async () => {
  const cur = await ok(h.api, 'GET', `${CM}/cm-01`);
  const w = await watch(h.api, '/api/v1/watch/namespaces/lw/configmaps/cm-01', { query: { resourceVersion: cur.metadata.resourceVersion } });
  try {
    await ok(h.api, 'PUT', `${CM}/cm-02`, { body: { ...(await ok(h.api, 'GET', `${CM}/cm-02`)), data: { z: '1' } } });
    await ok(h.api, 'PUT', `${CM}/cm-01`, { body: { ...cur, data: { z: '1' } } });
    const e = await w.next();
    assert.equal(e!.type, 'MODIFIED');
    assert.equal((e!.object as any).metadata.name, 'cm-01');
  } finally {
    w.close();
  }
});

test('timeoutSeconds ends the stream; abort ends it too', async () => {
  const w = await watch(h.api, CM, { query: { watch: 'true', resourceVersion: String(await h.kv.currentRevision()), timeoutSeconds: '1' } });
  const t0 = Date.now();
  assert.equal(await w.next(3000), null);
  assert.ok(Date.now() - t0 >= 900);
  const w2 = await watch(h.api, CM, { query: { watch: 'true', resourceVersion: String(await h.kv.currentRevision()) } });
  w2.close();
  assert.equal(await w2.next(1000), null);
});

test('a watcher that does not read is cut off after its queue limit, losing nothing it was sent', async () => {
  const start = String(await h.kv.currentRevision());
  const w = await watch(h.api, CM, { query: { watch: 'true', resourceVersion: start } });
  for (let i = 0; i < 30; i++) await ok(h.api, 'POST', CM, { body: cm(`burst-${i}`) });
  const got = [];
  for (;;) {
    const e = await w.next();
    if (!e) break;
    got.push(e);
  }
  assert.ok(got.length >= 20 && got.length < 30, `ended after ${got.length} events`);
  // Resuming from the last one seen delivers the rest, in order.
  const last = (got[got.length - 1]!.object as any).metadata.resourceVersion;
  const w2 = await watch(h.api, CM, { query: { watch: 'true', resourceVersion: last } });
  const rest = [];
  for (let i = got.length; i < 30; i++) rest.push(await w2.next());
  w2.close();
  const names = [...got, ...rest].map((e) => (e!.object as any).metadata.name);
  assert.deepEqual(names, Array.from({ length: 30 }, (_, i) => `burst-${i}`));
  for (let i = 0; i < 30; i++) await ok(h.api, 'DELETE', `${CM}/burst-${i}`);
});

test('watch and list from a compacted revision: 410 Expired', async () => {
  const old = await ok(h.api, 'GET', CM);
  const p1 = await ok(h.api, 'GET', CM, { query: { limit: '2' } });
  for (let i = 0; i < 3; i++) await ok(h.api, 'POST', CM, { body: cm(`compact-${i}`) });
  await h.kv.compact(await h.kv.currentRevision());
  const w = await watch(h.api, CM, { query: { watch: 'true', resourceVersion: old.metadata.resourceVersion } });
  const e = await w.next();
  assert.equal(e!.type, 'ERROR');
  assert.equal((e!.object as any).code, 410);
  assert.equal((e!.object as any).reason, 'Expired');
  assert.equal(await w.next(), null);
  const st = await fails(h.api, 'GET', CM, 410, { query: { limit: '2', continue: p1.metadata.continue } }, 'Expired');
  assert.match(st.message, /continue parameter is too old/);
  await fails(h.api, 'GET', CM, 410, { query: { resourceVersion: old.metadata.resourceVersion, resourceVersionMatch: 'Exact' } }, 'Expired');
});
