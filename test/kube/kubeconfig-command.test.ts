/** `berth kubeconfig`: prints a kubeconfig from a server's data dir that kubectl can use as is. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { after, before, test } from 'node:test';
import YAML from 'yaml';
import { runKubeconfigCommand } from '../../src/cmd/commands/kubeconfig.js';
import { startKubeApi, type KubeApi } from '../../src/server/kube-api/index.js';
import { scratchDir } from '../helpers/test-image.js';
import { runCli } from './helpers/clients.js';
import { echoApiServer } from './helpers/echo-api-server.js';

function sink(): { stream: Writable; text: () => string } {
  let buf = '';
  return { stream: new Writable({ write: (c, _e, cb) => ((buf += c.toString()), cb()) }), text: () => buf };
}

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out = sink();
  const err = sink();
  const code = await runKubeconfigCommand(argv, { out: out.stream, err: err.stream });
  return { code, out: out.text(), err: err.text() };
}

let dir: string;
let kube: KubeApi;
before(async () => {
  dir = scratchDir('kcfg');
  kube = await startKubeApi({ dataDir: dir, apiServer: echoApiServer(), port: 0, bindAddress: '127.0.0.1', kubeconfigPath: path.join(dir, 'written.yaml') });
});
after(async () => kube.close());

test('prints the same admin kubeconfig the server wrote; kubectl logs in with it, and with --token', async () => {
  const r = await run(['--data-dir', dir]);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out, fs.readFileSync(path.join(dir, 'written.yaml'), 'utf8'));
  const env = { PATH: process.env.PATH, HOME: dir };
  for (const [name, text] of [['cert.yaml', r.out], ['token.yaml', (await run(['--data-dir', dir, '--token'])).out]] as const) {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    const k = await runCli('/usr/bin/kubectl', ['--kubeconfig', file, 'get', '--raw', '/echo/who'], { env });
    assert.equal(k.code, 0, k.stderr);
    assert.equal(JSON.parse(k.stdout).user.name, 'admin');
  }
  const other = await run(['--data-dir', dir, '--server', 'https://berth.example:7443']);
  assert.equal(YAML.parse(other.out).clusters[0].cluster.server, 'https://berth.example:7443');
});

test('bad usage is 125, a data dir without credentials is 1 with a message naming the file', async () => {
  assert.equal((await run(['--server', 'http://x:1', '--data-dir', dir])).code, 125);
  assert.equal((await run(['--server', 'not a url', '--data-dir', dir])).code, 125);
  assert.equal((await run(['extra-arg'])).code, 125);
  const empty = await run(['--data-dir', scratchDir('kcfg-empty')]);
  assert.equal(empty.code, 1);
  assert.match(empty.err, /pki\/ca\.crt not found/);
  assert.equal((await run(['--help'])).code, 0);
});
