/**
 * The end-to-end suite with real clients — kubectl 1.34 and helm 4 (and kubectl 1.32,
 * @kubernetes/client-node) — against the whole Kubernetes API (transport + apiserver + storage).
 * One suite, run on SQLite (e2e-sqlite.test.ts) and on etcd (e2e-etcd.test.ts).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import * as k8s from '@kubernetes/client-node';
import { cliFor, type Cli } from './helpers/kube-cli.js';
import { startKubeServer, type Backend, type KubeServer } from './helpers/kube-server.js';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const fixture = (name: string) => path.join(FIXTURES, name);

async function eventually<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export function kubeE2eSuite(backend: Backend): void {
  describe(`kubectl, helm and client-node against berth (${backend})`, () => {
    let server: KubeServer;
    let cli: Cli;

    before(async () => {
      server = await startKubeServer(backend);
      cli = cliFor(server);
    });
    after(async () => {
      await server?.close();
    });

    test('version, discovery (api-resources), auth whoami (protobuf body)', async () => {
      const v = JSON.parse((await cli.kubectl(['version', '-o', 'json'])).stdout);
      assert.equal(v.serverVersion.major, '1');
      assert.match(v.serverVersion.gitVersion, /^v1\.\d+\.\d+/);
      const res = (await cli.kubectl(['api-resources', '--no-headers', '-o', 'name'])).stdout.split('\n');
      for (const r of ['configmaps', 'secrets', 'namespaces', 'pods', 'services', 'deployments.apps', 'jobs.batch', 'customresourcedefinitions.apiextensions.k8s.io', 'leases.coordination.k8s.io']) {
        assert.ok(res.includes(r), `api-resources lists ${r}`);
      }
      const who = JSON.parse((await cli.kubectl(['auth', 'whoami', '-o', 'json'])).stdout);
      assert.equal(who.status.userInfo.username, 'admin');
      assert.deepEqual(who.status.userInfo.groups, ['system:masters', 'system:authenticated']);
      const as = JSON.parse((await cli.kubectl(['auth', 'whoami', '-o', 'json', '--as=jane', '--as-group=qa'])).stdout);
      assert.deepEqual([as.status.userInfo.username, as.status.userInfo.groups], ['jane', ['qa', 'system:authenticated']]);
    });

    test('create namespace, configmap, secret, deployment, service, job, cronjob, role(binding), hpa (protobuf bodies); get -o json|yaml|jsonpath|wide', async () => {
      await cli.kubectl(['create', 'namespace', 'e2e-create']);
      await cli.kubectl(['-n', 'e2e-create', 'create', 'configmap', 'c1', '--from-literal=a=1', '--from-literal=b=two']);
      await cli.kubectl(['-n', 'e2e-create', 'create', 'secret', 'generic', 's1', '--from-literal=password=hunter2']);
      await cli.kubectl(['-n', 'e2e-create', 'create', 'deployment', 'd1', '--image=busybox:1.36', '--replicas=2']);
      // More generators kubectl sends as protobuf.
      await cli.kubectl(['-n', 'e2e-create', 'create', 'serviceaccount', 'sa1']);
      await cli.kubectl(['-n', 'e2e-create', 'create', 'service', 'clusterip', 'svc1', '--tcp=80:8080']);
      await cli.kubectl(['-n', 'e2e-create', 'create', 'job', 'j1', '--image=busybox:1.36', '--', 'true']);
      await cli.kubectl(['-n', 'e2e-create', 'create', 'cronjob', 'cj1', '--image=busybox:1.36', '--schedule=*/5 * * * *']);
      await cli.kubectl(['-n', 'e2e-create', 'create', 'role', 'r1', '--verb=get', '--resource=configmaps']);
      await cli.kubectl(['-n', 'e2e-create', 'create', 'rolebinding', 'rb1', '--role=r1', '--serviceaccount=e2e-create:sa1']);
      await cli.kubectl(['-n', 'e2e-create', 'autoscale', 'deployment', 'd1', '--min=1', '--max=3', '--cpu=80%']);
      const made = (await cli.kubectl(['-n', 'e2e-create', 'get', 'sa/sa1', 'svc/svc1', 'job/j1', 'cronjob/cj1', 'role/r1', 'rolebinding/rb1', 'hpa/d1', '-o', 'name'])).stdout.trim().split('\n');
      assert.deepEqual(made, ['serviceaccount/sa1', 'service/svc1', 'job.batch/j1', 'cronjob.batch/cj1', 'role.rbac.authorization.k8s.io/r1', 'rolebinding.rbac.authorization.k8s.io/rb1', 'horizontalpodautoscaler.autoscaling/d1']);
      assert.equal((await cli.getJson(['-n', 'e2e-create', 'service', 'svc1'])).spec.ports[0].targetPort, 8080);
      assert.equal((await cli.getJson(['-n', 'e2e-create', 'cronjob', 'cj1'])).spec.schedule, '*/5 * * * *');
      const ns = await cli.getJson(['namespace', 'e2e-create']);
      assert.equal(ns.status.phase, 'Active');
      const cm = await cli.getJson(['-n', 'e2e-create', 'configmap', 'c1']);
      assert.deepEqual(cm.data, { a: '1', b: 'two' });
      assert.match(cm.metadata.uid, /^[0-9a-f-]{36}$/);
      assert.match(cm.metadata.resourceVersion, /^\d+$/);
      const secret = YAML.parse((await cli.kubectl(['-n', 'e2e-create', 'get', 'secret', 's1', '-o', 'yaml'])).stdout);
      assert.equal(Buffer.from(secret.data.password, 'base64').toString(), 'hunter2');
      assert.equal(secret.type, 'Opaque');
      const replicas = (await cli.kubectl(['-n', 'e2e-create', 'get', 'deployment', 'd1', '-o', 'jsonpath={.spec.replicas}/{.spec.template.spec.containers[0].image}'])).stdout;
      assert.equal(replicas, '2/busybox:1.36');
      const wide = (await cli.kubectl(['-n', 'e2e-create', 'get', 'deployment', 'd1', '-o', 'wide'])).stdout;
      assert.match(wide.split('\n')[0]!, /NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\s+CONTAINERS\s+IMAGES\s+SELECTOR/);
      assert.match(wide, /d1\s+0\/2\s+.*busybox:1\.36\s+app=d1/);
      const dup = await cli.kubectl(['-n', 'e2e-create', 'create', 'configmap', 'c1'], { expectFail: true });
      assert.match(dup.stderr, /configmaps "c1" already exists/);
      const missing = await cli.kubectl(['-n', 'e2e-create', 'get', 'configmap', 'nope'], { expectFail: true });
      assert.match(missing.stderr, /NotFound.*configmaps "nope" not found/);
    });

    test('apply -f client-side: create, unchanged, configured; get -l and -A', async () => {
      await cli.kubectl(['create', 'namespace', 'e2e-apply']);
      const first = (await cli.kubectl(['-n', 'e2e-apply', 'apply', '-f', fixture('app.yaml')])).stdout;
      assert.match(first, /configmap\/app-config created/);
      assert.match(first, /deployment.apps\/web created/);
      assert.match(first, /service\/web created/);
      const again = (await cli.kubectl(['-n', 'e2e-apply', 'apply', '-f', fixture('app.yaml')])).stdout;
      assert.match(again, /deployment.apps\/web unchanged/);
      const changed = fs.readFileSync(fixture('app.yaml'), 'utf8').replace('replicas: 2', 'replicas: 3').replace('value: one', 'value: two');
      const third = (await cli.kubectl(['-n', 'e2e-apply', 'apply', '-f', '-'], { input: changed })).stdout;
      assert.match(third, /deployment.apps\/web configured/);
      assert.match(third, /configmap\/app-config unchanged/);
      const d = await cli.getJson(['-n', 'e2e-apply', 'deployment', 'web']);
      assert.equal(d.spec.replicas, 3);
      assert.deepEqual(d.spec.template.spec.containers[0].env, [{ name: 'MODE', value: 'two' }]);
      assert.ok(d.metadata.generation >= 2);
      assert.ok(d.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']);
      const svc = await cli.getJson(['-n', 'e2e-apply', 'service', 'web']);
      assert.match(svc.spec.clusterIP, /^\d+\.\d+\.\d+\.\d+$/);
      const byLabel = (await cli.kubectl(['get', 'configmaps', '-A', '-l', 'tier=config', '--no-headers'])).stdout.trim().split('\n');
      assert.deepEqual(byLabel.map((l) => l.split(/\s+/).slice(0, 2).join('/')), ['e2e-apply/app-config']);
      const none = (await cli.kubectl(['-n', 'e2e-apply', 'get', 'configmaps', '-l', 'tier=nothing'])).stderr;
      assert.match(none, /No resources found in e2e-apply namespace/);
    });

    test('apply --server-side: managedFields, conflicts with another manager, --force-conflicts', async () => {
      await cli.kubectl(['create', 'namespace', 'e2e-ssa']);
      const created = (await cli.kubectl(['-n', 'e2e-ssa', 'apply', '--server-side', '-f', fixture('app.yaml')])).stdout;
      assert.match(created, /deployment.apps\/web serverside-applied/);
      const d = await cli.getJson(['-n', 'e2e-ssa', 'deployment', 'web', '--show-managed-fields']);
      const mf = d.metadata.managedFields.find((m: any) => m.manager === 'kubectl');
      assert.equal(mf.operation, 'Apply');
      assert.ok(mf.fieldsV1['f:spec']['f:replicas'] !== undefined);
      await cli.kubectl(['-n', 'e2e-ssa', 'patch', 'deployment', 'web', '-p', '{"spec":{"replicas":5}}']);
      const conflict = await cli.kubectl(['-n', 'e2e-ssa', 'apply', '--server-side', '-f', fixture('app.yaml')], { expectFail: true });
      assert.match(conflict.stderr, /conflict with "kubectl-patch"[^\n]*\.spec\.replicas/);
      await cli.kubectl(['-n', 'e2e-ssa', 'apply', '--server-side', '--force-conflicts', '-f', fixture('app.yaml')]);
      assert.equal((await cli.getJson(['-n', 'e2e-ssa', 'deployment', 'web'])).spec.replicas, 2);
      const strict = await cli.kubectl(['-n', 'e2e-ssa', 'apply', '--server-side', '-f', '-'], { input: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: strict\n  bogus: 1\n', expectFail: true });
      assert.match(strict.stderr, /unknown field "metadata\.bogus"/);
    });

    test('label, annotate, patch (merge, json, strategic), scale, edit, describe', async () => {
      await cli.kubectl(['create', 'namespace', 'e2e-patch']);
      await cli.kubectl(['-n', 'e2e-patch', 'apply', '-f', fixture('app.yaml')]);
      await cli.kubectl(['-n', 'e2e-patch', 'label', 'configmap', 'app-config', 'color=blue']);
      await cli.kubectl(['-n', 'e2e-patch', 'annotate', 'configmap', 'app-config', 'note=hi']);
      await cli.kubectl(['-n', 'e2e-patch', 'patch', 'configmap', 'app-config', '--type', 'merge', '-p', '{"data":{"k2":"v2"}}']);
      await cli.kubectl(['-n', 'e2e-patch', 'patch', 'configmap', 'app-config', '--type', 'json', '-p', '[{"op":"add","path":"/data/k3","value":"v3"},{"op":"remove","path":"/data/greeting"}]']);
      const cm = await cli.getJson(['-n', 'e2e-patch', 'configmap', 'app-config']);
      assert.equal(cm.metadata.labels.color, 'blue');
      assert.equal(cm.metadata.annotations.note, 'hi');
      assert.deepEqual(cm.data, { k2: 'v2', k3: 'v3' });
      const failedTest = await cli.kubectl(['-n', 'e2e-patch', 'patch', 'configmap', 'app-config', '--type', 'json', '-p', '[{"op":"test","path":"/data/k2","value":"other"}]'], { expectFail: true });
      assert.match(failedTest.stderr, /test/i);
      // Strategic merge: the env list merges by name, so MODE stays and EXTRA is added.
      await cli.kubectl(['-n', 'e2e-patch', 'patch', 'deployment', 'web', '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"web","env":[{"name":"EXTRA","value":"x"}]}]}}}}']);
      const d = await cli.getJson(['-n', 'e2e-patch', 'deployment', 'web']);
      assert.deepEqual(d.spec.template.spec.containers[0].env.map((e: any) => e.name).sort(), ['EXTRA', 'MODE']);
      assert.equal(d.spec.template.spec.containers.length, 1);
      await cli.kubectl(['-n', 'e2e-patch', 'scale', 'deployment', 'web', '--replicas=4']);
      assert.equal((await cli.getJson(['-n', 'e2e-patch', 'deployment', 'web'])).spec.replicas, 4);
      const editor = path.join(server.dataDir, 'editor.sh');
      fs.writeFileSync(editor, '#!/bin/sh\nsed -i "s/k2: v2/k2: edited/" "$1"\n', { mode: 0o755 });
      const ed = await cli.kubectl(['-n', 'e2e-patch', 'edit', 'configmap', 'app-config'], { env: { EDITOR: editor, KUBE_EDITOR: editor } });
      assert.match(ed.stdout, /configmap\/app-config edited/);
      assert.equal((await cli.getJson(['-n', 'e2e-patch', 'configmap', 'app-config'])).data.k2, 'edited');
      const desc = (await cli.kubectl(['-n', 'e2e-patch', 'describe', 'deployment', 'web'])).stdout;
      assert.match(desc, /Name:\s+web/);
      assert.match(desc, /Replicas:\s+4 desired/);
      assert.match(desc, /busybox:1\.36/);
    });

    test('diff, explain, invalid objects (422 with field causes)', async () => {
      await cli.kubectl(['create', 'namespace', 'e2e-diff']);
      await cli.kubectl(['-n', 'e2e-diff', 'apply', '-f', fixture('app.yaml')]);
      const same = await cli.kubectl(['-n', 'e2e-diff', 'diff', '-f', fixture('app.yaml')]);
      assert.equal(same.stdout, '');
      const changed = fs.readFileSync(fixture('app.yaml'), 'utf8').replace('greeting: hello', 'greeting: bonjour');
      const diff = await cli.kubectl(['-n', 'e2e-diff', 'diff', '-f', '-'], { input: changed, expectFail: true });
      assert.equal(diff.code, 1, diff.stderr);
      assert.match(diff.stdout, /-\s+greeting: hello\n\+\s+greeting: bonjour/);
      // diff is a server-side dry run: nothing changed.
      assert.equal((await cli.getJson(['-n', 'e2e-diff', 'configmap', 'app-config'])).data.greeting, 'hello');
      const explain = (await cli.kubectl(['explain', 'deployment.spec.replicas'])).stdout;
      assert.match(explain, /KIND:\s+Deployment/);
      assert.match(explain, /FIELD:\s+replicas\s+<integer>/);
      const bad = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: broken\nspec:\n  selector:\n    matchLabels: {app: x}\n  template:\n    metadata:\n      labels: {app: "z"}\n    spec:\n      containers: []\n';
      const inv = await cli.kubectl(['-n', 'e2e-diff', 'apply', '-f', '-'], { input: bad, expectFail: true });
      assert.match(inv.stderr, /The Deployment "broken" is invalid/);
      assert.match(inv.stderr, /spec\.template\.spec\.containers: Required value/);
    });

    test('limits through the real stack: a body over 3 MiB is 413, a ConfigMap over 1 MiB is 422; auth can-i', async () => {
      await cli.kubectl(['create', 'namespace', 'e2e-limits']);
      const big = path.join(server.dataDir, 'big.txt');
      fs.writeFileSync(big, 'x'.repeat(3 * 1024 * 1024 + 100));
      const tooBig = await cli.kubectl(['-n', 'e2e-limits', 'create', 'configmap', 'big', `--from-file=${big}`], { expectFail: true });
      assert.match(tooBig.stderr, /larger than the limit of 3145728 bytes/);
      const mid = path.join(server.dataDir, 'mid.txt');
      fs.writeFileSync(mid, 'x'.repeat(2 * 1024 * 1024));
      const tooLong = await cli.kubectl(['-n', 'e2e-limits', 'create', 'configmap', 'mid', `--from-file=${mid}`], { expectFail: true });
      assert.match(tooLong.stderr, /ConfigMap "mid" is invalid: Too long/);
      assert.equal((await cli.kubectl(['-n', 'e2e-limits', 'get', 'configmaps', '-o', 'name', '--field-selector', 'metadata.name!=kube-root-ca.crt'])).stdout, '');
      assert.equal((await cli.kubectl(['auth', 'can-i', 'create', 'deployments'])).stdout.trim(), 'yes');
    });

    test('get -w (Table output) prints a row for a change made while it watches', async () => {
      await cli.kubectl(['create', 'namespace', 'e2e-wtable']);
      // A first row, so the watch has printed its list (and is established) before the change.
      await cli.kubectl(['-n', 'e2e-wtable', 'create', 'configmap', 'first']);
      const lines = await cli.watchFor(['-n', 'e2e-wtable', 'get', 'configmaps', '-w'], /^added-later\s+1\s+/, () =>
        cli.kubectl(['-n', 'e2e-wtable', 'create', 'configmap', 'added-later', '--from-literal=k=v']));
      assert.match(lines[0]!, /^NAME\s+DATA\s+AGE/);
    });

    test('get -w sees a change made while it watches', async () => {
      await cli.kubectl(['create', 'namespace', 'e2e-watch']);
      await cli.kubectl(['-n', 'e2e-watch', 'create', 'configmap', 'before']);
      const lines = await cli.watchFor(['-n', 'e2e-watch', 'get', 'configmaps', '-w', '-o', 'name'], /configmap\/during/, () =>
        cli.kubectl(['-n', 'e2e-watch', 'create', 'configmap', 'during']));
      assert.ok(lines.includes('configmap/before'));
      assert.ok(lines.includes('configmap/during'));
    });

    test('delete: cascading (background, foreground) removes dependents, orphan keeps them; finalizers; namespace deletion', async () => {
      await cli.kubectl(['create', 'namespace', 'e2e-gc']);
      for (const owner of ['owner-a', 'owner-b']) {
        await cli.kubectl(['-n', 'e2e-gc', 'create', 'configmap', owner]);
        const uid = (await cli.getJson(['-n', 'e2e-gc', 'configmap', owner])).metadata.uid;
        const dep = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `${owner}-dep`, ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: owner, uid }] }, data: { x: '1' } };
        await cli.kubectl(['-n', 'e2e-gc', 'create', '-f', '-'], { input: JSON.stringify(dep) });
      }
      const del = await cli.kubectl(['-n', 'e2e-gc', 'delete', 'configmap', 'owner-a']);
      assert.match(del.stdout, /configmap "owner-a" deleted/);
      await eventually('the dependent of owner-a to be collected', async () =>
        (await cli.kubectl(['-n', 'e2e-gc', 'get', 'configmap', 'owner-a-dep', '--ignore-not-found', '-o', 'name'])).stdout === '');
      await cli.kubectl(['-n', 'e2e-gc', 'delete', 'configmap', 'owner-b', '--cascade=orphan']);
      await new Promise((r) => setTimeout(r, 500));
      const orphan = await cli.getJson(['-n', 'e2e-gc', 'configmap', 'owner-b-dep']);
      assert.equal(orphan.metadata.ownerReferences, undefined);
      // Foreground: the owner goes only after its blocking dependent; kubectl waits for both.
      await cli.kubectl(['-n', 'e2e-gc', 'create', 'configmap', 'owner-c']);
      const uidC = (await cli.getJson(['-n', 'e2e-gc', 'configmap', 'owner-c'])).metadata.uid;
      await cli.kubectl(['-n', 'e2e-gc', 'create', '-f', '-'], { input: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'owner-c-dep', ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner-c', uid: uidC, blockOwnerDeletion: true }] } }) });
      await cli.kubectl(['-n', 'e2e-gc', 'delete', 'configmap', 'owner-c', '--cascade=foreground', '--timeout=30s']);
      assert.equal((await cli.kubectl(['-n', 'e2e-gc', 'get', 'configmap', 'owner-c', 'owner-c-dep', '--ignore-not-found', '-o', 'name'])).stdout, '');
      // Finalizers hold a deleted object (deletionTimestamp set) until they are removed.
      await cli.kubectl(['-n', 'e2e-gc', 'create', 'configmap', 'held']);
      await cli.kubectl(['-n', 'e2e-gc', 'patch', 'configmap', 'held', '--type', 'merge', '-p', '{"metadata":{"finalizers":["example.com/hold"]}}']);
      await cli.kubectl(['-n', 'e2e-gc', 'delete', 'configmap', 'held', '--wait=false']);
      assert.match((await cli.getJson(['-n', 'e2e-gc', 'configmap', 'held'])).metadata.deletionTimestamp, /^\d{4}-\d\d-\d\dT/);
      await cli.kubectl(['-n', 'e2e-gc', 'patch', 'configmap', 'held', '--type', 'json', '-p', '[{"op":"remove","path":"/metadata/finalizers"}]']);
      assert.equal((await cli.kubectl(['-n', 'e2e-gc', 'get', 'configmap', 'held', '--ignore-not-found', '-o', 'name'])).stdout, '');
      const ns = await cli.kubectl(['delete', 'namespace', 'e2e-gc']);
      assert.match(ns.stdout, /namespace "e2e-gc" deleted/);
      await eventually('the namespace and its contents to go', async () =>
        (await cli.kubectl(['get', 'namespace', 'e2e-gc', '--ignore-not-found', '-o', 'name'])).stdout === '');
      assert.equal((await cli.kubectl(['get', 'configmaps', '-A', '--field-selector', 'metadata.namespace=e2e-gc', '-o', 'name'])).stdout, '');
    });

    test('a CRD applied and its custom resources used (validation, printer columns, patch, delete)', async () => {
      await cli.kubectl(['create', 'namespace', 'e2e-crd']);
      await cli.kubectl(['apply', '-f', fixture('crd.yaml')]);
      await cli.kubectl(['wait', '--for=condition=Established', 'crd/widgets.example.berth.dev', '--timeout=20s']);
      await eventually('kubectl to discover widgets', async () => (await cli.kubectl(['api-resources', '--api-group=example.berth.dev', '-o', 'name'])).stdout.includes('widgets'));
      await cli.kubectl(['-n', 'e2e-crd', 'apply', '-f', fixture('widget.yaml')]);
      const table = (await cli.kubectl(['-n', 'e2e-crd', 'get', 'wg'])).stdout;
      assert.match(table, /NAME\s+SIZE/);
      assert.match(table, /w1\s+3/);
      await cli.kubectl(['-n', 'e2e-crd', 'patch', 'widget', 'w1', '--type', 'merge', '-p', '{"spec":{"size":5}}']);
      assert.equal((await cli.getJson(['-n', 'e2e-crd', 'widget', 'w1'])).spec.size, 5);
      const bad = await cli.kubectl(['-n', 'e2e-crd', 'patch', 'widget', 'w1', '--type', 'merge', '-p', '{"spec":{"size":0,"color":"pink"}}'], { expectFail: true });
      assert.match(bad.stderr, /spec\.size/);
      const again = fs.readFileSync(fixture('widget.yaml'), 'utf8').replace('size: 3', 'size: 7');
      // kubectl-patch owns spec.size now: like kube, apply needs --force-conflicts to take it.
      await cli.kubectl(['-n', 'e2e-crd', 'apply', '--server-side', '-f', '-'], { input: again, expectFail: true });
      await cli.kubectl(['-n', 'e2e-crd', 'apply', '--server-side', '--force-conflicts', '-f', '-'], { input: again });
      assert.equal((await cli.getJson(['-n', 'e2e-crd', 'widget', 'w1'])).spec.size, 7);
      await cli.kubectl(['-n', 'e2e-crd', 'delete', 'widget', 'w1']);
      assert.equal((await cli.kubectl(['-n', 'e2e-crd', 'get', 'widgets', '-o', 'name'])).stdout, '');
    });

    test('helm install, list, upgrade, rollback, history, uninstall of a chart of ConfigMaps, Secrets and a Service', async () => {
      const chart = fixture('chart');
      // --create-namespace applies the Namespace; --wait=watcher waits with WatchList (sendInitialEvents).
      const inst = (await cli.helm(['install', 'rel', chart, '-n', 'e2e-helm', '--create-namespace', '--wait=watcher', '--timeout', '60s'])).stdout;
      assert.match(inst, /STATUS: deployed/);
      const list = JSON.parse((await cli.helm(['list', '-n', 'e2e-helm', '-o', 'json'])).stdout);
      assert.deepEqual(list.map((r: any) => [r.name, r.revision, r.status]), [['rel', '1', 'deployed']]);
      const secret = await cli.getJson(['-n', 'e2e-helm', 'secret', 'rel-secret']);
      assert.equal(Buffer.from(secret.data.password, 'base64').toString(), 's3cret');
      assert.equal((await cli.getJson(['-n', 'e2e-helm', 'service', 'rel-svc'])).spec.ports[0].port, 80);
      await cli.helm(['upgrade', 'rel', chart, '-n', 'e2e-helm', '--set', 'greeting=bye', '--set', 'extraConfig=true', '--set', 'port=81']);
      assert.equal((await cli.getJson(['-n', 'e2e-helm', 'configmap', 'rel-config'])).data.greeting, 'bye');
      assert.equal((await cli.getJson(['-n', 'e2e-helm', 'configmap', 'rel-extra'])).data.extra, 'yes');
      assert.equal((await cli.getJson(['-n', 'e2e-helm', 'service', 'rel-svc'])).spec.ports[0].port, 81);
      await cli.helm(['rollback', 'rel', '1', '-n', 'e2e-helm']);
      assert.equal((await cli.getJson(['-n', 'e2e-helm', 'configmap', 'rel-config'])).data.greeting, 'hello');
      assert.equal((await cli.kubectl(['-n', 'e2e-helm', 'get', 'configmap', 'rel-extra', '--ignore-not-found', '-o', 'name'])).stdout, '');
      const history = JSON.parse((await cli.helm(['history', 'rel', '-n', 'e2e-helm', '-o', 'json'])).stdout);
      assert.deepEqual(history.map((h: any) => h.status), ['superseded', 'superseded', 'deployed']);
      const releases = (await cli.kubectl(['-n', 'e2e-helm', 'get', 'secrets', '-l', 'owner=helm', '-o', 'name'])).stdout.trim().split('\n');
      assert.equal(releases.length, 3);
      await cli.helm(['uninstall', 'rel', '-n', 'e2e-helm']);
      assert.equal((await cli.kubectl(['-n', 'e2e-helm', 'get', 'configmaps,secrets,services', '-l', 'app.kubernetes.io/instance=rel', '-o', 'name'])).stdout, '');
      assert.equal((await cli.kubectl(['-n', 'e2e-helm', 'get', 'secrets', '-l', 'owner=helm', '-o', 'name'])).stdout, '');
      assert.equal((await cli.helm(['list', '-n', 'e2e-helm', '-q'])).stdout.trim(), '');
    });

    test('kubectl 1.32 gets and applies too', async () => {
      await cli.kubectl132(['create', 'namespace', 'e2e-old']);
      const out = (await cli.kubectl132(['-n', 'e2e-old', 'apply', '-f', fixture('app.yaml')])).stdout;
      assert.match(out, /deployment.apps\/web created/);
      const got = (await cli.kubectl132(['-n', 'e2e-old', 'get', 'deployments,configmaps', '-o', 'name'])).stdout;
      assert.match(got, /deployment.apps\/web/);
      assert.match(got, /configmap\/app-config/);
    });

    test('@kubernetes/client-node lists and watches', async () => {
      const kc = new k8s.KubeConfig();
      kc.loadFromFile(server.kubeconfig);
      const core = kc.makeApiClient(k8s.CoreV1Api);
      await core.createNamespace({ body: { metadata: { name: 'e2e-client' } } });
      await core.createNamespacedConfigMap({ namespace: 'e2e-client', body: { metadata: { name: 'first' }, data: { a: '1' } } });
      const list = await core.listNamespacedConfigMap({ namespace: 'e2e-client' });
      assert.deepEqual(list.items.map((i) => i.metadata?.name).filter((n) => n !== 'kube-root-ca.crt'), ['first']);
      const seen: string[] = [];
      const watch = new k8s.Watch(kc);
      let done!: () => void;
      const gotIt = new Promise<void>((r) => (done = r));
      const req = await watch.watch('/api/v1/namespaces/e2e-client/configmaps', { resourceVersion: list.metadata?.resourceVersion }, (type, obj) => {
        seen.push(`${type} ${obj.metadata?.name}`);
        if (type === 'DELETED') done();
      }, () => {});
      await core.createNamespacedConfigMap({ namespace: 'e2e-client', body: { metadata: { name: 'second' } } });
      await core.patchNamespacedConfigMap({ namespace: 'e2e-client', name: 'second', body: { data: { b: '2' } } }, k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch));
      await core.deleteNamespacedConfigMap({ namespace: 'e2e-client', name: 'second' });
      await Promise.race([gotIt, new Promise((_, rej) => setTimeout(() => rej(new Error(`watch saw only ${JSON.stringify(seen)}`)), 10_000))]);
      req.abort();
      assert.deepEqual(seen, ['ADDED second', 'MODIFIED second', 'DELETED second']);
      await assert.rejects(core.readNamespacedConfigMap({ namespace: 'e2e-client', name: 'second' }), (e: any) => e.code === 404);
    });
  });
}
