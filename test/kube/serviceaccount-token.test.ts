/**
 * `kubectl create token <sa>` (serviceaccounts/<name>/token, a TokenRequest) gives a bearer token
 * that logs in as the service account — user system:serviceaccount:<ns>:<name>, groups
 * system:serviceaccounts and system:serviceaccounts:<ns> — and stops working when the account is
 * deleted (even if one of the same name comes back). Real kubectl 1.34 against the whole stack.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { renderKubeconfig } from '../../src/server/kube-api/index.js';
import { kubeClients, runCli } from './helpers/clients.js';
import { request } from './helpers/https-client.js';
import { startKubeServer, type KubeServer } from './helpers/kube-server.js';

let server: KubeServer;
let kubectl: string;

before(async () => {
  server = await startKubeServer('sqlite');
  kubectl = kubeClients().kubectl;
});
after(async () => server?.close());

async function ok(args: string[], env = server.env): Promise<string> {
  const r = await runCli(kubectl, args, { env });
  assert.equal(r.code, 0, `kubectl ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** A kubeconfig with only the bearer token as credentials. */
function tokenEnv(token: string, name: string): NodeJS.ProcessEnv {
  const file = path.join(server.dataDir, `${name}.kubeconfig`);
  fs.writeFileSync(file, renderKubeconfig({ server: server.url, caCertPem: server.caCertPem, token }), { mode: 0o600 });
  return { ...server.env, KUBECONFIG: file };
}

test('kubectl create token: the token logs in as the service account, with its groups', async () => {
  await ok(['create', 'serviceaccount', 'robot', '-n', 'default']);
  const token = (await ok(['create', 'token', 'robot', '-n', 'default'])).trim();
  assert.match(token, /^[\w-]+\.[\w-]+\.[\w-]+$/, 'a JWT');
  const env = tokenEnv(token, 'robot');
  const who = JSON.parse(await ok(['auth', 'whoami', '-o', 'json'], env));
  assert.equal(who.status.userInfo.username, 'system:serviceaccount:default:robot');
  assert.deepEqual([...who.status.userInfo.groups].sort(), ['system:authenticated', 'system:serviceaccounts', 'system:serviceaccounts:default']);
  const sa = JSON.parse(await ok(['get', 'serviceaccount', 'robot', '-n', 'default', '-o', 'json']));
  assert.equal(who.status.userInfo.uid, sa.metadata.uid, 'the user uid is the service account uid');
  // Until RBAC, every authenticated user may act.
  assert.match(await ok(['get', 'namespaces', '-o', 'name'], env), /namespace\/default/);

  // A token with a changed signature, or for another audience only, does not log in.
  const [h, b, s] = token.split('.');
  const forged = `${h}.${b}.${s!.slice(0, -2)}${s!.endsWith('AA') ? 'BB' : 'AA'}`;
  assert.equal((await request(server.url, '/api/v1/namespaces', { ca: server.caCertPem, token: forged })).status, 401);
  const other = (await ok(['create', 'token', 'robot', '-n', 'default', '--audience', 'https://vault.example'])).trim();
  assert.equal((await request(server.url, '/api/v1/namespaces', { ca: server.caCertPem, token: other })).status, 401);
});

test('kubectl create token: the TokenRequest answer, bad durations and missing accounts', async () => {
  await ok(['create', 'serviceaccount', 'timed', '-n', 'default']);
  const tr = JSON.parse(await ok(['create', 'token', 'timed', '-n', 'default', '--duration', '2h', '-o', 'json']));
  assert.equal(tr.kind, 'TokenRequest');
  assert.equal(tr.apiVersion, 'authentication.k8s.io/v1');
  assert.equal(tr.spec.expirationSeconds, 7200);
  const left = Date.parse(tr.status.expirationTimestamp) - Date.now();
  assert.ok(left > 7100_000 && left <= 7200_000, `expires in ${left} ms`);

  const short = await runCli(kubectl, ['create', 'token', 'timed', '-n', 'default', '--duration', '5m'], { env: server.env });
  assert.notEqual(short.code, 0);
  assert.match(short.stderr, /may not specify a duration less than 10 minutes/);
  const missing = await runCli(kubectl, ['create', 'token', 'nobody', '-n', 'default'], { env: server.env });
  assert.notEqual(missing.code, 0);
  assert.match(missing.stderr, /serviceaccounts "nobody" not found/);
});

test('a token dies with its service account, also when one of the same name is created again', async () => {
  await ok(['create', 'serviceaccount', 'brief', '-n', 'default']);
  const token = (await ok(['create', 'token', 'brief', '-n', 'default'])).trim();
  const creds = { ca: server.caCertPem, token };
  assert.equal((await request(server.url, '/api/v1/namespaces/default/configmaps', creds)).status, 200);
  await ok(['delete', 'serviceaccount', 'brief', '-n', 'default']);
  assert.equal((await request(server.url, '/api/v1/namespaces/default/configmaps', creds)).status, 401);
  await ok(['create', 'serviceaccount', 'brief', '-n', 'default']);
  assert.equal((await request(server.url, '/api/v1/namespaces/default/configmaps', creds)).status, 401, 'a new account of that name is another account');
  const who = await runCli(kubectl, ['auth', 'whoami'], { env: tokenEnv(token, 'brief') });
  assert.notEqual(who.code, 0);
  assert.match(who.stderr, /Unauthorized|must be logged in/);
});
