/**
 * The Kubernetes API transport on its own (HTTPS, authentication, bodies, Status, watch streams,
 * hostile input), in front of a tiny echoing ApiServer (test/kube/helpers/echo-api-server.ts).
 * kubectl 1.32 checks that a real client accepts the TLS setup and the kubeconfig.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import path from 'node:path';
import tls from 'node:tls';
import zlib from 'node:zlib';
import { after, before, test } from 'node:test';
import { ensurePki, renderKubeconfig, startKubeApi, type KubeApi } from '../../src/server/kube-api/index.js';
import { issueLeaf } from '../../src/server/kube-api/certs.js';
import { scratchDir } from '../helpers/test-image.js';
import { echoApiServer, type EchoApiServer } from './helpers/echo-api-server.js';
import { request, type Creds } from './helpers/https-client.js';

let dir: string;
let api: EchoApiServer;
let kube: KubeApi;
let admin: Creds;
let kubeconfigPath: string;

before(async () => {
  dir = scratchDir('kube-tr');
  api = echoApiServer();
  kubeconfigPath = path.join(dir, 'etc', 'kubeconfig.yaml');
  kube = await startKubeApi({ dataDir: dir, apiServer: api, port: 0, bindAddress: '127.0.0.1', kubeconfigPath });
  const pki = ensurePki(dir, ['127.0.0.1']);
  admin = { ca: kube.caCertPem, cert: pki.admin.certPem, key: pki.admin.keyPem };
});
after(async () => {
  await kube.close();
});

test('a client certificate logs in as CN with O as groups; the admin token too', async () => {
  const r = await request(kube.url, '/echo/x?a=1', admin);
  assert.equal(r.status, 200);
  assert.deepEqual(r.json().user, { name: 'admin', groups: ['system:masters', 'system:authenticated'] });
  assert.deepEqual(r.json().query, { a: '1' });
  const t = await request(kube.url, '/echo/x', { ca: kube.caCertPem, token: kube.adminToken! });
  assert.deepEqual(t.json().user, { name: 'admin', groups: ['system:masters', 'system:authenticated'], uid: 'admin' });
});

test('tokens added to tokens.csv log in with their groups', async () => {
  const file = path.join(dir, 'pki', 'tokens.csv');
  fs.appendFileSync(file, 'devtoken123,dev-user,u-42,"dev,qa"\n');
  fs.utimesSync(file, new Date(), new Date(Date.now() + 10_000));
  await new Promise((r) => setTimeout(r, 1100));
  const r = await request(kube.url, '/echo', { ca: kube.caCertPem, token: 'devtoken123' });
  assert.deepEqual(r.json().user, { name: 'dev-user', groups: ['dev', 'qa', 'system:authenticated'], uid: 'u-42' });
});

test('anonymous, bad tokens, foreign, expired and serving certificates get 401 Unauthorized', async () => {
  const other = ensurePki(scratchDir('kube-tr2'), ['127.0.0.1']);
  const own = ensurePki(dir, ['127.0.0.1']);
  const servingAsClient = issueLeaf(own.ca, { commonName: 'sneaky', usage: 'server', hosts: ['127.0.0.1'], days: 1 });
  const expired = issueLeaf(own.ca, { commonName: 'admin', organizations: ['system:masters'], usage: 'client', days: -1 });
  for (const creds of [
    { ca: kube.caCertPem },
    { ca: kube.caCertPem, token: 'nope' },
    { ca: kube.caCertPem, cert: other.admin.certPem, key: other.admin.keyPem },
    { ca: kube.caCertPem, cert: servingAsClient.certPem, key: servingAsClient.keyPem },
    { ca: kube.caCertPem, cert: expired.certPem, key: expired.keyPem },
  ]) {
    const r = await request(kube.url, '/echo', creds);
    assert.equal(r.status, 401, JSON.stringify(Object.keys(creds)));
    assert.deepEqual(r.json(), { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 });
  }
});

test('impersonation: masters may act as another user (kubectl --as); others get 403', async () => {
  const r = await request(kube.url, '/echo', admin, { headers: { 'Impersonate-User': 'bob', 'Impersonate-Group': 'dev', 'Impersonate-Uid': 'u-7' } });
  assert.deepEqual(r.json().user, { name: 'bob', groups: ['dev', 'system:authenticated'], uid: 'u-7' });
  const lone = await request(kube.url, '/echo', admin, { headers: { 'Impersonate-Group': 'dev' } });
  assert.deepEqual([lone.status, lone.json().reason], [400, 'BadRequest']);
  const file = path.join(dir, 'pki', 'tokens.csv');
  fs.appendFileSync(file, 'plaintoken456,dev-user,u-43,"dev"\n');
  fs.utimesSync(file, new Date(), new Date(Date.now() + 20_000));
  await new Promise((r) => setTimeout(r, 1100));
  const denied = await request(kube.url, '/echo', { ca: kube.caCertPem, token: 'plaintoken456' }, { headers: { 'Impersonate-User': 'admin' } });
  assert.deepEqual([denied.status, denied.json().reason], [403, 'Forbidden']);
  assert.match(denied.json().message, /User "dev-user" cannot impersonate resource "users"/);
});

test('bodies: JSON and YAML objects decoded, patches passed as text with their type', async () => {
  const post = await request(kube.url, '/echo/p', admin, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"kind":"ConfigMap","data":{"a":"1"}}' });
  assert.deepEqual(post.json().body, { kind: 'ConfigMap', data: { a: '1' } });
  const put = await request(kube.url, '/echo/p', admin, { method: 'PUT', headers: { 'Content-Type': 'application/yaml' }, body: 'kind: ConfigMap\ndata:\n  a: "1"\n' });
  assert.deepEqual(put.json().body, { kind: 'ConfigMap', data: { a: '1' } });
  for (const t of ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json', 'application/apply-patch+yaml']) {
    const r = await request(kube.url, '/echo/p', admin, { method: 'PATCH', headers: { 'Content-Type': t }, body: '{"x": 1}' });
    assert.deepEqual([r.status, r.json().body, r.json().contentType], [200, '{"x": 1}', t]);
  }
  const del = await request(kube.url, '/echo/p', admin, { method: 'DELETE', headers: { 'Content-Type': 'application/json' }, body: '{"propagationPolicy":"Foreground"}' });
  assert.deepEqual(del.json().body, { propagationPolicy: 'Foreground' });
  const delEmpty = await request(kube.url, '/echo/p', admin, { method: 'DELETE' });
  assert.equal(delEmpty.json().body, null);
});

test('bad bodies: 400 malformed, 415 unknown media types and CBOR apply, 413 over 3 MiB; the server carries on', async () => {
  const cases: Array<[string, Record<string, string>, string | Buffer, number, string]> = [
    ['POST', { 'Content-Type': 'application/json' }, '{"a":', 400, 'BadRequest'],
    ['POST', { 'Content-Type': 'application/json' }, '"a string"', 400, 'BadRequest'],
    ['POST', { 'Content-Type': 'application/yaml' }, 'a: [', 400, 'BadRequest'],
    ['POST', { 'Content-Type': 'text/html' }, '<html>', 415, 'UnsupportedMediaType'],
    ['POST', { 'Content-Type': 'application/vnd.kubernetes.protobuf' }, Buffer.from([1, 2, 3, 4, 5]), 400, 'BadRequest'],
    ['PATCH', { 'Content-Type': 'application/apply-patch+cbor' }, Buffer.from([0xa1]), 415, 'UnsupportedMediaType'],
    ['PATCH', { 'Content-Type': 'application/json' }, '{}', 415, 'UnsupportedMediaType'],
    ['POST', { 'Content-Type': 'application/json' }, Buffer.alloc(3 * 1024 * 1024 + 1, 0x20), 413, 'RequestEntityTooLarge'],
  ];
  for (const [method, headers, body, code, reason] of cases) {
    const r = await request(kube.url, '/echo', admin, { method, headers, body });
    assert.deepEqual([r.status, r.json().reason, r.json().kind], [code, reason, 'Status'], `${method} ${headers['Content-Type']}`);
  }
  // Exactly at the limit is fine.
  const json = `{"pad":"${'x'.repeat(3 * 1024 * 1024 - 10)}"}`;
  assert.equal(Buffer.byteLength(json), 3 * 1024 * 1024);
  const ok = await request(kube.url, '/echo', admin, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: json });
  assert.equal(ok.status, 200);
});

test('apiserver errors become metav1.Status once; a crash is a 500, not a dead server; HEAD and odd methods', async () => {
  const nf = await request(kube.url, '/fail/NotFound', admin);
  assert.deepEqual([nf.status, nf.json().reason, nf.json().message], [404, 'NotFound', 'failure NotFound']);
  const inv = await request(kube.url, '/fail/Invalid', admin);
  assert.equal(inv.status, 422);
  assert.deepEqual(inv.json().details, { name: 'x', kind: 'ConfigMap', causes: [{ reason: 'FieldValueInvalid', message: 'bad', field: 'data' }] });
  assert.equal((await request(kube.url, '/fail/Gone', admin)).json().reason, 'Expired');
  const crash = await request(kube.url, '/crash', admin);
  assert.deepEqual([crash.status, crash.json().reason], [500, 'InternalError']);
  const head = await request(kube.url, '/echo', admin, { method: 'HEAD' });
  assert.deepEqual([head.status, head.text], [200, '']);
  const text = await request(kube.url, '/text', admin);
  assert.deepEqual([text.status, text.text, text.headers['content-type']], [200, 'ok', 'text/plain']);
  const opt = await request(kube.url, '/echo', admin, { method: 'OPTIONS' });
  assert.deepEqual([opt.status, opt.json().reason], [405, 'MethodNotAllowed']);
});

test('large answers are gzipped when the client accepts it, small ones and others never', async () => {
  const gz = await request(kube.url, '/big', admin, { headers: { 'Accept-Encoding': 'gzip' } });
  assert.equal(gz.headers['content-encoding'], 'gzip');
  assert.ok(gz.raw.length < 10_000);
  assert.equal(JSON.parse(zlib.gunzipSync(gz.raw).toString()).pad.length, 300 * 1024);
  const plain = await request(kube.url, '/big', admin);
  assert.equal(plain.headers['content-encoding'], undefined);
  assert.equal(plain.json().pad.length, 300 * 1024);
  const refused = await request(kube.url, '/big', admin, { headers: { 'Accept-Encoding': 'gzip;q=0, identity' } });
  assert.equal(refused.headers['content-encoding'], undefined);
  const small = await request(kube.url, '/echo', admin, { headers: { 'Accept-Encoding': 'gzip' } });
  assert.equal(small.headers['content-encoding'], undefined);
});

/** Opens a watch and returns the response as soon as its headers arrive, plus a line reader. */
function openWatch(p: string): Promise<{ res: import('node:http').IncomingMessage; lines: () => Promise<string>; close(): void }> {
  const u = new URL(kube.url);
  return new Promise((resolve, reject) => {
    const req = https.request({ host: u.hostname, port: u.port, path: p, ca: admin.ca, cert: admin.cert, key: admin.key, agent: false }, (res) => {
      let buf = '';
      const waiting: Array<(l: string) => void> = [];
      const ready: string[] = [];
      const flush = () => {
        while (ready.length > 0 && waiting.length > 0) waiting.shift()!(ready.shift()!);
      };
      res.on('data', (c: Buffer) => {
        buf += c.toString();
        let i;
        while ((i = buf.indexOf('\n')) >= 0) ready.push(buf.slice(0, i)), (buf = buf.slice(i + 1));
        flush();
      });
      res.on('end', () => {
        ready.push('<end>');
        flush();
      });
      resolve({ res, lines: () => new Promise((r) => (waiting.push(r), flush())), close: () => req.destroy() });
    });
    req.on('error', reject);
    req.end();
  });
}

async function until(cond: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('watch: headers flushed before any event, one JSON line per event, ends when the client leaves', async () => {
  const w = await openWatch('/watch');
  // We got here with no event sent: the headers were flushed at once.
  assert.equal(w.res.statusCode, 200);
  assert.equal(w.res.headers['transfer-encoding'], 'chunked');
  assert.match(String(w.res.headers['content-type']), /^application\/json/);
  api.push({ type: 'ADDED', object: { kind: 'ConfigMap', metadata: { name: 'a' } } });
  assert.deepEqual(JSON.parse(await w.lines()), { type: 'ADDED', object: { kind: 'ConfigMap', metadata: { name: 'a' } } });
  api.push({ type: 'BOOKMARK', object: { kind: 'ConfigMap', metadata: { resourceVersion: '7' } } });
  assert.equal(JSON.parse(await w.lines()).type, 'BOOKMARK');
  assert.equal(api.openWatches(), 1);
  w.close();
  await until(() => api.openWatches() === 0, 'the watch to end after the client left');
});

test('watch: timeoutSeconds ends the stream; a failing watch ends with an ERROR event', async () => {
  const t0 = Date.now();
  const w = await openWatch('/watch?timeoutSeconds=1');
  assert.equal(await w.lines(), '<end>');
  assert.ok(Date.now() - t0 >= 900);
  await until(() => api.openWatches() === 0, 'the timed-out watch to end');
  const w2 = await openWatch('/watch');
  await until(() => api.openWatches() === 1, 'the watch to open');
  api.failWatchWith(new Error('storage went away'));
  const ev = JSON.parse(await w2.lines());
  assert.deepEqual([ev.type, ev.object.kind, ev.object.code], ['ERROR', 'Status', 500]);
  assert.equal(await w2.lines(), '<end>');
});

test('hostile input: garbage HTTP over TLS, plaintext on the TLS port, half handshakes; the server keeps serving', async () => {
  const u = new URL(kube.url);
  const garbage = await new Promise<string>((resolve) => {
    const s = tls.connect({ host: u.hostname, port: Number(u.port), ca: kube.caCertPem }, () => s.write('GARBAGE \x00\x01 NOT HTTP\r\n\r\n'));
    let out = '';
    s.on('data', (c) => (out += c.toString()));
    s.on('close', () => resolve(out));
    s.on('error', () => resolve(out));
  });
  assert.match(garbage, /^HTTP\/1\.1 400/);
  await new Promise<void>((resolve) => {
    const s = net.connect(Number(u.port), u.hostname, () => s.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n'));
    s.on('data', () => {});
    s.on('close', () => resolve());
    s.on('error', () => resolve());
  });
  await new Promise<void>((resolve) => {
    const s = net.connect(Number(u.port), u.hostname, () => {
      s.write(Buffer.from([0x16, 0x03, 0x01, 0x00, 0x05, 1, 2, 3]));
      setTimeout(() => s.destroy(), 50);
    });
    s.on('close', () => resolve());
    s.on('error', () => resolve());
  });
  const bad = await request(kube.url, '/echo/%zz?x=%', admin);
  assert.ok(bad.status === 200 || bad.status === 400, String(bad.status));
  assert.equal((await request(kube.url, '/echo', admin)).status, 200);
});

test('kubectl 1.32 talks to it with the written admin kubeconfig (0600) and with a token kubeconfig', async () => {
  const env = { ...process.env, HOME: dir, KUBECACHEDIR: path.join(dir, 'kcache') };
  // Async: the server runs in this process, so a blocking exec would starve it.
  // stdin closed: on a 401 without credentials kubectl would otherwise prompt for a password.
  const run = async (args: string[]) => {
    const p = promisify(execFile)('/usr/bin/kubectl', args, { env, encoding: 'utf8', timeout: 30_000 });
    p.child.stdin?.end();
    return (await p).stdout;
  };
  assert.equal(fs.statSync(kubeconfigPath).mode & 0o777, 0o600);
  assert.equal(fs.readFileSync(kubeconfigPath, 'utf8'), kube.kubeconfig);
  const out = JSON.parse(await run(['--kubeconfig', kubeconfigPath, 'get', '--raw', '/echo/kubectl']));
  assert.equal(out.user.name, 'admin');
  assert.equal(out.method, 'GET');
  const tokenCfg = path.join(dir, 'token-kubeconfig.yaml');
  fs.writeFileSync(tokenCfg, renderKubeconfig({ server: kube.url, caCertPem: kube.caCertPem, token: kube.adminToken! }));
  const viaToken = JSON.parse(await run(['--kubeconfig', tokenCfg, 'get', '--raw', '/echo/t']));
  assert.equal(viaToken.user.uid, 'admin');
  const badCfg = path.join(dir, 'bad-token-kubeconfig.yaml');
  fs.writeFileSync(badCfg, renderKubeconfig({ server: kube.url, caCertPem: kube.caCertPem, token: 'not-a-valid-token' }));
  await assert.rejects(run(['--kubeconfig', badCfg, 'get', '--raw', '/echo/t']), /You must be logged in to the server \(Unauthorized\)/);
});

test('a restart on the same data dir keeps the CA and the kubeconfig stays valid; a taken port is a clear error', async () => {
  const d = scratchDir('kube-rs');
  const cfg = path.join(d, 'kubeconfig.yaml');
  const first = await startKubeApi({ dataDir: d, apiServer: echoApiServer(), port: 0, bindAddress: '127.0.0.1', kubeconfigPath: cfg });
  const port = Number(new URL(first.url).port);
  await assert.rejects(startKubeApi({ dataDir: d, apiServer: echoApiServer(), port, bindAddress: '127.0.0.1', kubeconfigPath: cfg }), /already in use/);
  await first.close();
  const second = await startKubeApi({ dataDir: d, apiServer: echoApiServer(), port, bindAddress: '127.0.0.1', kubeconfigPath: cfg });
  try {
    assert.equal(second.caCertPem, first.caCertPem);
    assert.equal(second.kubeconfig, first.kubeconfig);
    assert.equal(fs.readFileSync(path.join(d, 'pki', 'server-url'), 'utf8'), `${second.url}\n`);
  } finally {
    await second.close();
  }
  await assert.rejects(startKubeApi({ dataDir: d, apiServer: echoApiServer(), port: 0, bindAddress: 'not-an-ip' }), /invalid bind address/);
});

test('close() ends open watches and keep-alive connections at once', async () => {
  const d = scratchDir('kube-cl');
  const echo = echoApiServer();
  const k = await startKubeApi({ dataDir: d, apiServer: echo, port: 0, bindAddress: '127.0.0.1', kubeconfigPath: path.join(d, 'kc.yaml') });
  const pki = ensurePki(d, ['127.0.0.1']);
  const u = new URL(k.url);
  const ended = new Promise<void>((resolve, reject) => {
    const req = https.request({ host: u.hostname, port: u.port, path: '/watch', ca: k.caCertPem, cert: pki.admin.certPem, key: pki.admin.keyPem, agent: false }, (res) => {
      res.on('data', () => {});
      res.on('end', () => resolve());
      res.on('error', () => resolve());
      res.on('close', () => resolve());
    });
    req.on('error', () => resolve());
    req.end();
    setTimeout(() => reject(new Error('the watch did not end within 5 s of close()')), 5000);
  });
  await until(() => echo.openWatches() === 1, 'the watch to open');
  const t0 = Date.now();
  await k.close();
  await ended;
  assert.ok(Date.now() - t0 < 2000, `close took ${Date.now() - t0} ms`);
  await until(() => echo.openWatches() === 0, 'the apiserver watch to be released');
});
