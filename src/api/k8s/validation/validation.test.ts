import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultObject, nameProblems, nameRuleFor, selectorMatches, selectorString, validateObject, validateObjectMeta, validateObjectUpdate } from './index.js';

const fields = (cs: Array<{ field: string }>) => cs.map((c) => c.field).sort();

test('name rules per kind and their kube messages', () => {
  assert.equal(nameRuleFor({ group: '', kind: 'Namespace' }), 'label');
  assert.equal(nameRuleFor({ group: '', kind: 'Service' }), 'dns1035');
  assert.equal(nameRuleFor({ group: 'rbac.authorization.k8s.io', kind: 'ClusterRole' }), 'path-segment');
  assert.equal(nameRuleFor({ group: 'apps', kind: 'Deployment' }), 'subdomain');
  assert.deepEqual(nameProblems('a.b-c', 'subdomain'), []);
  assert.match(nameProblems('A', 'subdomain')[0]!, /lowercase RFC 1123 subdomain/);
  assert.match(nameProblems('a.b', 'label')[0]!, /RFC 1123 label/);
  assert.match(nameProblems('1abc', 'dns1035')[0]!, /DNS-1035/);
  assert.deepEqual(nameProblems('system:admin', 'path-segment'), []);
  assert.deepEqual(nameProblems('a/b', 'path-segment'), ["may not contain '/' or '%'"]);
  assert.equal(nameProblems('x'.repeat(64), 'label')[0], 'must be no more than 63 characters');
});

test('metadata: names, namespaces by scope, labels, annotations, owner references, finalizers', () => {
  assert.deepEqual(validateObjectMeta({ name: 'ok', namespace: 'default' }, { namespaced: true, nameRule: 'subdomain' }), []);
  assert.deepEqual(fields(validateObjectMeta({ generateName: 'x-' }, { namespaced: true, nameRule: 'subdomain' })), ['metadata.namespace']);
  assert.deepEqual(fields(validateObjectMeta({ name: 'n', namespace: 'x' }, { namespaced: false, nameRule: 'subdomain' })), ['metadata.namespace']);
  assert.deepEqual(fields(validateObjectMeta({ name: 'n', labels: { 'example.com/ok': 'fine', 'bad/prefix/x': 'v', k: 'v'.repeat(64) } }, { namespaced: false, nameRule: 'subdomain' })), ['metadata.labels', 'metadata.labels[k]']);
  assert.deepEqual(fields(validateObjectMeta({ name: 'n', ownerReferences: [{ apiVersion: 'v1', kind: 'X', name: 'a' }, { apiVersion: 'v1', kind: 'X', name: 'b', uid: 'u', controller: true }, { apiVersion: 'v1', kind: 'X', name: 'c', uid: 'v', controller: true }] }, { namespaced: false, nameRule: 'subdomain' })), ['metadata.ownerReferences', 'metadata.ownerReferences[0].uid']);
  assert.deepEqual(fields(validateObjectMeta({ name: 'n', finalizers: ['example.com/ok', 'bad finalizer'] }, { namespaced: false, nameRule: 'subdomain' })), ['metadata.finalizers[1]']);
  assert.deepEqual(fields(validateObjectMeta({ name: 'n', annotations: { a: 'x'.repeat(300 * 1024) } }, { namespaced: false, nameRule: 'subdomain' })), ['metadata.annotations']);
});

test('label selectors: matching and the string form', () => {
  const sel = { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['fe', 'be'] }, { key: 'legacy', operator: 'DoesNotExist' }] };
  assert.equal(selectorMatches(sel, { app: 'web', tier: 'fe' }), true);
  assert.equal(selectorMatches(sel, { app: 'web', tier: 'db' }), false);
  assert.equal(selectorMatches(sel, { app: 'web', tier: 'fe', legacy: '1' }), false);
  assert.equal(selectorString(sel), 'app=web,tier in (be,fe),!legacy');
});

test('defaults are idempotent and never overwrite what the client set', () => {
  const d: Record<string, unknown> = { metadata: { name: 'd' }, spec: { replicas: 0, strategy: { type: 'Recreate' }, selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { restartPolicy: 'Always', containers: [{ name: 'c', image: 'x:latest', imagePullPolicy: 'Never' }] } } } };
  defaultObject({ group: 'apps', kind: 'Deployment' }, d);
  const once = JSON.stringify(d);
  defaultObject({ group: 'apps', kind: 'Deployment' }, d);
  assert.equal(JSON.stringify(d), once);
  const spec = d.spec as any;
  assert.equal(spec.replicas, 0);
  assert.deepEqual(spec.strategy, { type: 'Recreate' });
  assert.equal(spec.template.spec.containers[0].imagePullPolicy, 'Never');
  assert.equal(spec.template.metadata.creationTimestamp, null);
  const pod: Record<string, unknown> = { spec: { containers: [{ name: 'c', image: 'reg:5000/img' }, { name: 'd', image: 'img@sha256:abc' }], volumes: [{ name: 'v' }, { name: 'cm', configMap: { name: 'x' } }] } };
  defaultObject({ group: '', kind: 'Pod' }, pod);
  const ps = pod.spec as any;
  assert.equal(ps.containers[0].imagePullPolicy, 'Always', 'a registry port is not a tag');
  assert.equal(ps.containers[1].imagePullPolicy, 'IfNotPresent');
  assert.deepEqual(ps.volumes[0].emptyDir, {});
  assert.equal(ps.volumes[1].configMap.defaultMode, 420);
});

test('workload validation catches volume mounts without volumes and bad strategies', () => {
  const d = { metadata: { name: 'd', namespace: 'n' }, spec: { selector: { matchLabels: { a: 'b' } }, strategy: { type: 'Recreate', rollingUpdate: {} }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'x', volumeMounts: [{ name: 'nope', mountPath: '/x' }] }] } } } };
  assert.deepEqual(fields(validateObject({ group: 'apps', kind: 'Deployment' }, d, { namespaced: true })), ['spec.strategy.rollingUpdate']);
  (d.spec.template.spec as any).volumes = [{ name: 'other', emptyDir: {} }];
  assert.ok(fields(validateObject({ group: 'apps', kind: 'Deployment' }, d, { namespaced: true })).includes('spec.template.spec.containers[0].volumeMounts[0].name'));
  const sel = { ...d, spec: { ...d.spec, selector: { matchExpressions: [{ key: 'a', operator: 'Near' }] } } };
  assert.ok(fields(validateObject({ group: 'apps', kind: 'Deployment' }, sel, { namespaced: true })).includes('spec.selector.matchExpressions[0].operator'));
});

test('update rules: job template immutable, service clusterIP, immutable configmaps', () => {
  const job = { spec: { completions: 1, template: { spec: { containers: [{ image: 'a' }] } } } };
  assert.deepEqual(fields(validateObjectUpdate({ group: 'batch', kind: 'Job' }, { spec: { ...job.spec, template: { spec: { containers: [{ image: 'b' }] } } } }, job)), ['spec.template']);
  assert.deepEqual(validateObjectUpdate({ group: '', kind: 'Service' }, { spec: { clusterIP: '' } }, { spec: { clusterIP: '10.96.0.5' } }), []);
  assert.deepEqual(fields(validateObjectUpdate({ group: '', kind: 'ConfigMap' }, { immutable: true, data: { a: '2' } }, { immutable: true, data: { a: '1' } })), ['data']);
  assert.deepEqual(fields(validateObjectUpdate({ group: '', kind: 'ConfigMap' }, { data: { a: '1' } }, { immutable: true, data: { a: '1' } })), ['immutable']);
});

test('quantities: formats, values, and container resource rules', async () => {
  const { parseQuantity } = await import('./quantity.js');
  assert.equal(parseQuantity('100m'), 0.1);
  assert.equal(parseQuantity('1.5Gi'), 1.5 * 2 ** 30);
  assert.equal(parseQuantity('1e3'), 1000);
  assert.equal(parseQuantity('128974848'), 128974848);
  assert.equal(parseQuantity(2), 2);
  for (const bad of ['1Gx', 'abc', '', ' 1', '1 Gi', '--1', {}]) assert.equal(parseQuantity(bad), null, JSON.stringify(bad));
  const pod = (resources: unknown) => ({ metadata: { name: 'p', namespace: 'n' }, spec: { containers: [{ name: 'c', image: 'x', resources }] } });
  assert.deepEqual(validateObject({ group: '', kind: 'Pod' }, pod({ requests: { cpu: '500m', memory: '64Mi' }, limits: { cpu: '1', memory: '128Mi' } }), { namespaced: true }), []);
  const bad = validateObject({ group: '', kind: 'Pod' }, pod({ requests: { cpu: '2', memory: '1Gx' }, limits: { cpu: '1' } }), { namespaced: true });
  assert.deepEqual(fields(bad), ['spec.containers[0].resources.requests', 'spec.containers[0].resources.requests[memory]']);
  assert.match(bad.find((c) => c.field === 'spec.containers[0].resources.requests')!.message, /must be less than or equal to cpu limit of 1/);
  assert.deepEqual(fields(validateObject({ group: '', kind: 'Pod' }, pod({ limits: { cpu: '-1' } }), { namespaced: true })), ['spec.containers[0].resources.limits[cpu]']);
});
