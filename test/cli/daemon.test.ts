/**
 * The daemon end to end: bad input never hurts it, one server per socket, SIGTERM and kill -9
 * leave containers running, and a restarted daemon adopts them.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, test } from 'node:test';
import { busyboxImage } from '../helpers/test-image.js';
import { restartDaemon, runBerth, startDaemon, teardown, type Daemon } from './harness.js';

let d: Daemon;
before(async () => {
  d = await startDaemon('cli-daemon');
  assert.equal((await d.berth(['load', '-i', busyboxImage().dockerArchive])).code, 0);
});
after(() => teardown(d));

interface Reply { status: number; headers: http.IncomingHttpHeaders; body: string }

function call(method: string, path: string, body?: string | Buffer, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request({ socketPath: d.socket, method, path, headers: { ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...headers } }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: text }));
    });
    req.once('error', reject);
    req.end(body);
  });
}

function message(r: Reply): string {
  return (JSON.parse(r.body) as { message: string }).message;
}

async function assertAlive(): Promise<void> {
  const ping = await call('GET', '/_ping');
  assert.deepEqual([ping.status, ping.body], [200, 'OK']);
}

test('/_ping, /version and /info answer as the docker CLI expects', async () => {
  const head = await call('HEAD', '/_ping');
  assert.equal(head.status, 200);
  assert.equal(head.headers['api-version'], '1.51');
  assert.equal(head.headers['ostype'], 'linux');
  assert.equal(head.headers['swarm'], 'inactive');
  const v = await call('GET', '/v1.50/version');
  assert.equal(v.status, 200);
  assert.equal((JSON.parse(v.body) as { ApiVersion: string }).ApiVersion, '1.51');
  const info = JSON.parse((await call('GET', '/v1.44/info')).body) as { Images: number; OSType: string; Swarm: { LocalNodeState: string } };
  assert.deepEqual([info.Images, info.OSType, info.Swarm.LocalNodeState], [1, 'linux', 'inactive']);
});

test('bad requests get clear errors and the daemon keeps answering', async () => {
  const malformed = await call('POST', '/v1.51/containers/create', '{"Image": "busybox",');
  assert.equal(malformed.status, 400);
  assert.match(message(malformed), /not valid JSON/);

  const huge = await call('POST', '/v1.51/containers/create', Buffer.alloc(2 * 1024 * 1024, 0x20));
  assert.equal(huge.status, 413);
  assert.match(message(huge), /larger than/);

  const badName = await call('POST', '/v1.51/containers/create?name=..%2Fetc', JSON.stringify({ Image: 'busybox' }));
  assert.equal(badName.status, 400);
  assert.match(message(badName), /invalid container name "..\/etc"/);

  const wrongType = await call('POST', '/v1.51/containers/create', JSON.stringify({ Image: 'busybox', Cmd: 42 }));
  assert.equal(wrongType.status, 400);
  assert.match(message(wrongType), /Cmd must be an array of strings/);

  const noImage = await call('POST', '/v1.51/containers/create', JSON.stringify({ Image: 'nosuch:1' }));
  assert.equal(noImage.status, 404);
  assert.match(message(noImage), /nosuch/);

  const unknown = await call('GET', '/v1.51/frobnicate');
  assert.deepEqual([unknown.status, message(unknown)], [404, 'page not found']);

  const build = await call('POST', '/v1.51/build', '');
  assert.equal(build.status, 501);
  assert.match(message(build), /^berth does not support building images/);
  const plugins = await call('GET', '/v1.51/plugins');
  assert.equal(plugins.status, 501);

  const tooNew = await call('GET', '/v1.99/info');
  assert.equal(tooNew.status, 400);
  assert.match(message(tooNew), /too new/);

  const noContainer = await call('GET', '/containers/nosuch/json');
  assert.equal(noContainer.status, 404);
  assert.match(message(noContainer), /nosuch/);

  const badQuery = await call('GET', '/containers/json?filters=%7Bnope');
  assert.equal(badQuery.status, 400);

  const badWait = await call('POST', '/containers/nosuch/wait?condition=sometime');
  assert.equal(badWait.status, 400);

  const hijackUnknown = await d.raw('POST /v1.51/exec/nosuch/start HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: tcp\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}');
  assert.match(hijackUnknown, /^HTTP\/1.1 404 /);

  const garbage = await d.raw('THIS IS NOT HTTP\r\n\r\n');
  assert.match(garbage, /^HTTP\/1.1 400 /);

  await assertAlive();
});

test('wait answers its headers at once and the body when the container exits', async () => {
  const id = (await d.berth(['create', 'busybox', 'sh', '-c', 'sleep 1; exit 9'])).stdout.trim();
  const started = Date.now();
  const headersAt = await new Promise<{ at: number; body: Promise<string> }>((resolve, reject) => {
    const req = http.request({ socketPath: d.socket, method: 'POST', path: `/v1.51/containers/${id}/wait?condition=next-exit` }, (res) => {
      const body = new Promise<string>((r) => {
        let t = '';
        res.on('data', (c) => (t += c));
        res.on('end', () => r(t));
      });
      resolve({ at: Date.now(), body });
    });
    req.once('error', reject);
    req.end();
  });
  assert.ok(headersAt.at - started < 2000, 'headers arrive before the container even starts');
  assert.equal((await call('POST', `/containers/${id}/start`)).status, 204);
  assert.equal((await call('POST', `/containers/${id}/start`)).status, 304, 'already started');
  assert.deepEqual(JSON.parse(await headersAt.body), { StatusCode: 9, Error: null });
  assert.equal((await call('DELETE', `/containers/${id}`)).status, 204);
});

test('one server per socket; kill -9 and SIGTERM leave containers running and a new daemon adopts them', async () => {
  const second = await runBerth(d.host, ['server', '--data-dir', `${d.dir}/data2`, '--socket', d.socket, '--run-dir', `${d.dir}/run2`]);
  assert.equal(second.code, 1);
  assert.match(second.stderr, /another berth server is already listening/);

  assert.equal((await d.berth(['run', '-d', '--name', 'survivor', 'busybox', 'sh', '-c', 'echo alive; while true; do sleep 0.2; done'])).code, 0);
  assert.equal((await d.berth(['run', '-d', '--name', 'quitter', 'busybox', 'sh', '-c', 'sleep 1; exit 4'])).code, 0);
  const pid = (await d.berth(['inspect', '-f', '{{.State.Pid}}', 'survivor'])).stdout.trim();

  await d.crash();
  process.kill(Number(pid), 0); // still running without its daemon (throws if not)
  d = await restartDaemon(d);

  const ps = await d.berth(['ps', '--format', '{{.Names}} {{.State}}']);
  assert.match(ps.stdout, /^survivor running$/m);
  assert.equal((await d.berth(['inspect', '-f', '{{.State.Pid}}', 'survivor'])).stdout.trim(), pid);
  // The other one exited while no daemon was watching: its exit code was still recorded.
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal((await d.berth(['inspect', '-f', '{{.State.Status}} {{.State.ExitCode}}', 'quitter'])).stdout, 'exited 4\n');
  assert.match((await d.berth(['logs', 'survivor'])).stdout, /^alive\n/);
  const exec = await d.berth(['exec', 'survivor', 'echo', 'adopted']);
  assert.deepEqual([exec.code, exec.stdout], [0, 'adopted\n']);

  // A clean stop leaves it running too.
  await d.stop();
  process.kill(Number(pid), 0);
  d = await restartDaemon(d);
  assert.match((await d.berth(['ps', '--format', '{{.Names}} {{.State}}'])).stdout, /^survivor running$/m);

  assert.equal((await d.berth(['stop', '-t', '1', 'survivor'])).code, 0);
  assert.equal((await d.berth(['rm', 'survivor', 'quitter'])).code, 0);
  assert.equal((await d.berth(['ps', '-aq'])).stdout, '');
  assert.throws(() => process.kill(Number(pid), 0));
});
