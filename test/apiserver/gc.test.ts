/** Finalizers, deletionTimestamp, propagation policies, the garbage collector, namespace and CRD deletion. */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApi, ok, fails, call, cm, eventually, type Harness } from './helpers/api.js';

let h: Harness;
before(async () => (h = await startApi('gc')));
after(async () => h.close());

const CM = '/api/v1/namespaces/default/configmaps';
const gone = async (path: string) => (await call(h.api, 'GET', path)).status === 404;

function owned(name: string, owner: any, extra: Record<string, unknown> = {}) {
  return cm(name, {}, { ownerReferences: [{ apiVersion: owner.apiVersion, kind: owner.kind, name: owner.metadata.name, uid: owner.metadata.uid, ...extra }] });
}

test('an object with finalizers gets deletionTimestamp and stays until the last finalizer goes', async () => {
  const c = await ok(h.api, 'POST', CM, { body: cm('fin', {}, { finalizers: ['example.com/hold', 'example.com/two'] }) });
  const del = await call(h.api, 'DELETE', `${CM}/fin`);
  assert.equal(del.status, 200);
  assert.equal(del.body.kind, 'ConfigMap', 'a pending delete answers the object');
  assert.ok(del.body.metadata.deletionTimestamp);
  assert.equal(del.body.metadata.deletionGracePeriodSeconds, 0);
  const got = await ok(h.api, 'GET', `${CM}/fin`);
  assert.equal(got.metadata.deletionTimestamp, del.body.metadata.deletionTimestamp);
  // Deleting again changes nothing; updates cannot clear deletionTimestamp.
  await ok(h.api, 'DELETE', `${CM}/fin`);
  const upd = await ok(h.api, 'PATCH', `${CM}/fin`, { body: { metadata: { finalizers: ['example.com/two'], deletionTimestamp: null } }, contentType: 'application/merge-patch+json' });
  assert.ok(upd.metadata.deletionTimestamp);
  assert.deepEqual(upd.metadata.finalizers, ['example.com/two']);
  await ok(h.api, 'PATCH', `${CM}/fin`, { body: [{ op: 'remove', path: '/metadata/finalizers' }], contentType: 'application/json-patch+json' });
  assert.ok(await gone(`${CM}/fin`));
  void c;
});

test('background deletion: the collector removes dependents whose owners are all gone', async () => {
  const owner = await ok(h.api, 'POST', CM, { body: cm('owner-bg') });
  const other = await ok(h.api, 'POST', CM, { body: cm('owner-other') });
  await ok(h.api, 'POST', CM, { body: owned('dep-bg', owner) });
  const two = owned('dep-two', owner) as unknown as { metadata: { ownerReferences: object[] } };
  two.metadata.ownerReferences.push({ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner-other', uid: other.metadata.uid });
  await ok(h.api, 'POST', CM, { body: two });
  await ok(h.api, 'DELETE', `${CM}/owner-bg`, { body: { propagationPolicy: 'Background' } });
  await eventually(() => gone(`${CM}/dep-bg`), 'dep-bg to be collected');
  // A dependent with another live owner stays.
  await new Promise((r) => setTimeout(r, 200));
  await ok(h.api, 'GET', `${CM}/dep-two`);
  // Dependents created pointing at an owner that no longer exists are collected too.
  await ok(h.api, 'POST', CM, { body: owned('dep-late', owner) });
  await eventually(() => gone(`${CM}/dep-late`), 'dep-late to be collected');
});

test('foreground deletion: dependents go first, then the owner (foregroundDeletion finalizer)', async () => {
  const owner = await ok(h.api, 'POST', CM, { body: cm('owner-fg') });
  const dep = await ok(h.api, 'POST', CM, { body: owned('dep-fg', owner, { blockOwnerDeletion: true }) });
  await ok(h.api, 'POST', CM, { body: owned('dep-fg-child', dep) });
  // Hold the dependent with a finalizer to observe the owner waiting.
  await ok(h.api, 'PATCH', `${CM}/dep-fg`, { body: { metadata: { finalizers: ['example.com/hold'] } }, contentType: 'application/merge-patch+json' });
  const del = await ok(h.api, 'DELETE', `${CM}/owner-fg`, { body: { propagationPolicy: 'Foreground' } });
  assert.ok(del.metadata.deletionTimestamp);
  assert.ok(del.metadata.finalizers.includes('foregroundDeletion'));
  await eventually(async () => (await ok(h.api, 'GET', `${CM}/dep-fg`)).metadata.deletionTimestamp, 'dependent marked for deletion');
  await eventually(() => gone(`${CM}/dep-fg-child`), 'grandchild deleted first');
  await new Promise((r) => setTimeout(r, 150));
  assert.ok((await ok(h.api, 'GET', `${CM}/owner-fg`)).metadata.deletionTimestamp, 'the owner waits for its dependents');
  await ok(h.api, 'PATCH', `${CM}/dep-fg`, { body: { metadata: { finalizers: null } }, contentType: 'application/merge-patch+json' });
  await eventually(() => gone(`${CM}/dep-fg`), 'dependent gone');
  await eventually(() => gone(`${CM}/owner-fg`), 'owner gone after its dependents');
});

test('foreground deletion waits only for dependents with blockOwnerDeletion', async () => {
  const owner = await ok(h.api, 'POST', CM, { body: cm('owner-nb') });
  await ok(h.api, 'POST', CM, { body: { ...owned('dep-nb', owner), metadata: { ...owned('dep-nb', owner).metadata, finalizers: ['example.com/hold'] } } });
  await ok(h.api, 'DELETE', `${CM}/owner-nb`, { body: { propagationPolicy: 'Foreground' } });
  await eventually(() => gone(`${CM}/owner-nb`), 'owner gone without waiting for a non-blocking dependent');
  assert.ok((await ok(h.api, 'GET', `${CM}/dep-nb`)).metadata.deletionTimestamp, 'the dependent was still deleted');
  await ok(h.api, 'PATCH', `${CM}/dep-nb`, { body: { metadata: { finalizers: null } }, contentType: 'application/merge-patch+json' });
  await eventually(() => gone(`${CM}/dep-nb`), 'dependent gone');
});

test('orphan deletion: dependents lose the ownerReference and stay', async () => {
  const owner = await ok(h.api, 'POST', CM, { body: cm('owner-or') });
  await ok(h.api, 'POST', CM, { body: owned('dep-or', owner) });
  const del = await ok(h.api, 'DELETE', `${CM}/owner-or`, { body: { propagationPolicy: 'Orphan' } });
  assert.ok(del.metadata.finalizers.includes('orphan'));
  await eventually(() => gone(`${CM}/owner-or`), 'owner gone');
  const dep = await ok(h.api, 'GET', `${CM}/dep-or`);
  assert.equal(dep.metadata.ownerReferences, undefined);
  // The query-parameter form works too.
  const o2 = await ok(h.api, 'POST', CM, { body: cm('owner-or2') });
  await ok(h.api, 'POST', CM, { body: owned('dep-or2', o2) });
  await ok(h.api, 'DELETE', `${CM}/owner-or2`, { query: { propagationPolicy: 'Orphan' } });
  await eventually(() => gone(`${CM}/owner-or2`), 'owner2 gone');
  assert.equal((await ok(h.api, 'GET', `${CM}/dep-or2`)).metadata.ownerReferences, undefined);
});

test('deployment → replicaset → pod cascade by ownerReferences', async () => {
  const d = await ok(h.api, 'POST', '/apis/apps/v1/namespaces/default/deployments', { body: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'casc' }, spec: { selector: { matchLabels: { app: 'casc' } }, template: { metadata: { labels: { app: 'casc' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } } } } });
  const rs = await ok(h.api, 'POST', '/apis/apps/v1/namespaces/default/replicasets', { body: { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'casc-1', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'casc', uid: d.metadata.uid, controller: true, blockOwnerDeletion: true }] }, spec: { selector: { matchLabels: { app: 'casc' } }, template: { metadata: { labels: { app: 'casc' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } } } } });
  await ok(h.api, 'POST', '/api/v1/namespaces/default/pods', { body: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'casc-1-a', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'casc-1', uid: rs.metadata.uid, controller: true }] }, spec: { containers: [{ name: 'c', image: 'busybox' }] } } });
  await ok(h.api, 'DELETE', '/apis/apps/v1/namespaces/default/deployments/casc', { body: { propagationPolicy: 'Foreground' } });
  await eventually(() => gone('/api/v1/namespaces/default/pods/casc-1-a'), 'pod gone');
  await eventually(() => gone('/apis/apps/v1/namespaces/default/replicasets/casc-1'), 'rs gone');
  await eventually(() => gone('/apis/apps/v1/namespaces/default/deployments/casc'), 'deployment gone');
});

test('pods on a node are deleted gracefully; grace period 0 removes them', async () => {
  await ok(h.api, 'POST', '/api/v1/namespaces/default/pods', { body: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'bound' }, spec: { nodeName: 'node-1', containers: [{ name: 'c', image: 'busybox' }] } } });
  const del = await ok(h.api, 'DELETE', '/api/v1/namespaces/default/pods/bound');
  assert.equal(del.metadata.deletionGracePeriodSeconds, 30);
  assert.ok(del.metadata.deletionTimestamp);
  const terminating = await ok(h.api, 'GET', '/api/v1/namespaces/default/pods/bound');
  // The node agent reports status while it stops the pod: that must not delete it early.
  const st = await ok(h.api, 'PUT', '/api/v1/namespaces/default/pods/bound/status', { body: { ...terminating, status: { phase: 'Running' } } });
  assert.equal(st.status.phase, 'Running');
  const rv = (await ok(h.api, 'GET', '/api/v1/namespaces/default/pods/bound')).metadata.resourceVersion;
  await ok(h.api, 'DELETE', '/api/v1/namespaces/default/pods/bound');
  assert.equal((await ok(h.api, 'GET', '/api/v1/namespaces/default/pods/bound')).metadata.resourceVersion, rv, 'a repeated delete writes nothing');
  await ok(h.api, 'DELETE', '/api/v1/namespaces/default/pods/bound', { body: { gracePeriodSeconds: 0 } });
  assert.ok(await gone('/api/v1/namespaces/default/pods/bound'));
  // Unscheduled pods go at once.
  await ok(h.api, 'POST', '/api/v1/namespaces/default/pods', { body: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'loose' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } } });
  const d2 = await ok(h.api, 'DELETE', '/api/v1/namespaces/default/pods/loose');
  assert.equal(d2.kind, 'Pod');
  assert.ok(await gone('/api/v1/namespaces/default/pods/loose'));
});

test('namespace deletion: Terminating, no new content (403), contents removed, then the namespace', async () => {
  await ok(h.api, 'POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'doomed' } } });
  await ok(h.api, 'POST', '/api/v1/namespaces/doomed/configmaps', { body: cm('a') });
  await ok(h.api, 'POST', '/api/v1/namespaces/doomed/configmaps', { body: cm('held', {}, { finalizers: ['example.com/hold'] }) });
  await ok(h.api, 'POST', '/api/v1/namespaces/doomed/secrets', { body: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' } } });
  await ok(h.api, 'POST', '/api/v1/namespaces/doomed/pods', { body: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { nodeName: 'node-1', containers: [{ name: 'c', image: 'busybox' }] } } });
  const del = await ok(h.api, 'DELETE', '/api/v1/namespaces/doomed');
  assert.equal(del.status.phase, 'Terminating');
  assert.ok(del.metadata.deletionTimestamp);
  const st = await fails(h.api, 'POST', '/api/v1/namespaces/doomed/configmaps', 403, { body: cm('new') }, 'Forbidden');
  assert.equal(st.message, 'configmaps "new" is forbidden: unable to create new content in namespace doomed because it is being terminated');
  await eventually(() => gone('/api/v1/namespaces/doomed/configmaps/a'), 'contents deleted');
  await eventually(() => gone('/api/v1/namespaces/doomed/pods/p'), 'pods deleted even when bound');
  await new Promise((r) => setTimeout(r, 150));
  assert.equal((await ok(h.api, 'GET', '/api/v1/namespaces/doomed')).status.phase, 'Terminating', 'waits for finalizers of its contents');
  await ok(h.api, 'PATCH', '/api/v1/namespaces/doomed/configmaps/held', { body: { metadata: { finalizers: null } }, contentType: 'application/merge-patch+json' });
  await eventually(() => gone('/api/v1/namespaces/doomed'), 'namespace gone');
  // It can be created again afresh.
  const again = await ok(h.api, 'POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'doomed' } } });
  assert.equal(again.status.phase, 'Active');
});

test('namespaces/finalize updates only spec.finalizers', async () => {
  await ok(h.api, 'POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'fz' } } });
  const ns = await ok(h.api, 'GET', '/api/v1/namespaces/fz');
  const plain = await ok(h.api, 'PUT', '/api/v1/namespaces/fz', { body: { ...ns, spec: { finalizers: [] } } });
  assert.deepEqual(plain.spec.finalizers, ['kubernetes'], 'a plain update cannot drop namespace finalizers');
  const fin = await ok(h.api, 'PUT', '/api/v1/namespaces/fz/finalize', { body: { ...plain, spec: { finalizers: [] } } });
  assert.deepEqual(fin.spec.finalizers, []);
  await ok(h.api, 'DELETE', '/api/v1/namespaces/fz');
  assert.ok(await gone('/api/v1/namespaces/fz'), 'no finalizers: deleted at once');
});
