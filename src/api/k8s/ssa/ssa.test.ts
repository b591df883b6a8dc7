import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FieldSet, pathString } from './fieldset.js';
import { conflictMessage, serverSideApply, updateManagedFieldsForUpdate } from './managed-fields.js';
import { isBerthError } from '../../../base/errors.js';

const gvk = { group: 'apps', version: 'v1', kind: 'Deployment' };
const T1 = '2026-01-01T00:00:00Z', T2 = '2026-01-01T00:01:00Z';

const config = (replicas: number, image = 'nginx:1.25', extra: Record<string, unknown> = {}) => ({
  apiVersion: 'apps/v1', kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default', labels: { app: 'web', ...extra } },
  spec: {
    replicas,
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: { containers: [{ name: 'nginx', image, ports: [{ containerPort: 80 }] }] },
    },
  },
});

const mf = (o: any) => o.metadata.managedFields as any[];

test('FieldsV1 round trip of a Deployment as kube writes it', () => {
  const v1 = {
    'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
    'f:spec': {
      'f:progressDeadlineSeconds': {}, 'f:replicas': {}, 'f:selector': {},
      'f:strategy': { 'f:rollingUpdate': { '.': {}, 'f:maxSurge': {}, 'f:maxUnavailable': {} }, 'f:type': {} },
      'f:template': {
        'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
        'f:spec': { 'f:containers': { 'k:{"name":"nginx"}': { '.': {}, 'f:image': {}, 'f:imagePullPolicy': {}, 'f:name': {}, 'f:resources': {} } }, 'f:dnsPolicy': {} },
      },
    },
  };
  const s = FieldSet.fromFieldsV1(v1);
  assert.deepEqual(s.toFieldsV1(), v1);
  assert.ok(s.has(['f:spec', 'f:template', 'f:spec', 'f:containers', 'k:{"name":"nginx"}']));
  assert.ok(s.has(['f:metadata', 'f:labels']));
  assert.ok(!s.has(['f:spec']));
  assert.equal(pathString(['f:spec', 'f:template', 'f:spec', 'f:containers', 'k:{"name":"nginx"}', 'f:image']), '.spec.template.spec.containers[name="nginx"].image');
  assert.throws(() => FieldSet.fromFieldsV1({ 'x:bad': {} }), (e) => isBerthError(e, 'InvalidArgument'));
});

test('SSA create: the object is the config, managedFields has the real FieldsV1 shape', () => {
  const { object, conflicts } = serverSideApply(null, config(2), { manager: 'kubectl', force: false, gvk, now: T1 });
  assert.deepEqual(conflicts, []);
  const o = object as any;
  assert.equal(o.spec.replicas, 2);
  assert.deepEqual(mf(o), [{
    manager: 'kubectl', operation: 'Apply', apiVersion: 'apps/v1', time: T1, fieldsType: 'FieldsV1',
    fieldsV1: {
      'f:metadata': { 'f:labels': { 'f:app': {} } },
      'f:spec': {
        'f:replicas': {}, 'f:selector': {},
        'f:template': {
          'f:metadata': { 'f:labels': { 'f:app': {} } },
          'f:spec': { 'f:containers': { 'k:{"name":"nginx"}': { '.': {}, 'f:image': {}, 'f:name': {}, 'f:ports': { 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} } } } } },
        },
      },
    },
  }]);
});

test('SSA: re-applying the same config changes nothing and keeps the time', () => {
  const first = serverSideApply(null, config(2), { manager: 'kubectl', force: false, gvk, now: T1 }).object;
  const again = serverSideApply(first, config(2), { manager: 'kubectl', force: false, gvk, now: T2 });
  assert.deepEqual(again.conflicts, []);
  assert.deepEqual(again.object, first);
});

test('SSA conflict between two managers; same value shares ownership; force takes it over', () => {
  const a = serverSideApply(null, config(2), { manager: 'alice', force: false, gvk, now: T1 }).object;
  const clash = serverSideApply(a, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 5 } }, { manager: 'bob', force: false, gvk, now: T2 });
  assert.deepEqual(clash.conflicts, [{ manager: 'alice', field: '.spec.replicas', operation: 'Apply', apiVersion: 'apps/v1' }]);
  assert.equal((clash.object as any).spec.replicas, 2, 'nothing applied on conflict');
  assert.equal(conflictMessage(clash.conflicts), 'Apply failed with 1 conflict: conflict with "alice": .spec.replicas');

  const shared = serverSideApply(a, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 2 } }, { manager: 'bob', force: false, gvk, now: T2 });
  assert.deepEqual(shared.conflicts, []);
  const owners = mf(shared.object).filter((e) => e.fieldsV1['f:spec']?.['f:replicas']).map((e) => e.manager);
  assert.deepEqual(owners, ['alice', 'bob']);

  const forced = serverSideApply(a, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 5 } }, { manager: 'bob', force: true, gvk, now: T2 });
  assert.deepEqual(forced.conflicts.map((c) => c.manager), ['alice']);
  const o = forced.object as any;
  assert.equal(o.spec.replicas, 5);
  const alice = mf(o).find((e) => e.manager === 'alice');
  assert.equal(alice.fieldsV1['f:spec']['f:replicas'], undefined);
  assert.ok(alice.fieldsV1['f:spec']['f:selector']);
  assert.deepEqual(mf(o).find((e) => e.manager === 'bob').fieldsV1, { 'f:spec': { 'f:replicas': {} } });
});

test('SSA removes fields the manager stopped applying, unless another manager owns them', () => {
  const a = serverSideApply(null, config(2, 'nginx:1.25', { tier: 'fe', extra: 'x' }), { manager: 'alice', force: false, gvk, now: T1 }).object;
  const b = serverSideApply(a, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', labels: { extra: 'x' } } }, { manager: 'bob', force: false, gvk, now: T1 }).object;
  const dropped = serverSideApply(b, config(2), { manager: 'alice', force: false, gvk, now: T2 }).object as any;
  assert.deepEqual(dropped.metadata.labels, { app: 'web', extra: 'x' }, 'tier removed, extra kept because bob owns it');
});

test('SSA removes a container the manager no longer applies and merges lists by key', () => {
  const two = config(1);
  (two.spec.template.spec.containers as any[]).push({ name: 'sidecar', image: 'busybox' });
  const a = serverSideApply(null, two, { manager: 'alice', force: false, gvk, now: T1 }).object;
  const one = serverSideApply(a, config(1, 'nginx:1.26'), { manager: 'alice', force: false, gvk, now: T2 }).object as any;
  assert.deepEqual(one.spec.template.spec.containers, [{ name: 'nginx', image: 'nginx:1.26', ports: [{ containerPort: 80 }] }]);
});

test('Update ownership: create, edit by another manager, then apply conflicts with the editor', () => {
  const created = updateManagedFieldsForUpdate(null, config(1), { manager: 'kubectl-create', operation: 'Update', gvk, now: T1 }) as any;
  assert.equal(mf(created).length, 1);
  assert.equal(mf(created)[0].operation, 'Update');
  assert.deepEqual(mf(created)[0].fieldsV1['f:metadata'], { 'f:labels': { '.': {}, 'f:app': {} } });
  assert.ok(mf(created)[0].fieldsV1['f:spec']['f:template']['f:spec']['f:containers']['k:{"name":"nginx"}']['.']);

  const edited = JSON.parse(JSON.stringify(created));
  edited.spec.template.spec.containers[0].image = 'nginx:edited';
  const afterEdit = updateManagedFieldsForUpdate(created, edited, { manager: 'kubectl-edit', operation: 'Update', gvk, now: T2 }) as any;
  const editEntry = mf(afterEdit).find((e) => e.manager === 'kubectl-edit');
  assert.deepEqual(editEntry.fieldsV1, { 'f:spec': { 'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"nginx"}': { 'f:image': {} } } } } } });
  const createEntry = mf(afterEdit).find((e) => e.manager === 'kubectl-create');
  assert.equal(createEntry.fieldsV1['f:spec']['f:template']['f:spec']['f:containers']['k:{"name":"nginx"}']['f:image'], undefined);

  const apply = serverSideApply(afterEdit, config(1, 'nginx:applied'), { manager: 'kubectl', force: false, gvk, now: T2 });
  assert.deepEqual(apply.conflicts, [{ manager: 'kubectl-edit', field: '.spec.template.spec.containers[name="nginx"].image', operation: 'Update', apiVersion: 'apps/v1' }]);
  assert.equal(conflictMessage(apply.conflicts), 'Apply failed with 1 conflict: conflict with "kubectl-edit" using apps/v1: .spec.template.spec.containers[name="nginx"].image');
  const two = conflictMessage([...apply.conflicts, { manager: 'kubectl-edit', field: '.spec.replicas', operation: 'Update', apiVersion: 'apps/v1' }, { manager: 'a', field: '.x', operation: 'Apply' }]);
  assert.equal(two, 'Apply failed with 3 conflicts: conflicts with "a":\n- .x\nconflicts with "kubectl-edit" using apps/v1:\n- .spec.template.spec.containers[name="nginx"].image\n- .spec.replicas');

  // The same manager updating again merges into its one entry.
  const again = JSON.parse(JSON.stringify(afterEdit));
  again.spec.replicas = 4;
  const twice = updateManagedFieldsForUpdate(afterEdit, again, { manager: 'kubectl-edit', operation: 'Update', gvk, now: T2 }) as any;
  assert.equal(mf(twice).filter((e) => e.manager === 'kubectl-edit').length, 1);
  assert.ok(mf(twice).find((e) => e.manager === 'kubectl-edit').fieldsV1['f:spec']['f:replicas']);

  // managedFields: [{}] resets ownership.
  const reset = updateManagedFieldsForUpdate(twice, { ...twice, metadata: { ...twice.metadata, managedFields: [{}] } }, { manager: 'x', operation: 'Update', gvk, now: T2 }) as any;
  assert.equal(reset.metadata.managedFields, undefined);
});

test('SSA bad input: managedFields in the config, missing manager', () => {
  assert.throws(() => serverSideApply(null, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x', managedFields: [] } }, { manager: 'm', force: false, gvk, now: T1 }), (e) => isBerthError(e, 'InvalidArgument'));
  assert.throws(() => serverSideApply(null, config(1), { manager: '', force: false, gvk, now: T1 }), (e) => isBerthError(e, 'InvalidArgument'));
});

test('SSA on a kind without a schema (custom resource): maps are granular, lists atomic', () => {
  const crGvk = { group: 'example.com', version: 'v1', kind: 'Widget' };
  const cr = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { size: 3, tags: ['a', 'b'] } };
  const { object } = serverSideApply(null, cr, { manager: 'm', force: false, gvk: crGvk, now: T1, schema: null });
  const v1 = mf(object)[0].fieldsV1;
  assert.deepEqual(v1['f:spec'], { '.': {}, 'f:size': {}, 'f:tags': {} });
  const clash = serverSideApply(object, { ...cr, spec: { size: 4 } }, { manager: 'other', force: false, gvk: crGvk, now: T2, schema: null });
  assert.deepEqual(clash.conflicts.map((c) => [c.manager, c.field]), [['m', '.spec.size']]);
});

test('SSA with a "__proto__" data key keeps it as data', () => {
  const cm = JSON.parse('{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"data":{"__proto__":"x","a":"1"}}');
  const { object } = serverSideApply(null, cm, { manager: 'm', force: false, gvk: { group: '', version: 'v1', kind: 'ConfigMap' }, now: T1 });
  assert.equal(({} as any).x, undefined);
  assert.deepEqual(Object.keys((object as any).data).sort(), ['__proto__', 'a']);
  assert.ok((object as any).metadata.managedFields[0].fieldsV1['f:data']['f:__proto__']);
});

test('SSA list order: live-only items stay put, shared items follow the applied order, new items land where applied', () => {
  const withContainers = (names: string[]) => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { template: { spec: { containers: names.map((name) => ({ name, image: 'i' })) } } } });
  const names = (o: any) => o.spec.template.spec.containers.map((c: any) => c.name);
  const base = updateManagedFieldsForUpdate(null, withContainers(['a', 'b', 'c']), { manager: 'create', operation: 'Update', gvk, now: T1 });
  assert.deepEqual(names(serverSideApply(base, withContainers(['c', 'a']), { manager: 'm', force: true, gvk, now: T2 }).object), ['b', 'c', 'a']);
  assert.deepEqual(names(serverSideApply(base, withContainers(['x']), { manager: 'm', force: true, gvk, now: T2 }).object), ['a', 'b', 'c', 'x']);
  assert.deepEqual(names(serverSideApply(base, withContainers(['a', 'x', 'b']), { manager: 'm', force: true, gvk, now: T2 }).object), ['a', 'x', 'b', 'c']);
});
