import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { customGroupVersionDocument, openapiV2, openapiV3GroupVersion, openapiV3Index, schemaFor } from './documents.js';
import { propertySchema, resolveSchema } from './spec.js';

function allRefs(v: unknown, out: string[] = []): string[] {
  if (Array.isArray(v)) v.forEach((x) => allRefs(x, out));
  else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) { if (k === '$ref' && typeof x === 'string') out.push(x); else allRefs(x, out); }
  }
  return out;
}

test('v3 index lists the built-in group-versions with content hashes', () => {
  const idx = openapiV3Index([{ gvPath: 'apis/example.com/v1', hash: 'ABC' }]) as any;
  for (const gv of ['api/v1', 'apis/apps/v1', 'apis/batch/v1', 'apis/autoscaling/v1', 'apis/autoscaling/v2', 'apis/policy/v1', 'apis/coordination.k8s.io/v1',
    'apis/discovery.k8s.io/v1', 'apis/networking.k8s.io/v1', 'apis/rbac.authorization.k8s.io/v1', 'apis/storage.k8s.io/v1', 'apis/events.k8s.io/v1', 'apis/apiextensions.k8s.io/v1']) {
    assert.match(idx.paths[gv]?.serverRelativeURL ?? '', new RegExp(`^/openapi/v3/${gv}\\?hash=[0-9A-F]{128}$`), gv);
  }
  assert.equal(idx.paths['apis/example.com/v1'].serverRelativeURL, '/openapi/v3/apis/example.com/v1?hash=ABC');
});

test('v3 group-version document: PATCH ops carry the GVK and fieldValidation; every $ref resolves', () => {
  const doc = openapiV3GroupVersion('apis/apps/v1') as any;
  assert.equal(doc.openapi, '3.0.0');
  const patch = doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'].patch;
  assert.deepEqual(patch['x-kubernetes-group-version-kind'], { group: 'apps', version: 'v1', kind: 'Deployment' });
  assert.ok(patch.parameters.some((p: any) => p.name === 'fieldValidation' && p.in === 'query' && p.schema.type === 'string'));
  assert.ok(patch.requestBody.content['application/strategic-merge-patch+json']);
  const dep = doc.components.schemas['io.k8s.api.apps.v1.Deployment'];
  assert.deepEqual(dep['x-kubernetes-group-version-kind'], [{ group: 'apps', version: 'v1', kind: 'Deployment' }]);
  assert.match(dep.description, /declarative updates/);
  for (const ref of allRefs(doc)) assert.ok(doc.components.schemas[ref.replace('#/components/schemas/', '')], `${ref} resolves`);
  assert.equal(openapiV3GroupVersion('v1'), openapiV3GroupVersion('api/v1'));
  assert.equal(openapiV3GroupVersion('apis/nope.example/v9'), null);
  assert.equal(openapiV3GroupVersion('../etc'), null);
  const hpa = openapiV3GroupVersion('apis/autoscaling/v2') as any;
  assert.ok(hpa.components.schemas['io.k8s.api.autoscaling.v2.HorizontalPodAutoscaler']);
});

test('schemas keep patch and list extensions; schemaFor covers built-ins only', () => {
  const pod = schemaFor({ group: '', version: 'v1', kind: 'Pod' }) as any;
  assert.ok(pod.properties.spec);
  const spec = openapiV3GroupVersion('api/v1') as any;
  const containers = spec.components.schemas['io.k8s.api.core.v1.PodSpec'].properties.containers;
  assert.equal(containers['x-kubernetes-patch-merge-key'], 'name');
  assert.equal(containers['x-kubernetes-patch-strategy'], 'merge');
  const ports = propertySchema(resolveSchema(spec.components.schemas['io.k8s.api.core.v1.Container']), 'ports')!;
  assert.deepEqual(ports['x-kubernetes-list-map-keys'], ['containerPort', 'protocol']);
  assert.equal(schemaFor({ group: 'example.com', version: 'v1', kind: 'Widget' }), null);
  assert.equal((openapiV2() as any).swagger, '2.0');
  const { document, hash } = customGroupVersionDocument('example.com', 'v1', [{ kind: 'Widget', plural: 'widgets', namespaced: true, schema: { type: 'object', properties: { spec: { type: 'object' } } } }]);
  assert.match(hash, /^[0-9A-F]{128}$/);
  assert.ok((document as any).paths['/apis/example.com/v1/namespaces/{namespace}/widgets/{name}'].patch.parameters[0].name === 'fieldValidation');
});

/** A plain-HTTP stand-in answering discovery and OpenAPI from these documents, recording writes. */
async function withServer(fn: (url: string, writes: string[]) => Promise<void>): Promise<void> {
  const writes: string[] = [];
  const send = (r: ServerResponse, code: number, body: unknown) => { r.writeHead(code, { 'content-type': 'application/json' }); r.end(JSON.stringify(body)); };
  const handle = (req: IncomingMessage, r: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const p = url.pathname;
    if (p === '/api') return send(r, 200, { kind: 'APIVersions', versions: ['v1'] });
    if (p === '/apis') return send(r, 200, { kind: 'APIGroupList', apiVersion: 'v1', groups: [{ name: 'apps', versions: [{ groupVersion: 'apps/v1', version: 'v1' }], preferredVersion: { groupVersion: 'apps/v1', version: 'v1' } }] });
    if (p === '/api/v1') return send(r, 200, { kind: 'APIResourceList', groupVersion: 'v1', resources: [{ name: 'configmaps', namespaced: true, kind: 'ConfigMap', verbs: ['create', 'get', 'list'] }] });
    if (p === '/apis/apps/v1') return send(r, 200, { kind: 'APIResourceList', groupVersion: 'apps/v1', resources: [{ name: 'deployments', singularName: 'deployment', namespaced: true, kind: 'Deployment', verbs: ['create', 'get', 'list', 'patch'], shortNames: ['deploy'] }] });
    if (p === '/openapi/v3') return send(r, 200, openapiV3Index());
    if (p.startsWith('/openapi/v3/')) { const d = openapiV3GroupVersion(p.slice('/openapi/v3/'.length)); return d ? send(r, 200, d) : send(r, 404, {}); }
    if (req.method === 'POST') { writes.push(`${req.method} ${req.url}`); return send(r, 201, { kind: 'Deployment', apiVersion: 'apps/v1', metadata: { name: 'web', namespace: 'default' } }); }
    return send(r, 404, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404, message: 'not found' });
  };
  const server = createServer((req, r) => { req.resume(); req.on('end', () => handle(req, r)); });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  try { await fn(`http://127.0.0.1:${(server.address() as { port: number }).port}`, writes); } finally { server.close(); }
}

function kubectl(args: string[], home: string): Promise<string> {
  return new Promise((ok, fail) => execFile('/usr/bin/kubectl', args, { env: { ...process.env, HOME: home, KUBECONFIG: '/dev/null', KUBECACHEDIR: join(home, 'cache') } },
    (err, stdout, stderr) => (err ? fail(new Error(`kubectl ${args.join(' ')}: ${stderr}`)) : ok(stdout))));
}

test('real kubectl: explain reads the schemas; create -f validates against them and sends fieldValidation=Strict', async () => {
  const home = mkdtempSync(join(tmpdir(), 'berth-openapi-'));
  try {
    await withServer(async (url, writes) => {
      const out = await kubectl(['--server', url, 'explain', 'deployment.spec.template.spec.containers'], home);
      assert.match(out, /KIND:\s+Deployment/);
      assert.match(out, /FIELD:\s+containers <\[\]Container>/);
      assert.match(out, /image\s+<string>/);
      const manifest = join(home, 'd.yaml');
      writeFileSync(manifest, 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec: {containers: [{name: c, image: busybox}]}\n');
      await kubectl(['--server', url, 'create', '-f', manifest], home);
      assert.equal(writes.length, 1);
      assert.match(writes[0]!, /^POST \/apis\/apps\/v1\/namespaces\/default\/deployments\?.*fieldValidation=Strict/);
    });
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});

test('overlay: fields added after the bundled v1.22 are known (sidecars, pod OS, scheduling gates, CronJob time zones)', async () => {
  const { findUnknownFields } = await import('./unknown-fields.js');
  const podSpec = propertySchema(resolveSchema(schemaFor({ group: '', version: 'v1', kind: 'Pod' }) as any), 'spec')!;
  const gates = propertySchema(podSpec, 'schedulingGates')!;
  assert.equal(gates['x-kubernetes-patch-merge-key'], 'name');
  const deployment = {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', labels: { a: 'b' } },
    spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: {
      os: { name: 'linux' }, hostUsers: false, schedulingGates: [{ name: 'g' }],
      initContainers: [{ name: 'proxy', image: 'envoy', restartPolicy: 'Always', resizePolicy: [{ resourceName: 'cpu', restartPolicy: 'NotRequired' }] }],
      containers: [{ name: 'c', image: 'i', ports: [{ containerPort: 80 }], resources: { limits: { cpu: '1' } }, lifecycle: { preStop: { sleep: { seconds: 5 } } }, readinessProbe: { grpc: { port: 9000 } } }],
    } } },
  };
  assert.deepEqual(findUnknownFields(deployment, { group: 'apps', version: 'v1', kind: 'Deployment' }), []);
  const bad = JSON.parse(JSON.stringify(deployment));
  bad.spec.replicaz = 3;
  bad.spec.template.spec.containers[0].imagePullPolice = 'Always';
  bad.metadata.labelz = {};
  assert.deepEqual(findUnknownFields(bad, { group: 'apps', version: 'v1', kind: 'Deployment' }).sort(), ['metadata.labelz', 'spec.replicaz', 'spec.template.spec.containers[0].imagePullPolice']);
  const cron = { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'c' }, spec: { schedule: '* * * * *', timeZone: 'Etc/UTC', jobTemplate: { spec: { podFailurePolicy: { rules: [{ action: 'Ignore', onExitCodes: { operator: 'In', values: [1] } }] }, template: { spec: { containers: [] } } } } } };
  assert.deepEqual(findUnknownFields(cron, { group: 'batch', version: 'v1', kind: 'CronJob' }), []);
  assert.deepEqual(findUnknownFields({ spec: { anything: 1 } }, null), []);
  assert.deepEqual(findUnknownFields({ data: { k: 'v' }, extra: 1 }, { group: '', version: 'v1', kind: 'ConfigMap' }), ['extra']);
});
