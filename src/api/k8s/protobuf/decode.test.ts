import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { decodeKubeProtobuf, encodeKubeProtobuf } from './decode.js';
import { isBerthError } from '../../../base/errors.js';

const fixtures = new URL('../../../../test/fixtures/k8s-protobuf/', import.meta.url);
const fixture = (name: string) => readFileSync(new URL(name, fixtures));

/** kubectl's dry-run JSON prints zero times as null; the decoder omits them. */
function withoutNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutNulls);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null).map(([k, x]) => [k, withoutNulls(x)]));
  return v;
}

test('real kubectl 1.32 and 1.34 bodies decode to exactly what kubectl prints for --dry-run=client -o json', () => {
  const names = ['configmap', 'secret', 'namespace', 'service', 'serviceaccount', 'deployment', 'job', 'cronjob', 'poddisruptionbudget', 'quota'];
  const newer = ['autoscale', 'ingress', 'role', 'rolebinding', 'clusterrole', 'clusterroleaggregate', 'clusterrolebinding', 'priorityclass'];
  for (const dir of ['', 'kubectl-1.34/']) {
    for (const n of dir === '' ? [...names, ...newer] : names) {
      assert.ok(existsSync(new URL(`${dir}${n}.json`, fixtures)), `${dir}${n}.json fixture`);
      const want = withoutNulls(JSON.parse(fixture(`${dir}${n}.json`).toString()));
      assert.deepEqual(decodeKubeProtobuf(fixture(`${dir}${n}.bin`)), want, `${dir}${n}`);
    }
  }
});

test('real kubectl bodies without a dry-run oracle: token, auth can-i, auth whoami', () => {
  assert.deepEqual(decodeKubeProtobuf(fixture('token.bin')), {
    kind: 'TokenRequest', apiVersion: 'authentication.k8s.io/v1', metadata: {},
    spec: { audiences: ['api'], expirationSeconds: 600, boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'p1', uid: 'abc' } },
    status: { token: '' },
  });
  assert.deepEqual(decodeKubeProtobuf(fixture('selfsubjectaccessreview.bin')), {
    kind: 'SelfSubjectAccessReview', apiVersion: 'authorization.k8s.io/v1', metadata: {},
    spec: { resourceAttributes: { namespace: 'team', verb: 'create', group: 'apps', resource: 'deployments' } },
    status: { allowed: false },
  });
  assert.deepEqual(decodeKubeProtobuf(fixture('selfsubjectreview.bin')), {
    kind: 'SelfSubjectReview', apiVersion: 'authentication.k8s.io/v1', metadata: {}, status: { userInfo: {} },
  });
});

test('secret data bytes come out base64, exactly', () => {
  const s = decodeKubeProtobuf(fixture('secret.bin')) as any;
  assert.deepEqual(Buffer.from(s.data.bin, 'base64'), Buffer.from([0, 255, 1, 128]));
  assert.equal(Buffer.from(s.data.k, 'base64').toString(), 'v');
});

test('round trip: ObjectMeta in full, times, IntOrString, Quantity, inlined structs, FieldsV1', () => {
  const body = encodeKubeProtobuf('apps/v1', 'Deployment', {
    metadata: {
      name: 'web', namespace: 'prod', uid: 'u-1', resourceVersion: '42', generation: 3,
      creationTimestamp: { seconds: 1700000000, nanos: 0 },
      deletionTimestamp: { seconds: 1700000100 },
      deletionGracePeriodSeconds: 0,
      labels: { app: 'web' }, annotations: { 'a/b': 'c' },
      ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: 'u-0', controller: true }],
      finalizers: ['example.com/keep'],
      managedFields: [{ manager: 'helm', operation: 'Apply', apiVersion: 'apps/v1', time: { seconds: 1700000000 }, fieldsType: 'FieldsV1', fieldsV1: { Raw: Buffer.from('{"f:spec":{"f:replicas":{}}}') } }],
    },
    spec: {
      replicas: 0, paused: false, minReadySeconds: 0,
      selector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['fe'] }] },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: { type: 1, strVal: '25%' }, maxUnavailable: { type: 0, intVal: 0 } } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          terminationGracePeriodSeconds: 30,
          containers: [{
            name: 'c', image: 'nginx', imagePullPolicy: 'IfNotPresent', terminationMessagePath: '/dev/termination-log',
            resources: { limits: { cpu: { string: '500m' }, memory: { string: '128Mi' } } },
            env: [{ name: 'A', value: '1' }, { name: 'S', valueFrom: { secretKeyRef: { localObjectReference: { name: 'sec' }, key: 'k' } } }],
            readinessProbe: { handler: { httpGet: { path: '/healthz', port: { type: 1, strVal: 'http' } } }, periodSeconds: 5 },
            volumeMounts: [{ name: 'cfg', mountPath: '/etc/cfg', readOnly: true }],
            securityContext: { runAsNonRoot: false, capabilities: { drop: ['ALL'] } },
          }],
          volumes: [{ name: 'cfg', volumeSource: { configMap: { localObjectReference: { name: 'cm' }, defaultMode: 420 } } }],
        },
      },
    },
  });
  assert.deepEqual(decodeKubeProtobuf(body), {
    kind: 'Deployment', apiVersion: 'apps/v1',
    metadata: {
      name: 'web', namespace: 'prod', uid: 'u-1', resourceVersion: '42', generation: 3,
      creationTimestamp: '2023-11-14T22:13:20Z', deletionTimestamp: '2023-11-14T22:15:00Z', deletionGracePeriodSeconds: 0,
      labels: { app: 'web' }, annotations: { 'a/b': 'c' },
      ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: 'u-0', controller: true }],
      finalizers: ['example.com/keep'],
      managedFields: [{ manager: 'helm', operation: 'Apply', apiVersion: 'apps/v1', time: '2023-11-14T22:13:20Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': { 'f:replicas': {} } } }],
    },
    spec: {
      replicas: 0,
      selector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['fe'] }] },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          terminationGracePeriodSeconds: 30,
          containers: [{
            name: 'c', image: 'nginx', imagePullPolicy: 'IfNotPresent', terminationMessagePath: '/dev/termination-log',
            resources: { limits: { cpu: '500m', memory: '128Mi' } },
            env: [{ name: 'A', value: '1' }, { name: 'S', valueFrom: { secretKeyRef: { name: 'sec', key: 'k' } } }],
            readinessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 5 },
            volumeMounts: [{ name: 'cfg', mountPath: '/etc/cfg', readOnly: true }],
            securityContext: { runAsNonRoot: false, capabilities: { drop: ['ALL'] } },
          }],
          volumes: [{ name: 'cfg', configMap: { name: 'cm', defaultMode: 420 } }],
        },
      },
    },
  });
});

test('DeleteOptions decode whatever group the envelope names (helm sends them on release deletes)', () => {
  const body = encodeKubeProtobuf('v1', 'DeleteOptions', { propagationPolicy: 'Background', gracePeriodSeconds: 0, preconditions: { resourceVersion: '7' } });
  assert.deepEqual(decodeKubeProtobuf(body), { kind: 'DeleteOptions', apiVersion: 'v1', gracePeriodSeconds: 0, preconditions: { resourceVersion: '7' }, propagationPolicy: 'Background' });
});

test('bad bodies: no magic, garbage, unknown kind (415), content encoding', () => {
  assert.throws(() => decodeKubeProtobuf(Buffer.from('{"kind":"Secret"}')), (e) => isBerthError(e, 'InvalidArgument') && /magic/.test(e.message));
  assert.throws(() => decodeKubeProtobuf(Buffer.concat([Buffer.from('k8s\0'), Buffer.from([0x0a, 0xff, 0xff, 0xff])])), (e) => isBerthError(e, 'InvalidArgument'));
  const good = fixture('configmap.bin');
  assert.throws(() => decodeKubeProtobuf(good.subarray(0, good.length - 5)), (e) => isBerthError(e, 'InvalidArgument'));
  assert.throws(() => decodeKubeProtobuf(encodeUnknown('apps/v1', 'StatefulSet')), (e) => isBerthError(e, 'InvalidArgument') && (e.details as any).status.code === 415);
  assert.throws(() => decodeKubeProtobuf(encodeUnknown('v1', 'Secret', 'gzip')), (e) => isBerthError(e, 'InvalidArgument') && /gzip/.test(e.message));
});

/** A hand-built envelope (field 1 typeMeta, 3 contentEncoding) with an empty raw message. */
function encodeUnknown(apiVersion: string, kind: string, contentEncoding = ''): Buffer {
  const str = (field: number, s: string) => { const b = Buffer.from(s); return Buffer.concat([Buffer.from([(field << 3) | 2, b.length]), b]); };
  const typeMeta = Buffer.concat([str(1, apiVersion), str(2, kind)]);
  return Buffer.concat([Buffer.from('k8s\0'), Buffer.from([0x0a, typeMeta.length]), typeMeta, contentEncoding ? str(3, contentEncoding) : Buffer.alloc(0)]);
}

test('real helm 4 release Secrets (install POST, status PUTs) and its DeleteOptions', async () => {
  const { gunzipSync } = await import('node:zlib');
  const release = (s: any) => JSON.parse(gunzipSync(Buffer.from(Buffer.from(s.data.release, 'base64').toString(), 'base64')).toString());
  const created = decodeKubeProtobuf(fixture('helm-secret-create-1.bin')) as any;
  assert.equal(created.kind, 'Secret');
  assert.equal(created.type, 'helm.sh/release.v1');
  assert.equal(created.metadata.name, 'sh.helm.release.v1.rel.v1');
  assert.deepEqual({ ...created.metadata.labels, createdAt: 'x' }, { createdAt: 'x', name: 'rel', owner: 'helm', status: 'pending-install', version: '1' });
  assert.equal(created.metadata.resourceVersion, undefined);
  assert.equal(release(created).name, 'rel');
  assert.equal(release(created).info.status, 'pending-install');
  const updated = decodeKubeProtobuf(fixture('helm-secret-update-1.bin')) as any;
  assert.equal(updated.metadata.labels.status, 'deployed');
  assert.equal(updated.metadata.resourceVersion, undefined, 'helm PUTs without a resourceVersion');
  assert.match(release(updated).manifest, /kind: ConfigMap/);
  assert.deepEqual(decodeKubeProtobuf(fixture('helm-delete-options-1.bin')), { kind: 'DeleteOptions', apiVersion: 'v1' });
});
