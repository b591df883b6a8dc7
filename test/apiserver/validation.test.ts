/** Defaulting and validation of built-in kinds: 422 Invalid with field causes, defaults kubectl shows, immutable fields, unknown fields. */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApi, ok, fails, call, cm, deployment, type Harness } from './helpers/api.js';

let h: Harness;
before(async () => (h = await startApi('validation')));
after(async () => h.close());

const NS = '/api/v1/namespaces/default';
const DEPLOY = '/apis/apps/v1/namespaces/default/deployments';
const fields = (st: any) => st.details.causes.map((c: any) => c.field);

test('names: DNS-1123 subdomain for most kinds, label for namespaces, DNS-1035 for services', async () => {
  const st = await fails(h.api, 'POST', `${NS}/configmaps`, 422, { body: cm('Bad_Name') }, 'Invalid');
  assert.deepEqual(fields(st), ['metadata.name']);
  assert.match(st.message, /^ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain/);
  await fails(h.api, 'POST', '/api/v1/namespaces', 422, { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a.b' } } }, 'Invalid');
  await fails(h.api, 'POST', `${NS}/services`, 422, { body: { apiVersion: 'v1', kind: 'Service', metadata: { name: '1svc' }, spec: { ports: [{ port: 80 }] } } }, 'Invalid');
  const noName = await fails(h.api, 'POST', `${NS}/configmaps`, 422, { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: {} } });
  assert.equal(noName.details.causes[0].message, 'Required value: name or generateName is required');
  const badLabel = await fails(h.api, 'POST', `${NS}/configmaps`, 422, { body: cm('ok', {}, { labels: { 'bad key!': 'v', good: 'bad value!' } }) });
  assert.deepEqual(fields(badLabel).sort(), ['metadata.labels', 'metadata.labels[good]']);
});

test('pods: defaults kubectl shows and container rules', async () => {
  const pod = await ok(h.api, 'POST', `${NS}/pods`, { body: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'nginx', ports: [{ containerPort: 80 }] }, { name: 'd', image: 'busybox:1.36' }] } } });
  assert.equal(pod.spec.restartPolicy, 'Always');
  assert.equal(pod.spec.dnsPolicy, 'ClusterFirst');
  assert.equal(pod.spec.terminationGracePeriodSeconds, 30);
  assert.equal(pod.spec.schedulerName, 'default-scheduler');
  assert.equal(pod.spec.containers[0].imagePullPolicy, 'Always', 'untagged → Always');
  assert.equal(pod.spec.containers[1].imagePullPolicy, 'IfNotPresent');
  assert.equal(pod.spec.containers[0].terminationMessagePath, '/dev/termination-log');
  assert.equal(pod.spec.containers[0].terminationMessagePolicy, 'File');
  assert.equal(pod.spec.containers[0].ports[0].protocol, 'TCP');
  assert.equal(pod.status.phase, 'Pending');
  assert.equal(pod.spec.serviceAccountName, 'default');
  assert.equal(pod.spec.priority, 0);
  assert.deepEqual(pod.spec.tolerations.map((t: any) => [t.key, t.effect, t.tolerationSeconds]), [['node.kubernetes.io/not-ready', 'NoExecute', 300], ['node.kubernetes.io/unreachable', 'NoExecute', 300]]);
  assert.equal(pod.status.qosClass, 'BestEffort');
  const st = await fails(h.api, 'POST', `${NS}/pods`, 422, { body: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'q' }, spec: { restartPolicy: 'Sometimes', containers: [{ name: 'c', image: '' }, { name: 'c', image: 'x', ports: [{ containerPort: 70000 }] }] } } });
  assert.deepEqual(fields(st).sort(), ['spec.containers[0].image', 'spec.containers[1].name', 'spec.containers[1].ports[0].containerPort', 'spec.restartPolicy'].sort());
  const guaranteed = await ok(h.api, 'POST', `${NS}/pods`, { body: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'g' }, spec: { containers: [{ name: 'c', image: 'x', resources: { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1000m', memory: '1024Mi' } } }] } } });
  assert.equal(guaranteed.status.qosClass, 'Guaranteed');
  const burst = await ok(h.api, 'POST', `${NS}/pods`, { body: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'b' }, spec: { containers: [{ name: 'c', image: 'x', resources: { requests: { cpu: '100m' } } }] } } });
  assert.equal(burst.status.qosClass, 'Burstable');
  const none = await fails(h.api, 'POST', `${NS}/pods`, 422, { body: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'q' }, spec: { containers: [] } } });
  assert.deepEqual(fields(none), ['spec.containers']);
  // Pod specs are immutable except images and a few fields.
  const changed = await fails(h.api, 'PUT', `${NS}/pods/p`, 422, { body: { ...pod, spec: { ...pod.spec, restartPolicy: 'Never' } } });
  assert.match(changed.message, /pod updates may not change fields/);
  const img = await ok(h.api, 'PUT', `${NS}/pods/p`, { body: { ...pod, spec: { ...pod.spec, containers: [{ ...pod.spec.containers[0], image: 'nginx:1.27' }, pod.spec.containers[1]] } } });
  assert.equal(img.spec.containers[0].image, 'nginx:1.27');
});

test('deployments: defaults, selector must match template labels, selector immutable', async () => {
  const d = await ok(h.api, 'POST', DEPLOY, { body: deployment('web') });
  assert.equal(d.spec.replicas, 1);
  assert.deepEqual(d.spec.strategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } });
  assert.equal(d.spec.revisionHistoryLimit, 10);
  assert.equal(d.spec.progressDeadlineSeconds, 600);
  assert.equal(d.spec.template.spec.restartPolicy, 'Always');
  assert.equal(d.spec.template.spec.containers[0].imagePullPolicy, 'IfNotPresent');
  assert.deepEqual(d.status, {});
  const mismatch = deployment('bad');
  mismatch.spec.template.metadata.labels = { app: 'other' };
  const st = await fails(h.api, 'POST', DEPLOY, 422, { body: mismatch }, 'Invalid');
  assert.deepEqual(fields(st), ['spec.template.metadata.labels']);
  assert.match(st.message, /^Deployment.apps "bad" is invalid: spec.template.metadata.labels: Invalid value: .*`selector` does not match template `labels`/);
  const image = deployment('noimage');
  (image.spec.template.spec.containers[0] as any).image = '';
  const st2 = await fails(h.api, 'POST', DEPLOY, 422, { body: image });
  assert.deepEqual(fields(st2), ['spec.template.spec.containers[0].image']);
  const neg = await fails(h.api, 'POST', DEPLOY, 422, { body: deployment('neg', { replicas: -1 }) });
  assert.deepEqual(fields(neg), ['spec.replicas']);
  const noSel = deployment('nosel') as any;
  delete noSel.spec.selector;
  assert.deepEqual(fields(await fails(h.api, 'POST', DEPLOY, 422, { body: noSel })), ['spec.selector']);
  const moved = await fails(h.api, 'PUT', `${DEPLOY}/web`, 422, { body: { ...d, spec: { ...d.spec, selector: { matchLabels: { app: 'web', v: '2' } }, template: { ...d.spec.template, metadata: { labels: { app: 'web', v: '2' } } } } } });
  assert.deepEqual(fields(moved), ['spec.selector']);
  assert.match(moved.details.causes[0].message, /field is immutable/);
});

test('other workloads: replicasets, statefulsets, daemonsets, jobs, cronjobs', async () => {
  const tmpl = { metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } };
  const rs = await ok(h.api, 'POST', '/apis/apps/v1/namespaces/default/replicasets', { body: { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'rs' }, spec: { selector: { matchLabels: { app: 'x' } }, template: tmpl } } });
  assert.equal(rs.spec.replicas, 1);
  const sts = await ok(h.api, 'POST', '/apis/apps/v1/namespaces/default/statefulsets', { body: { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'sts' }, spec: { serviceName: 's', selector: { matchLabels: { app: 'x' } }, template: tmpl } } });
  assert.equal(sts.spec.podManagementPolicy, 'OrderedReady');
  assert.deepEqual(sts.spec.updateStrategy, { type: 'RollingUpdate', rollingUpdate: { partition: 0 } });
  const stsBad = await fails(h.api, 'PUT', '/apis/apps/v1/namespaces/default/statefulsets/sts', 422, { body: { ...sts, spec: { ...sts.spec, serviceName: 'other' } } });
  assert.deepEqual(fields(stsBad), ['spec']);
  const ds = await ok(h.api, 'POST', '/apis/apps/v1/namespaces/default/daemonsets', { body: { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'ds' }, spec: { selector: { matchLabels: { app: 'x' } }, template: tmpl } } });
  assert.equal(ds.spec.updateStrategy.type, 'RollingUpdate');
  const job = await ok(h.api, 'POST', '/apis/batch/v1/namespaces/default/jobs', { body: { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'job' }, spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } } } });
  assert.equal(job.spec.completions, 1);
  assert.equal(job.spec.parallelism, 1);
  assert.equal(job.spec.backoffLimit, 6);
  assert.equal(job.spec.selector.matchLabels['batch.kubernetes.io/controller-uid'], job.metadata.uid);
  assert.equal(job.spec.template.metadata.labels['job-name'], 'job');
  const always = await fails(h.api, 'POST', '/apis/batch/v1/namespaces/default/jobs', 422, { body: { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'job2' }, spec: { template: { spec: { restartPolicy: 'Always', containers: [{ name: 'c', image: 'busybox' }] } } } } });
  assert.deepEqual(fields(always), ['spec.template.spec.restartPolicy']);
  const cj = await ok(h.api, 'POST', '/apis/batch/v1/namespaces/default/cronjobs', { body: { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'cj' }, spec: { schedule: '*/5 * * * *', jobTemplate: { spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'c', image: 'busybox' }] } } } } } } });
  assert.equal(cj.spec.concurrencyPolicy, 'Allow');
  assert.equal(cj.spec.successfulJobsHistoryLimit, 3);
  await fails(h.api, 'POST', '/apis/batch/v1/namespaces/default/cronjobs', 422, { body: { ...cj, metadata: { name: 'cj2' }, spec: { ...cj.spec, schedule: 'every so often' } } });
});

test('services: defaults, cluster IP allocation in 10.96.0.0/12, port rules, clusterIP immutable, NodePort', async () => {
  const svc = await ok(h.api, 'POST', `${NS}/services`, { body: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } } });
  assert.equal(svc.spec.type, 'ClusterIP');
  assert.equal(svc.spec.sessionAffinity, 'None');
  assert.equal(svc.spec.ports[0].protocol, 'TCP');
  assert.equal(svc.spec.ports[0].targetPort, 80);
  assert.match(svc.spec.clusterIP, /^10\.(9[6-9]|10[0-9]|11[01])\.\d+\.\d+$/);
  assert.deepEqual(svc.spec.clusterIPs, [svc.spec.clusterIP]);
  const other = await ok(h.api, 'POST', `${NS}/services`, { body: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web2' }, spec: { ports: [{ port: 80 }] } } });
  assert.notEqual(other.spec.clusterIP, svc.spec.clusterIP);
  const taken = await fails(h.api, 'POST', `${NS}/services`, 422, { body: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web3' }, spec: { clusterIP: svc.spec.clusterIP, ports: [{ port: 80 }] } } });
  assert.match(taken.message, /already allocated/);
  const imm = await fails(h.api, 'PUT', `${NS}/services/web`, 422, { body: { ...svc, spec: { ...svc.spec, clusterIP: '10.96.9.9', clusterIPs: ['10.96.9.9'] } } });
  assert.deepEqual(fields(imm), ['spec.clusterIP']);
  // Leaving clusterIP out on update keeps it (kubectl replace of a file without it).
  const { clusterIP: _c, clusterIPs: _cs, ...specNoIp } = svc.spec;
  const kept = await ok(h.api, 'PUT', `${NS}/services/web`, { body: { ...svc, spec: specNoIp } });
  assert.equal(kept.spec.clusterIP, svc.spec.clusterIP);
  const ports = await fails(h.api, 'POST', `${NS}/services`, 422, { body: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'p' }, spec: { ports: [{ port: 0 }, { port: 80, protocol: 'XTP' }] } } });
  assert.deepEqual(fields(ports).sort(), ['spec.ports[0].name', 'spec.ports[0].port', 'spec.ports[0].targetPort', 'spec.ports[1].name', 'spec.ports[1].protocol'].sort());
  const np = await ok(h.api, 'POST', `${NS}/services`, { body: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'np' }, spec: { type: 'NodePort', ports: [{ port: 80 }] } } });
  assert.ok(np.spec.ports[0].nodePort >= 30000 && np.spec.ports[0].nodePort <= 32767);
  assert.equal(np.spec.externalTrafficPolicy, 'Cluster');
  const back = await ok(h.api, 'PUT', `${NS}/services/np`, { body: { ...np, spec: { ...np.spec, type: 'ClusterIP' } } });
  assert.equal(back.spec.ports[0].nodePort, undefined, 'turning into ClusterIP releases node ports');
  assert.equal(back.spec.clusterIP, np.spec.clusterIP);
  const again = await ok(h.api, 'PUT', `${NS}/services/np`, { body: { ...back, spec: { ...back.spec, type: 'NodePort' } } });
  assert.ok(again.spec.ports[0].nodePort >= 30000);
  const headless = await ok(h.api, 'POST', `${NS}/services`, { body: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'hl' }, spec: { clusterIP: 'None', selector: { app: 'x' } } } });
  assert.equal(headless.spec.clusterIP, 'None');
  const ext = await ok(h.api, 'POST', `${NS}/services`, { body: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'ext' }, spec: { type: 'ExternalName', externalName: 'example.com' } } });
  assert.equal(ext.spec.clusterIP, undefined);
});

test('configmaps and secrets: keys, base64, stringData, type defaults and immutability', async () => {
  const st = await fails(h.api, 'POST', `${NS}/configmaps`, 422, { body: cm('keys', { 'bad key': 'x' }) });
  assert.deepEqual(fields(st), ['data']);
  const sec = await ok(h.api, 'POST', `${NS}/secrets`, { body: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, stringData: { user: 'admin' }, data: { pw: Buffer.from('x').toString('base64') } } });
  assert.equal(sec.type, 'Opaque');
  assert.equal(Buffer.from(sec.data.user, 'base64').toString(), 'admin');
  assert.equal(sec.stringData, undefined);
  await fails(h.api, 'POST', `${NS}/secrets`, 422, { body: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's2' }, data: { k: 'not base64!' } } });
  const tls = await fails(h.api, 'POST', `${NS}/secrets`, 422, { body: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's3' }, type: 'kubernetes.io/tls', data: {} } });
  assert.deepEqual(fields(tls).sort(), ['data[tls.crt]', 'data[tls.key]']);
  const typeChange = await fails(h.api, 'PUT', `${NS}/secrets/s`, 422, { body: { ...sec, type: 'example.com/custom' } });
  assert.deepEqual(fields(typeChange), ['type']);
  const frozen = await ok(h.api, 'POST', `${NS}/configmaps`, { body: { ...cm('frozen'), immutable: true } });
  const change = await fails(h.api, 'PUT', `${NS}/configmaps/frozen`, 422, { body: { ...frozen, data: { a: '2' } } });
  assert.deepEqual(fields(change), ['data']);
});

test('fieldValidation: Strict rejects unknown fields with 400, Warn returns a Warning header, Ignore accepts', async () => {
  const body = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'fv', bogus: 1 }, data: { a: '1' }, extra: true };
  const st = await fails(h.api, 'POST', `${NS}/configmaps`, 400, { body, query: { fieldValidation: 'Strict' } }, 'BadRequest');
  assert.match(st.message, /strict decoding error: unknown field "metadata.bogus", unknown field "extra"/);
  const warn = await call(h.api, 'POST', `${NS}/configmaps`, { body, query: { fieldValidation: 'Warn' } });
  assert.equal(warn.status, 201);
  assert.match(warn.headers.warning ?? '', /unknown field \\"extra\\"/);
  await ok(h.api, 'DELETE', `${NS}/configmaps/fv`);
  const ign = await call(h.api, 'POST', `${NS}/configmaps`, { body, query: { fieldValidation: 'Ignore' } });
  assert.equal(ign.status, 201);
  assert.equal(ign.headers.warning, undefined);
  const dep = deployment('strict') as any;
  dep.spec.template.spec.containers[0].imagePolicy = 'x';
  const st2 = await fails(h.api, 'POST', DEPLOY, 400, { body: dep, query: { fieldValidation: 'Strict' } });
  assert.match(st2.message, /unknown field "spec.template.spec.containers\[0\].imagePolicy"/);
  await fails(h.api, 'POST', `${NS}/configmaps`, 400, { body: cm('x'), query: { fieldValidation: 'Loud' } });
});

test('fieldValidation checks what the client sent, not server defaults; patches are checked by their document', async () => {
  const job = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'strict-job' }, spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } } };
  const created = await ok(h.api, 'POST', '/apis/batch/v1/namespaces/default/jobs', { body: job, query: { fieldValidation: 'Strict' } });
  assert.equal(created.spec.podReplacementPolicy, 'TerminatingOrFailed');
  await ok(h.api, 'PATCH', '/apis/batch/v1/namespaces/default/jobs/strict-job', { body: { metadata: { labels: { a: 'b' } } }, contentType: 'application/strategic-merge-patch+json', query: { fieldValidation: 'Strict' } });
  const st = await fails(h.api, 'PATCH', '/apis/apps/v1/namespaces/default/deployments/web', 400, { body: { spec: { replicaz: 2, template: { spec: { $setElementOrder: [], containers: [{ name: 'web', image: 'x' }] } } } }, contentType: 'application/strategic-merge-patch+json', query: { fieldValidation: 'Strict' } });
  assert.match(st.message, /unknown field "spec.replicaz"/);
  assert.doesNotMatch(st.message, /setElementOrder/);
  const applyBad = await fails(h.api, 'PATCH', '/api/v1/namespaces/default/configmaps/applied', 400, { body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'applied' }, dta: {} }), contentType: 'application/apply-patch+yaml', query: { fieldManager: 'kubectl', fieldValidation: 'Strict' } });
  assert.match(applyBad.message, /unknown field "dta"/);
  await fails(h.api, 'PATCH', '/api/v1/namespaces/default/configmaps/applied', 400, { body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'applied' } }), contentType: 'application/apply-patch+yaml' });
  const upd = await ok(h.api, 'GET', '/apis/batch/v1/namespaces/default/jobs/strict-job');
  await ok(h.api, 'PUT', '/apis/batch/v1/namespaces/default/jobs/strict-job', { body: upd, query: { fieldValidation: 'Strict' } });
});

test('the default, kube-system and kube-public namespaces cannot be deleted', async () => {
  for (const n of ['default', 'kube-system', 'kube-public']) {
    const st = await fails(h.api, 'DELETE', `/api/v1/namespaces/${n}`, 403, {}, 'Forbidden');
    assert.equal(st.message, `namespaces "${n}" is forbidden: this namespace may not be deleted`);
  }
});

test('rbac and other kinds: roleRef rules and immutability', async () => {
  const rb = await ok(h.api, 'POST', '/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings', { body: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'rb' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'r' }, subjects: [{ kind: 'User', name: 'u' }] } });
  await fails(h.api, 'PUT', '/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings/rb', 422, { body: { ...rb, roleRef: { ...rb.roleRef, name: 'other' } } });
  await fails(h.api, 'POST', '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', 422, { body: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'crb' }, roleRef: { kind: 'Thing', name: 'x' } } });
  const lease = await ok(h.api, 'POST', '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases', { body: { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'node-1' }, spec: { holderIdentity: 'node-1', leaseDurationSeconds: 40 } } });
  assert.equal(lease.spec.holderIdentity, 'node-1');
});

test('every object the server defaulted can be written back with fieldValidation=Strict (kubectl replace)', async () => {
  const paths = [
    `${DEPLOY}/web`, '/apis/apps/v1/namespaces/default/replicasets/rs', '/apis/apps/v1/namespaces/default/statefulsets/sts', '/apis/apps/v1/namespaces/default/daemonsets/ds',
    '/apis/batch/v1/namespaces/default/jobs/job', '/apis/batch/v1/namespaces/default/cronjobs/cj', `${NS}/services/web`, `${NS}/services/np`, `${NS}/pods/p`, `${NS}/secrets/s`, '/api/v1/namespaces/default',
  ];
  for (const p of paths) {
    const o = await ok(h.api, 'GET', p);
    const r = await call(h.api, 'PUT', p, { body: o, query: { fieldValidation: 'Strict' } });
    assert.equal(r.status, 200, `${p}: ${JSON.stringify(r.body)}`);
  }
});
