import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyJsonPatch } from './json-patch.js';
import { applyMergePatch, createMergePatch } from './merge-patch.js';
import { applyStrategicMergePatch } from './strategic-merge-patch.js';
import { isBerthError } from '../../../base/errors.js';

const deployGvk = { group: 'apps', version: 'v1', kind: 'Deployment' };
const podGvk = { group: '', version: 'v1', kind: 'Pod' };

test('json patch: RFC 6902 operations, pointer escaping, input untouched', () => {
  const doc = { a: { 'b/c': 1, 'd~e': 2 }, list: [1, 2, 3] };
  const out = applyJsonPatch(doc, [
    { op: 'add', path: '/list/1', value: 9 },
    { op: 'add', path: '/list/-', value: 4 },
    { op: 'remove', path: '/a/b~1c' },
    { op: 'replace', path: '/a/d~0e', value: 'x' },
    { op: 'copy', from: '/a/d~0e', path: '/copied' },
    { op: 'move', from: '/copied', path: '/moved' },
    { op: 'test', path: '/moved', value: 'x' },
  ]);
  assert.deepEqual(out, { a: { 'd~e': 'x' }, list: [1, 9, 2, 3, 4], moved: 'x' });
  assert.deepEqual(doc, { a: { 'b/c': 1, 'd~e': 2 }, list: [1, 2, 3] });
});

test('json patch: failures are InvalidArgument (failed test, missing path, bad op, bad index)', () => {
  const bad = [
    [{ op: 'test', path: '/a', value: 2 }],
    [{ op: 'remove', path: '/nope' }],
    [{ op: 'replace', path: '/nope', value: 1 }],
    [{ op: 'frobnicate', path: '/a' }],
    [{ op: 'add', path: '/l/7', value: 1 }],
    [{ op: 'add', path: 'a', value: 1 }],
    [{ op: 'move', from: '/a', path: '/a/b' }],
    { op: 'add' },
  ];
  for (const p of bad) assert.throws(() => applyJsonPatch({ a: 1, l: [] }, p), (e) => isBerthError(e, 'InvalidArgument'), JSON.stringify(p));
});

test('json patch: kubectl rollout undo shape (replace /spec/template and /metadata/annotations)', () => {
  const d = { metadata: { annotations: { a: '1' } }, spec: { template: { spec: { containers: [{ name: 'c', image: 'v2' }] } } } };
  const out = applyJsonPatch(d, [
    { op: 'replace', path: '/spec/template', value: { spec: { containers: [{ name: 'c', image: 'v1' }] } } },
    { op: 'replace', path: '/metadata/annotations', value: { 'deployment.kubernetes.io/revision': '3' } },
  ]) as any;
  assert.equal(out.spec.template.spec.containers[0].image, 'v1');
  assert.deepEqual(out.metadata.annotations, { 'deployment.kubernetes.io/revision': '3' });
});

test('merge patch: RFC 7386 examples', () => {
  assert.deepEqual(applyMergePatch({ a: 'b' }, { a: 'c' }), { a: 'c' });
  assert.deepEqual(applyMergePatch({ a: 'b' }, { b: 'c' }), { a: 'b', b: 'c' });
  assert.deepEqual(applyMergePatch({ a: 'b' }, { a: null }), {});
  assert.deepEqual(applyMergePatch({ a: [{ b: 'c' }] }, { a: [1] }), { a: [1] });
  assert.deepEqual(applyMergePatch({ a: { b: 'c' } }, { a: { b: 'd', c: null } }), { a: { b: 'd' } });
  assert.deepEqual(applyMergePatch(['a', 'b'], ['c', 'd']), ['c', 'd']);
  assert.deepEqual(applyMergePatch({ a: 'foo' }, 'bar'), 'bar');
  assert.deepEqual(applyMergePatch({}, { a: { bb: { ccc: null } } }), { a: { bb: {} } });
  const from = { metadata: { labels: { a: '1', b: '2' } }, x: [1] };
  const to = { metadata: { labels: { a: '1', c: '3' } }, x: [2] };
  assert.deepEqual(applyMergePatch(from, createMergePatch(from, to)), to);
});

const deployment = () => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', labels: { app: 'web' } },
  spec: {
    replicas: 1,
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: {
        containers: [
          { name: 'nginx', image: 'nginx:1.25', ports: [{ containerPort: 80, protocol: 'TCP' }], env: [{ name: 'A', value: '1' }] },
          { name: 'sidecar', image: 'busybox', args: ['a', 'b'] },
        ],
        volumes: [{ name: 'v', emptyDir: {} }],
        finalizersLike: undefined,
      },
    },
  },
});

test('SMP: containers merge by name; maps merge; null deletes', () => {
  const out = applyStrategicMergePatch(deployment(), {
    metadata: { labels: { tier: 'fe', app: null } },
    spec: { replicas: 3, template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.26', env: [{ name: 'B', value: '2' }] }] } } },
  }, deployGvk) as any;
  assert.deepEqual(out.metadata.labels, { tier: 'fe' });
  assert.equal(out.spec.replicas, 3);
  const [c0, c1] = out.spec.template.spec.containers;
  assert.equal(c0.image, 'nginx:1.26');
  // Without $setElementOrder kube places items it did not have before the live ones (mergeSortedSlice).
  assert.deepEqual(c0.env, [{ name: 'B', value: '2' }, { name: 'A', value: '1' }]);
  assert.deepEqual(c0.ports, [{ containerPort: 80, protocol: 'TCP' }]);
  assert.equal(c1.name, 'sidecar');
});

test('SMP: $patch: delete removes a list element by merge key; an unknown element is added', () => {
  const out = applyStrategicMergePatch(deployment(), {
    spec: { template: { spec: { containers: [{ name: 'sidecar', $patch: 'delete' }, { name: 'new', image: 'x' }] } } },
  }, deployGvk) as any;
  assert.deepEqual(out.spec.template.spec.containers.map((c: any) => c.name), ['new', 'nginx']);
});

test('SMP: $patch: replace on a list and on a map', () => {
  const out = applyStrategicMergePatch(deployment(), {
    spec: { template: { spec: { containers: [{ name: 'only', image: 'x' }, { $patch: 'replace' }] } } },
    metadata: { labels: { $patch: 'replace', fresh: 'yes' } },
  }, deployGvk) as any;
  assert.deepEqual(out.spec.template.spec.containers, [{ name: 'only', image: 'x' }]);
  assert.deepEqual(out.metadata.labels, { fresh: 'yes' });
});

test('SMP: non-merge lists (args) are replaced', () => {
  const out = applyStrategicMergePatch(deployment(), {
    spec: { template: { spec: { containers: [{ name: 'sidecar', args: ['c'] }] } } },
  }, deployGvk) as any;
  assert.deepEqual(out.spec.template.spec.containers[1].args, ['c']);
});

test('SMP: $retainKeys on the deployment strategy (kubectl apply switching to Recreate)', () => {
  const out = applyStrategicMergePatch(deployment(), {
    spec: { strategy: { $retainKeys: ['type'], type: 'Recreate', rollingUpdate: null } },
  }, deployGvk) as any;
  assert.deepEqual(out.spec.strategy, { type: 'Recreate' });
});

test('SMP: $retainKeys on volumes drops the old volume source', () => {
  const out = applyStrategicMergePatch(deployment(), {
    spec: { template: { spec: { volumes: [{ name: 'v', $retainKeys: ['name', 'hostPath'], hostPath: { path: '/x' } }] } } },
  }, deployGvk) as any;
  assert.deepEqual(out.spec.template.spec.volumes, [{ name: 'v', hostPath: { path: '/x' } }]);
});

test('SMP: $setElementOrder reorders the merged list (kubectl client-side apply)', () => {
  const out = applyStrategicMergePatch(deployment(), {
    spec: { template: { spec: { $setElementOrder: undefined, '$setElementOrder/containers': [{ name: 'sidecar' }, { name: 'nginx' }], containers: [{ name: 'nginx', image: 'nginx:1.27' }] } } },
  }, deployGvk) as any;
  assert.deepEqual(out.spec.template.spec.containers.map((c: any) => c.name), ['sidecar', 'nginx']);
  assert.equal(out.spec.template.spec.containers[1].image, 'nginx:1.27');
});

test('SMP: primitive merge lists are unioned; $deleteFromPrimitiveList removes values', () => {
  const pod = { metadata: { name: 'p', finalizers: ['a', 'b'] }, spec: { containers: [{ name: 'c', image: 'i' }] } };
  let out = applyStrategicMergePatch(pod, { metadata: { finalizers: ['b', 'c'] } }, podGvk) as any;
  assert.deepEqual(out.metadata.finalizers, ['a', 'b', 'c']);
  assert.deepEqual((applyStrategicMergePatch(pod, { metadata: { finalizers: ['c'] } }, podGvk) as any).metadata.finalizers, ['c', 'a', 'b']);
  out = applyStrategicMergePatch(out, { metadata: { '$deleteFromPrimitiveList/finalizers': ['a', 'c'] } }, podGvk) as any;
  assert.deepEqual(out.metadata.finalizers, ['b']);
});

test('SMP: kubectl rollout restart and cordon shapes', () => {
  const out = applyStrategicMergePatch(deployment(), { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-01-01T00:00:00Z' } } } } }, deployGvk) as any;
  assert.equal(out.spec.template.metadata.annotations['kubectl.kubernetes.io/restartedAt'], '2026-01-01T00:00:00Z');
  const node = applyStrategicMergePatch({ metadata: { name: 'n' }, spec: {} }, { spec: { unschedulable: true } }, { group: '', version: 'v1', kind: 'Node' }) as any;
  assert.equal(node.spec.unschedulable, true);
});

test('SMP: service ports merge by port; conditions by type', () => {
  const svc = { spec: { ports: [{ port: 80, targetPort: 8080 }, { port: 443 }] } };
  const out = applyStrategicMergePatch(svc, { spec: { ports: [{ port: 80, targetPort: 9090 }] } }, { group: '', version: 'v1', kind: 'Service' }) as any;
  assert.deepEqual(out.spec.ports, [{ port: 80, targetPort: 9090 }, { port: 443 }]);
});

test('SMP: custom resources are refused as 415 UnsupportedMediaType; bad directives are InvalidArgument', () => {
  assert.throws(() => applyStrategicMergePatch({}, { a: 1 }, { group: 'example.com', version: 'v1', kind: 'Widget' }),
    (e) => isBerthError(e, 'InvalidArgument') && (e.details as any).status.code === 415);
  assert.throws(() => applyStrategicMergePatch(deployment(), { spec: { template: { spec: { containers: [{ image: 'no-name' }] } } } }, deployGvk),
    (e) => isBerthError(e, 'InvalidArgument') && /merge key/.test(e.message));
  assert.throws(() => applyStrategicMergePatch(deployment(), { metadata: { $patch: 'explode' } }, deployGvk), (e) => isBerthError(e, 'InvalidArgument'));
  assert.throws(() => applyStrategicMergePatch(deployment(), [1], deployGvk), (e) => isBerthError(e, 'InvalidArgument'));
});

test('"__proto__" keys are data: kept as own keys, never touching Object.prototype', () => {
  const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: '1' } };
  const evil = JSON.parse('{"data":{"__proto__":{"polluted":"yes"}},"__proto__":{"polluted":"yes"}}');
  const smp = applyStrategicMergePatch(cm, evil, { group: '', version: 'v1', kind: 'ConfigMap' }) as any;
  const mp = applyMergePatch(cm, evil) as any;
  const jp = applyJsonPatch(cm, [{ op: 'add', path: '/data/__proto__', value: { polluted: 'yes' } }]) as any;
  assert.equal(({} as any).polluted, undefined);
  for (const out of [smp, mp, jp]) {
    assert.ok(Object.prototype.hasOwnProperty.call(out.data, '__proto__'));
    assert.equal(Object.getPrototypeOf(out.data), Object.prototype);
    assert.equal(JSON.parse(JSON.stringify(out)).data.__proto__.polluted, 'yes');
  }
});

test('patch dispatch: content types, body parsing, bad input', async () => {
  const { patchTypeFromContentType, parsePatchDocument, applyPatch } = await import('./dispatch.js');
  assert.equal(patchTypeFromContentType('application/json-patch+json'), 'json');
  assert.equal(patchTypeFromContentType('application/merge-patch+json; charset=utf-8'), 'merge');
  assert.equal(patchTypeFromContentType('application/strategic-merge-patch+json'), 'strategic');
  assert.equal(patchTypeFromContentType('application/apply-patch+yaml'), 'apply');
  for (const bad of ['application/json', 'application/apply-patch+cbor', undefined]) {
    assert.throws(() => patchTypeFromContentType(bad), (e) => isBerthError(e, 'InvalidArgument') && (e.details as any).status.code === 415, String(bad));
  }
  assert.deepEqual(parsePatchDocument('apiVersion: v1\nkind: ConfigMap\ndata: {a: b}\n', 'apply'), { apiVersion: 'v1', kind: 'ConfigMap', data: { a: 'b' } });
  assert.deepEqual(parsePatchDocument(Buffer.from('{"apiVersion":"v1"}'), 'apply'), { apiVersion: 'v1' });
  for (const [body, type] of [['{', 'merge'], ['[1]', 'merge'], ['{}', 'json'], ['a: [', 'apply'], ['- 1', 'apply'], ['"x"', 'strategic']] as const) {
    assert.throws(() => parsePatchDocument(body, type), (e) => isBerthError(e, 'InvalidArgument'), `${type} ${body}`);
  }
  assert.deepEqual(applyPatch('merge', { a: 1 }, { b: 2 }, podGvk), { a: 1, b: 2 });
  assert.deepEqual(applyPatch('json', { a: 1 }, [{ op: 'remove', path: '/a' }], podGvk), {});
  assert.deepEqual((applyPatch('strategic', { spec: { containers: [{ name: 'a', image: 'x' }] } }, { spec: { containers: [{ name: 'a', image: 'y' }] } }, podGvk) as any).spec.containers, [{ name: 'a', image: 'y' }]);
});

test('SMP list order follows kube: patch order for patched items, live order for the rest, interleaved by live position', () => {
  const pod = (names: string[]) => ({ spec: { containers: names.map((name) => ({ name, image: 'i' })) } });
  const names = (o: any) => o.spec.containers.map((c: any) => c.name);
  // Reordering without $setElementOrder: patched items keep the patch's relative order.
  assert.deepEqual(names(applyStrategicMergePatch(pod(['a', 'b', 'c']), { spec: { containers: [{ name: 'c' }, { name: 'a' }] } }, podGvk)), ['b', 'c', 'a']);
  // Items the live list did not have come first (kube's mergeSortedSlice cannot place them); with
  // $setElementOrder (what kubectl apply sends) they go where the order list says.
  assert.deepEqual(names(applyStrategicMergePatch(pod(['a', 'b']), { spec: { containers: [{ name: 'x', image: 'n' }] } }, podGvk)), ['x', 'a', 'b']);
  assert.deepEqual(names(applyStrategicMergePatch(pod(['a', 'b']), { spec: { '$setElementOrder/containers': [{ name: 'a' }, { name: 'b' }, { name: 'x' }], containers: [{ name: 'x', image: 'n' }] } }, podGvk)), ['a', 'b', 'x']);
  // $setElementOrder wins over both, server-only items are placed by their live position.
  assert.deepEqual(names(applyStrategicMergePatch(pod(['a', 'b', 'c']), { spec: { '$setElementOrder/containers': [{ name: 'c' }, { name: 'a' }], containers: [{ name: 'a', image: 'z' }] } }, podGvk)), ['b', 'c', 'a']);
  // An empty merge list changes nothing; $patch: replace with other elements replaces.
  assert.deepEqual(names(applyStrategicMergePatch(pod(['a', 'b']), { spec: { containers: [] } }, podGvk)), ['a', 'b']);
  assert.deepEqual(names(applyStrategicMergePatch(pod(['a', 'b']), { spec: { containers: [{ $patch: 'replace' }, { name: 'q', image: 'i' }, { name: 'a', $patch: 'delete' }] } }, podGvk)), ['q']);
  assert.throws(() => applyStrategicMergePatch(pod(['a']), { spec: { containers: [{ $patch: 'merge' }] } }, podGvk), (e) => isBerthError(e, 'InvalidArgument'));
  assert.throws(() => applyStrategicMergePatch(pod(['a']), { spec: { containers: [{ name: 'a', $patch: 'nope' }] } }, podGvk), (e) => isBerthError(e, 'InvalidArgument'));
});
