/**
 * Strategic merge patches exactly as real kubectl computes them (client-side apply, 3-way diff
 * against last-applied-configuration), applied with applyStrategicMergePatch.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyStrategicMergePatch } from './strategic-merge-patch.js';
import { openapiV3GroupVersion, openapiV3Index } from '../openapi/documents.js';

const gvk = { group: 'apps', version: 'v1', kind: 'Deployment' };

const before = {
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default', labels: { app: 'web', old: 'x' } },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: 'web' } },
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: {
        containers: [
          { name: 'sidecar', image: 'busybox', args: ['sleep', '1d'] },
          { name: 'nginx', image: 'nginx:1.25', env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }] },
        ],
      },
    },
  },
};
const after = {
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
  spec: {
    replicas: 3,
    selector: { matchLabels: { app: 'web' } },
    strategy: { type: 'Recreate' },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: { containers: [{ name: 'nginx', image: 'nginx:1.26', env: [{ name: 'B', value: '2' }, { name: 'C', value: '3' }] }] },
    },
  },
};

test('real kubectl apply: its 3-way strategic merge patch applies to the intended object', async () => {
  const lastApplied = JSON.stringify(before);
  const live = JSON.parse(lastApplied);
  live.metadata.annotations = { 'kubectl.kubernetes.io/last-applied-configuration': `${lastApplied}\n` };
  live.metadata.uid = 'u1';
  live.metadata.resourceVersion = '5';
  live.spec.template.spec.containers[1].imagePullPolicy = 'IfNotPresent'; // a server default the patch must keep
  const patches: { type: string; body: unknown }[] = [];
  const send = (r: ServerResponse, code: number, body: unknown) => { r.writeHead(code, { 'content-type': 'application/json' }); r.end(JSON.stringify(body)); };
  const handle = (req: IncomingMessage, r: ServerResponse, body: string) => {
    const p = new URL(req.url ?? '/', 'http://x').pathname;
    if (p === '/api') return send(r, 200, { kind: 'APIVersions', versions: ['v1'] });
    if (p === '/apis') return send(r, 200, { kind: 'APIGroupList', apiVersion: 'v1', groups: [{ name: 'apps', versions: [{ groupVersion: 'apps/v1', version: 'v1' }], preferredVersion: { groupVersion: 'apps/v1', version: 'v1' } }] });
    if (p === '/api/v1') return send(r, 200, { kind: 'APIResourceList', groupVersion: 'v1', resources: [] });
    if (p === '/apis/apps/v1') return send(r, 200, { kind: 'APIResourceList', groupVersion: 'apps/v1', resources: [{ name: 'deployments', singularName: 'deployment', namespaced: true, kind: 'Deployment', verbs: ['create', 'get', 'list', 'patch'] }] });
    if (p === '/openapi/v3') return send(r, 200, openapiV3Index());
    if (p.startsWith('/openapi/v3/')) { const d = openapiV3GroupVersion(p.slice(12)); return d ? send(r, 200, d) : send(r, 404, {}); }
    if (p === '/apis/apps/v1/namespaces/default/deployments/web' && req.method === 'GET') return send(r, 200, live);
    if (p === '/apis/apps/v1/namespaces/default/deployments/web' && req.method === 'PATCH') {
      const patch = JSON.parse(body);
      patches.push({ type: String(req.headers['content-type']), body: patch });
      return send(r, 200, applyStrategicMergePatch(live, patch, gvk));
    }
    return send(r, 404, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404, message: 'not found' });
  };
  const server = createServer((req, r) => { let b = ''; req.setEncoding('utf8'); req.on('data', (c) => (b += c)); req.on('end', () => handle(req, r, b)); });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const home = mkdtempSync(join(tmpdir(), 'berth-smp-'));
  try {
    const manifest = join(home, 'web.json');
    writeFileSync(manifest, JSON.stringify(after));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    await new Promise<void>((ok, fail) => execFile('/usr/bin/kubectl', ['--server', url, 'apply', '-f', manifest],
      { env: { ...process.env, HOME: home, KUBECONFIG: '/dev/null', KUBECACHEDIR: join(home, 'cache') } },
      (err, _o, stderr) => (err ? fail(new Error(stderr)) : ok())));
  } finally {
    server.close();
    rmSync(home, { recursive: true, force: true });
  }
  assert.equal(patches.length, 1);
  assert.equal(patches[0]!.type, 'application/strategic-merge-patch+json');
  const patch = patches[0]!.body as any;
  // kubectl used the directives this implementation must honour.
  assert.ok(patch.spec.template.spec['$setElementOrder/containers'], JSON.stringify(patch));
  assert.deepEqual(patch.spec.strategy.$retainKeys, ['type']);
  const result = applyStrategicMergePatch(live, patch, gvk) as any;
  assert.deepEqual(result.metadata.labels, { app: 'web' });
  assert.equal(result.spec.replicas, 3);
  assert.deepEqual(result.spec.strategy, { type: 'Recreate' });
  assert.deepEqual(result.spec.template.spec.containers, [{ name: 'nginx', image: 'nginx:1.26', imagePullPolicy: 'IfNotPresent', env: [{ name: 'B', value: '2' }, { name: 'C', value: '3' }] }]);
  const recorded = JSON.parse(result.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']);
  assert.deepEqual(recorded, { ...after, metadata: { ...after.metadata, annotations: {} } });
});
