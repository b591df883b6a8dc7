/**
 * `berth server` serves the Kubernetes API next to the Docker API: kubectl drives the real daemon
 * process, objects survive a kill -9 of the daemon, and the credentials are kept across restarts.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { restartDaemon, startDaemon, teardown, type Daemon } from './harness.js';

const run = promisify(execFile);
let d: Daemon | undefined;

async function waitForFile(file: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!fs.existsSync(file)) {
    if (Date.now() > deadline) throw new Error(`${file} did not appear; server log:\n${d?.log()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function kubectl(args: string[], input?: string) {
  const kubeconfig = path.join(d!.dir, 'kubeconfig.yaml');
  const env = { ...process.env, KUBECONFIG: kubeconfig, HOME: d!.dir, KUBECACHEDIR: path.join(d!.dir, 'kube-cache') };
  const p = run('kubectl', args, { env, timeout: 60_000 });
  if (input !== undefined) p.child.stdin!.end(input);
  return p;
}

before(async () => {
  assert.equal(process.getuid?.(), 0, 'berth server tests need root');
  d = await startDaemon('kubeapi');
  await waitForFile(path.join(d.dir, 'kubeconfig.yaml'));
});
after(async () => teardown(d));

test('kubectl works against berth server and objects survive kill -9 of the daemon', async () => {
  const ns = await kubectl(['get', 'namespaces', '-o', 'name']);
  assert.match(ns.stdout, /namespace\/default/);
  await kubectl(['apply', '-f', '-'], 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: kept\n  namespace: default\ndata:\n  k: v\n');
  const whoami = await kubectl(['auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}']);
  assert.equal(whoami.stdout, 'admin');
  const caBefore = fs.readFileSync(path.join(d!.dataDir, 'pki', 'ca.crt'), 'utf8');

  await d!.crash();
  fs.rmSync(path.join(d!.dir, 'kubeconfig.yaml'));
  d = await restartDaemon(d!);
  await waitForFile(path.join(d.dir, 'kubeconfig.yaml'));

  const cm = await kubectl(['get', 'configmap', 'kept', '-o', 'jsonpath={.data.k}']);
  assert.equal(cm.stdout, 'v');
  assert.equal(fs.readFileSync(path.join(d.dataDir, 'pki', 'ca.crt'), 'utf8'), caBefore, 'the CA is kept across restarts');
  // `berth kubeconfig` prints a working kubeconfig from the same data dir.
  const printed = await d.berth(['kubeconfig', '--data-dir', d.dataDir]);
  assert.equal(printed.code, 0, printed.stderr);
  fs.writeFileSync(path.join(d.dir, 'kubeconfig.yaml'), printed.stdout);
  assert.match((await kubectl(['get', 'configmap', 'kept', '-o', 'name'])).stdout, /configmap\/kept/);
  // The Docker API keeps answering beside it.
  const v = await d.berth(['version', '--format', '{{.Server.ApiVersion}}']);
  assert.equal(v.code, 0, v.stderr);
});

test('a taken Kubernetes API port stops the server with a clear message', async () => {
  const { createServer } = await import('node:net');
  const blocker = createServer();
  await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
  const port = (blocker.address() as { port: number }).port;
  try {
    const dir = fs.mkdtempSync(path.join(d!.dir, 'p-'));
    const r = await run(process.execPath, ['--import', 'tsx', path.resolve('src/cmd/main.ts'), 'server', '--data-dir', path.join(dir, 'data'), '--socket', path.join(dir, 's.sock'), '--run-dir', path.join(dir, 'run'), '--api-port', String(port), '--kubeconfig', path.join(dir, 'kc.yaml')], { timeout: 60_000 }).then(() => ({ code: 0, stderr: '' }), (e: { code: number; stderr: string }) => e);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /Kubernetes API/);
    assert.ok(!fs.existsSync(path.join(dir, 's.sock')), 'the docker socket is removed again');
  } finally {
    blocker.close();
  }
});
