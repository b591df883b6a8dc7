/**
 * Version negotiation, version/info, and errors as Docker gives them, through the real docker CLI
 * and raw HTTP on berth's socket: status codes, {"message"} bodies, malformed and oversized input,
 * unsupported features (swarm); the daemon survives all of it.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { teardown, type Daemon } from '../cli/harness.js';
import { docker, dockerOk } from './docker-cli.js';
import { startWithBusybox } from '../helpers/busybox-daemon.js';

let d: Daemon;
before(async () => {
  d = await startWithBusybox('docker-cli-err');
});
after(() => teardown(d));

interface Reply { status: number; headers: Record<string, string>; body: string }

function parse(raw: string): Reply {
  const [head = '', ...rest] = raw.split('\r\n\r\n');
  const [statusLine = '', ...headerLines] = head.split('\r\n');
  const headers: Record<string, string> = {};
  for (const l of headerLines) {
    const i = l.indexOf(':');
    headers[l.slice(0, i).toLowerCase()] = l.slice(i + 1).trim();
  }
  let body = rest.join('\r\n\r\n');
  if (headers['transfer-encoding'] === 'chunked') body = body.replace(/^[0-9a-f]+\r\n|\r\n[0-9a-f]+\r\n/g, '').replace(/\r\n0\r\n\r\n$/, '');
  return { status: Number(statusLine.split(' ')[1]), headers, body };
}

async function http(method: string, path: string, body?: string, extraHeaders = ''): Promise<Reply> {
  const len = body === undefined ? '' : `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n`;
  return parse(await d.raw(`${method} ${path} HTTP/1.1\r\nHost: docker\r\nConnection: close\r\n${len}${extraHeaders}\r\n${body ?? ''}`));
}

test('_ping HEAD and GET carry the negotiation headers; /vX.Y prefixes; too old a version is refused', async () => {
  for (const method of ['HEAD', 'GET']) {
    const r = await http(method, '/_ping');
    assert.equal(r.status, 200);
    assert.equal(r.headers['api-version'], '1.51');
    assert.equal(r.headers['ostype'], 'linux');
    assert.equal(r.headers['docker-experimental'], 'false');
    assert.equal(r.headers['swarm'], 'inactive');
    assert.match(r.headers['cache-control'] ?? '', /no-cache/);
    assert.equal(r.body, method === 'GET' ? 'OK' : '');
  }
  assert.equal((await http('GET', '/v1.24/_ping')).status, 200);
  assert.equal((await http('GET', '/v1.51/containers/json')).status, 200);
  const old = await http('GET', '/v1.23/containers/json');
  assert.equal(old.status, 400);
  assert.match(JSON.parse(old.body).message, /client version 1\.23 is too old\. Minimum supported API version is 1\.24/);
});

test('docker version and docker info show the fields the CLI prints', async () => {
  const v = await dockerOk(d, ['version', '--format', '{{.Server.Version}} {{.Server.APIVersion}} {{.Server.MinAPIVersion}} {{.Server.Os}}/{{.Server.Arch}} {{.Client.APIVersion}}']);
  assert.match(v, /^\d+\.\d+\.\d+ 1\.51 1\.24 linux\/\w+ 1\.50\n$/);
  const info = JSON.parse(await dockerOk(d, ['info', '--format', '{{json .}}'])) as Record<string, unknown>;
  for (const k of ['Containers', 'ContainersRunning', 'ContainersPaused', 'ContainersStopped', 'Images', 'NCPU', 'MemTotal']) assert.equal(typeof info[k], 'number', k);
  assert.equal(info.Images, 1);
  for (const k of ['ServerVersion', 'Driver', 'CgroupDriver', 'CgroupVersion', 'DefaultRuntime', 'KernelVersion', 'OperatingSystem', 'OSType', 'Name', 'ID', 'DockerRootDir']) {
    assert.ok(typeof info[k] === 'string' && (info[k] as string).length > 0, `${k}: ${String(info[k])}`);
  }
  assert.equal(info.DockerRootDir, d.dataDir);
  assert.ok(Object.keys(info.Runtimes as object).includes(info.DefaultRuntime as string));
  const text = await dockerOk(d, ['info']);
  for (const line of [/Containers: \d+\n\s+Running: \d+\n\s+Paused: \d+\n\s+Stopped: \d+/, /Images: 1/, /Server Version: /, /Storage Driver: /, /Cgroup Driver: cgroupfs/, /Cgroup Version: [12]/, /Runtimes: .*crun/, /Default Runtime: /, /Kernel Version: /, /Operating System: /, /CPUs: \d+/, /Total Memory: /, /Name: /, /ID: /, /Docker Root Dir: /]) {
    assert.match(text, line);
  }
});

test('unknown objects are 404 with Docker wording; conflicts 409; bad parameters 400', async () => {
  const nc = await http('GET', '/v1.50/containers/ghost/json');
  assert.equal(nc.status, 404);
  assert.deepEqual(JSON.parse(nc.body), { message: 'No such container: ghost' });
  const ni = await http('GET', '/v1.50/images/ghost:1/json');
  assert.equal(ni.status, 404);
  assert.deepEqual(JSON.parse(ni.body), { message: 'No such image: ghost:1' });
  assert.equal((await http('GET', '/v1.50/networks/ghost')).status, 404);
  assert.equal((await http('GET', '/v1.50/volumes/ghost')).status, 404);
  await dockerOk(d, ['create', '--name', 'taken', 'busybox', 'true']);
  const dup = await http('POST', '/v1.50/containers/create?name=taken', JSON.stringify({ Image: 'busybox' }));
  assert.equal(dup.status, 409);
  assert.match(JSON.parse(dup.body).message, /Conflict\. The container name "\/taken" is already in use by container "[0-9a-f]{64}"/);
  const badName = await http('POST', '/v1.50/containers/create?name=-bad', JSON.stringify({ Image: 'busybox' }));
  assert.equal(badName.status, 400);
  const badCli = await docker(d, ['run', '--memory', '1k', 'busybox', 'true']);
  assert.equal(badCli.code, 125);
  assert.match(badCli.stderr, /Error response from daemon: minimum memory limit allowed is 6MB/);
  await dockerOk(d, ['rm', 'taken']);
});

test('malformed JSON, wrong types, unknown paths and oversized bodies get clear errors; the daemon lives on', async () => {
  const malformed = await http('POST', '/v1.50/containers/create', '{"Image": ');
  assert.equal(malformed.status, 400);
  assert.ok(typeof JSON.parse(malformed.body).message === 'string');
  const wrongType = await http('POST', '/v1.50/containers/create', JSON.stringify({ Image: 'busybox', Cmd: 5 }));
  assert.equal(wrongType.status, 400);
  assert.match(JSON.parse(wrongType.body).message, /Cmd/);
  const unknown = await http('GET', '/v1.50/no/such/path');
  assert.equal(unknown.status, 404);
  assert.ok(typeof JSON.parse(unknown.body).message === 'string');
  const huge = await d.raw(`POST /v1.50/containers/create HTTP/1.1\r\nHost: docker\r\nContent-Type: application/json\r\nContent-Length: ${200 * 1024 * 1024}\r\nConnection: close\r\n\r\n{"Image":"`);
  assert.equal(parse(huge).status, 413);
  assert.equal(d.proc.exitCode, null);
  assert.equal((await http('GET', '/_ping')).status, 200);
});

test('swarm and other unsupported commands fail clearly, never a silent success', async () => {
  const swarm = await docker(d, ['swarm', 'init']);
  assert.notEqual(swarm.code, 0);
  assert.match(swarm.stderr, /Error response from daemon: berth does not support swarm mode/);
  const services = await docker(d, ['service', 'ls']);
  assert.notEqual(services.code, 0);
  assert.match(services.stderr, /berth does not support swarm mode|not a swarm manager/);
  const plugin = await docker(d, ['plugin', 'ls']);
  assert.notEqual(plugin.code, 0);
  assert.match(plugin.stderr, /Error response from daemon: berth does not support plugins yet/);
  assert.equal((await http('GET', '/_ping')).status, 200);
});
