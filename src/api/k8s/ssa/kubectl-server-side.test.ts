/**
 * `kubectl apply --server-side` (real kubectl) against a stand-in server whose PATCH handler is
 * serverSideApply: create, a conflicting apply by another field manager (kubectl shows kube's
 * message from the 409 Status), then --force-conflicts taking the field over.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { conflictStatus, serverSideApply } from './managed-fields.js';
import { openapiV3GroupVersion, openapiV3Index } from '../openapi/documents.js';

test('real kubectl apply --server-side: create, conflict (409 with kube\'s message), force-conflicts', async () => {
  let live: any = null;
  const seen: string[] = [];
  const send = (r: ServerResponse, code: number, body: unknown) => { r.writeHead(code, { 'content-type': 'application/json' }); r.end(JSON.stringify(body)); };
  const handle = (req: IncomingMessage, r: ServerResponse, body: string) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const p = url.pathname;
    if (p === '/api') return send(r, 200, { kind: 'APIVersions', versions: ['v1'] });
    if (p === '/apis') return send(r, 200, { kind: 'APIGroupList', apiVersion: 'v1', groups: [{ name: 'apps', versions: [{ groupVersion: 'apps/v1', version: 'v1' }], preferredVersion: { groupVersion: 'apps/v1', version: 'v1' } }] });
    if (p === '/api/v1') return send(r, 200, { kind: 'APIResourceList', groupVersion: 'v1', resources: [] });
    if (p === '/apis/apps/v1') return send(r, 200, { kind: 'APIResourceList', groupVersion: 'apps/v1', resources: [{ name: 'deployments', singularName: 'deployment', namespaced: true, kind: 'Deployment', verbs: ['create', 'get', 'list', 'patch'] }] });
    if (p === '/openapi/v3') return send(r, 200, openapiV3Index());
    if (p.startsWith('/openapi/v3/')) { const d = openapiV3GroupVersion(p.slice(12)); return d ? send(r, 200, d) : send(r, 404, {}); }
    if (p === '/apis/apps/v1/namespaces/default/deployments/web' && req.method === 'PATCH') {
      seen.push(`${req.headers['content-type']} ${url.searchParams.get('fieldManager')} force=${url.searchParams.get('force')}`);
      const { object, conflicts } = serverSideApply(live, JSON.parse(body), {
        manager: url.searchParams.get('fieldManager') ?? '', force: url.searchParams.get('force') === 'true',
        gvk: { group: 'apps', version: 'v1', kind: 'Deployment' }, now: '2026-01-01T00:00:00Z',
      });
      if (conflicts.length > 0 && url.searchParams.get('force') !== 'true') return send(r, 409, conflictStatus(conflicts));
      const created = live === null;
      live = { ...object, metadata: { ...(object as any).metadata, namespace: 'default', uid: 'u1', resourceVersion: String(seen.length) } };
      return send(r, created ? 201 : 200, live);
    }
    return send(r, 404, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404, message: 'not found' });
  };
  const server = createServer((req, r) => { let b = ''; req.setEncoding('utf8'); req.on('data', (c) => (b += c)); req.on('end', () => handle(req, r, b)); });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const home = mkdtempSync(join(tmpdir(), 'berth-ssa-'));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const kubectl = (args: string[]) => new Promise<{ code: number; out: string; err: string }>((ok) => execFile('/usr/bin/kubectl', ['--server', url, ...args],
    { env: { ...process.env, HOME: home, KUBECONFIG: '/dev/null', KUBECACHEDIR: join(home, 'cache') } },
    (e, out, err) => ok({ code: e ? ((e as { code?: number }).code ?? 1) : 0, out, err })));
  const manifest = (replicas: number) => {
    const f = join(home, `d${replicas}.yaml`);
    writeFileSync(f, `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: default\nspec:\n  replicas: ${replicas}\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec: {containers: [{name: c, image: busybox}]}\n`);
    return f;
  };
  try {
    const first = await kubectl(['apply', '--server-side', '-f', manifest(2)]);
    assert.equal(first.code, 0, first.err);
    assert.match(first.out, /deployment.apps\/web serverside-applied/);
    assert.equal(live.spec.replicas, 2);
    assert.deepEqual(live.metadata.managedFields.map((e: any) => [e.manager, e.operation]), [['kubectl', 'Apply']]);

    const clash = await kubectl(['apply', '--server-side', '--field-manager=ci', '-f', manifest(5)]);
    assert.notEqual(clash.code, 0);
    assert.match(clash.err, /Apply failed with 1 conflict: conflict with "kubectl": \.spec\.replicas/);
    assert.equal(live.spec.replicas, 2);

    const forced = await kubectl(['apply', '--server-side', '--field-manager=ci', '--force-conflicts', '-f', manifest(5)]);
    assert.equal(forced.code, 0, forced.err);
    assert.equal(live.spec.replicas, 5);
    const owners = (m: string) => live.metadata.managedFields.find((e: any) => e.manager === m).fieldsV1;
    assert.ok(owners('ci')['f:spec']['f:replicas']);
    assert.equal(owners('kubectl')['f:spec']['f:replicas'], undefined);
    assert.deepEqual(seen, ['application/apply-patch+yaml kubectl force=false', 'application/apply-patch+yaml ci force=false', 'application/apply-patch+yaml ci force=true']);
  } finally {
    server.close();
    rmSync(home, { recursive: true, force: true });
  }
});
