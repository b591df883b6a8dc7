/**
 * Hostile and malformed requests against the whole Kubernetes API (transport + apiserver + SQLite):
 * every answer must be a metav1.Status with a 4xx code (or a success for the few that happen to be
 * valid), never a 5xx, a dropped connection or a dead server. A seeded generator adds random
 * mutations of real objects, so failures reproduce.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ensurePki } from '../../src/server/kube-api/index.js';
import { request, type Creds } from './helpers/https-client.js';
import { startKubeServer, type KubeServer } from './helpers/kube-server.js';

let server: KubeServer;
let admin: Creds;

before(async () => {
  server = await startKubeServer('sqlite');
  const pki = ensurePki(server.dataDir, ['127.0.0.1']);
  admin = { ca: server.caCertPem, cert: pki.admin.certPem, key: pki.admin.keyPem };
});
after(async () => server?.close());

interface Probe { method: string; path: string; type?: string; body?: string | Buffer }

async function send(p: Probe): Promise<{ status: number; json: any }> {
  const r = await request(server.url, p.path, admin, { method: p.method, ...(p.type ? { headers: { 'Content-Type': p.type } } : {}), ...(p.body !== undefined ? { body: p.body } : {}) });
  let json: any;
  try {
    json = r.json();
  } catch {
    json = undefined;
  }
  return { status: r.status, json };
}

function assertHandled(p: Probe, r: { status: number; json: any }): void {
  const what = `${p.method} ${p.path.slice(0, 120)} ${p.type ?? ''} ${String(p.body ?? '').slice(0, 120)} → ${r.status} ${JSON.stringify(r.json)?.slice(0, 300)}`;
  assert.ok(r.status < 500, `server error: ${what}`);
  if (r.status >= 400) {
    assert.equal(r.json?.kind, 'Status', `not a Status: ${what}`);
    assert.equal(r.json.code, r.status, what);
  }
}

const CM = '/api/v1/namespaces/default/configmaps';
const DEPLOY = '/apis/apps/v1/namespaces/default/deployments';
const JSON_T = 'application/json';
const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);

test('hand-written hostile requests are answered with 4xx Statuses', async () => {
  const probes: Probe[] = [
    { method: 'GET', path: '/api/v1/namespaces/%00/configmaps' },
    { method: 'GET', path: '/apis/../../etc/passwd' },
    { method: 'GET', path: `${CM}/${'a'.repeat(10_000)}` },
    { method: 'GET', path: `${CM}?limit=-1` },
    { method: 'GET', path: `${CM}?limit=abc` },
    { method: 'GET', path: `${CM}?labelSelector=((((` },
    { method: 'GET', path: `${CM}?labelSelector=a%20in%20(b` },
    { method: 'GET', path: `${CM}?fieldSelector=spec.nodeName` },
    { method: 'GET', path: `${CM}?fieldSelector=no.such.field%3Dx` },
    { method: 'GET', path: `${CM}?continue=garbage` },
    { method: 'GET', path: `${CM}?watch=true&resourceVersion=abc` },
    { method: 'GET', path: `${CM}?watch=true&timeoutSeconds=-1` },
    { method: 'GET', path: '/apis/nope.example/v1/things' },
    { method: 'GET', path: '/api/v2/pods' },
    { method: 'POST', path: CM, type: JSON_T, body: '{}' },
    { method: 'POST', path: CM, type: JSON_T, body: '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"x"}}' },
    { method: 'POST', path: CM, type: JSON_T, body: '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":123}}' },
    { method: 'POST', path: CM, type: JSON_T, body: '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x"},"data":[1,2]}' },
    { method: 'POST', path: CM, type: JSON_T, body: '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x","labels":{"a":1e400}}}' },
    { method: 'POST', path: CM, type: JSON_T, body: '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x","__proto__":{"polluted":true}},"data":{"__proto__":"y"}}' },
    { method: 'POST', path: CM, type: JSON_T, body: '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"Not_Valid!"}}' },
    { method: 'POST', path: CM, type: JSON_T, body: `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"deep"},"data":{"a":${deep(5000)}}}` },
    { method: 'POST', path: CM, type: 'application/yaml', body: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: !!js/function "function(){}"\n' },
    { method: 'POST', path: CM, type: 'application/yaml', body: 'a: &a [*a]\n' },
    { method: 'POST', path: CM, type: 'application/vnd.kubernetes.protobuf', body: Buffer.concat([Buffer.from('k8s\0'), Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 1, 2])]) },
    { method: 'POST', path: CM, type: 'application/vnd.kubernetes.protobuf', body: Buffer.concat([Buffer.from('k8s\0'), Buffer.from([0x0a, 0x0c, 0x0a, 0x02, 0x76, 0x31, 0x12, 0x06, 0x57, 0x69, 0x64, 0x67, 0x65, 0x74, 0x12, 0x00])]) },
    { method: 'PUT', path: `${CM}/missing`, type: JSON_T, body: '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"other"}}' },
    { method: 'PATCH', path: `${CM}/missing`, type: 'application/merge-patch+json', body: '{"data":{"a":"b"}}' },
    { method: 'PATCH', path: `${CM}/kube-root-ca.crt`, type: 'application/json-patch+json', body: '[{"op":"explode","path":"/x"}]' },
    { method: 'PATCH', path: `${CM}/kube-root-ca.crt`, type: 'application/json-patch+json', body: '[{"op":"add","path":"/metadata/__proto__/x","value":1}]' },
    { method: 'PATCH', path: `${CM}/kube-root-ca.crt`, type: 'application/json-patch+json', body: '{"not":"a list"}' },
    { method: 'PATCH', path: `${CM}/x?fieldManager=${'m'.repeat(200)}`, type: 'application/apply-patch+yaml', body: '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x"}}' },
    { method: 'PATCH', path: `${CM}/x`, type: 'application/apply-patch+yaml', body: 'metadata: {name: x}\n' },
    { method: 'PATCH', path: `${CM}/x?fieldManager=m`, type: 'application/apply-patch+yaml', body: '{"apiVersion":"v1","kind":"Secret","metadata":{"name":"x"}}' },
    { method: 'DELETE', path: `${CM}/missing`, type: JSON_T, body: '{"propagationPolicy":"Sideways"}' },
    { method: 'DELETE', path: `${CM}/missing`, type: JSON_T, body: '[]' },
    { method: 'POST', path: DEPLOY, type: JSON_T, body: '{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d"},"spec":{"replicas":-5,"selector":{"matchLabels":{"a":"b"}},"template":{"metadata":{"labels":{"a":"c"}},"spec":{"containers":[{"name":"","image":""}]}}}}' },
    { method: 'POST', path: DEPLOY, type: JSON_T, body: '{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d"},"spec":"not an object"}' },
    { method: 'POST', path: '/api/v1/namespaces', type: JSON_T, body: '{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"' + 'n'.repeat(300) + '"}}' },
    { method: 'DELETE', path: '/api/v1/namespaces/kube-system/../default' },
  ];
  const seen = new Set<number>();
  for (const p of probes) {
    const r = await send(p);
    assertHandled(p, r);
    seen.add(r.status);
  }
  // The probes reached the apiserver's checks (not just the transport's).
  for (const code of [400, 404, 422]) assert.ok(seen.has(code), `some probe got ${code}: ${[...seen]}`);
  const ok = await send({ method: 'GET', path: '/version' });
  assert.equal(ok.status, 200);
});

/** Mulberry32: a tiny seeded PRNG, so a failing mutation can be replayed. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test('random mutations of real objects never get a 5xx', async () => {
  const rand = rng(20261122);
  const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const weird: unknown[] = [null, true, -1, 1.5, 2 ** 63, '', 'x'.repeat(300), [], {}, [null], { '': 1 }, '\u0000', '../..', { $patch: 'delete' }];
  const base = () => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: `fz-${Math.floor(rand() * 1e6)}`, labels: { app: 'fz' }, annotations: { a: 'b' } },
    spec: { replicas: 1, selector: { matchLabels: { app: 'fz' } }, template: { metadata: { labels: { app: 'fz' } }, spec: { containers: [{ name: 'c', image: 'busybox', ports: [{ containerPort: 80 }], env: [{ name: 'A', value: 'b' }] }] } } },
  });
  /** Replaces one random node of the object with a weird value. */
  function mutate(obj: any): any {
    let node = obj;
    for (let depth = 0; depth < 6; depth++) {
      const keys = Object.keys(node);
      if (keys.length === 0) break;
      const k = pick(keys);
      if (typeof node[k] !== 'object' || node[k] === null || rand() < 0.3) {
        node[k] = pick(weird);
        return obj;
      }
      node = node[k];
    }
    return obj;
  }
  const seen = new Set<number>();
  const types = ['application/merge-patch+json', 'application/strategic-merge-patch+json', 'application/apply-patch+yaml'];
  for (let i = 0; i < 120; i++) {
    const obj = mutate(mutate(base()));
    let p: Probe;
    if (i % 3 === 0) p = { method: 'POST', path: DEPLOY, type: JSON_T, body: JSON.stringify(obj) };
    else p = { method: 'PATCH', path: `${DEPLOY}/${typeof obj.metadata?.name === 'string' ? encodeURIComponent(obj.metadata.name) : 'fz'}?fieldManager=fuzz&force=true`, type: pick(types), body: JSON.stringify(obj) };
    const r = await send(p);
    assertHandled(p, r);
    seen.add(r.status);
  }
  assert.ok([...seen].some((c) => c >= 200 && c < 300) && [...seen].some((c) => c >= 400), `a mix of accepted and refused mutations: ${[...seen]}`);
  assert.equal((await send({ method: 'GET', path: '/version' })).status, 200);
});
