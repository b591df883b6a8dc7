/** `docker export` and `docker commit` against berth. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { teardown, type Daemon } from '../cli/harness.js';
import { dockerFor } from './docker-cli.js';
import { startWithBusybox } from '../helpers/busybox-daemon.js';

let d: Daemon;
let docker: ReturnType<typeof dockerFor>;
before(async () => {
  d = await startWithBusybox('docker-export');
  docker = dockerFor(d);
});
after(() => teardown(d));

test('docker export writes the merged rootfs as a tar, without volume contents', async () => {
  assert.equal((await docker(['run', '--name', 'ex1', '-v', 'exvol:/vol', 'busybox', 'sh', '-c', 'echo made > /made.txt; rm /var/www/index.html; echo v > /vol/in-volume'])).code, 0);
  const out = path.join(d.dir, 'ex1.tar');
  const r = await docker(['export', '-o', out, 'ex1']);
  assert.equal(r.code, 0, r.stderr);
  const names = execFileSync('tar', ['tf', out], { encoding: 'utf8' }).split('\n');
  for (const want of ['bin/', 'bin/busybox', 'etc/passwd', 'made.txt', 'var/www/']) assert.ok(names.includes(want), `missing ${want}`);
  assert.ok(!names.includes('var/www/index.html'), 'deleted files are gone');
  assert.ok(!names.includes('vol/in-volume'), 'volume contents are not part of the export');
  assert.equal(execFileSync('tar', ['xOf', out, 'made.txt'], { encoding: 'utf8' }), 'made\n');
  // Piped, as people use it; and Docker's 'export' event.
  const since = (Date.now() / 1000 - 30).toFixed(3);
  const piped = execFileSync('sh', ['-c', 'docker export ex1 | tar t | grep -c "^bin/busybox$"'], { encoding: 'utf8', env: { ...process.env, DOCKER_HOST: d.host, DOCKER_CONFIG: `${d.dir}/docker-config` } });
  assert.equal(piped, '1\n');
  const ev = await docker(['events', '--since', since, '--until', (Date.now() / 1000 + 0.01).toFixed(3), '--filter', 'event=export', '--format', '{{.Action}} {{.Actor.Attributes.name}}']);
  assert.deepEqual(ev.stdout.split('\n').filter(Boolean), ['export ex1', 'export ex1']);
  const missing = await docker(['export', '-o', path.join(d.dir, 'x.tar'), 'nope']);
  assert.equal(missing.code, 1);
  assert.ok(!fs.existsSync(path.join(d.dir, 'x.tar')) || fs.statSync(path.join(d.dir, 'x.tar')).size === 0);
});

test('docker commit makes an image whose containers see the changes, with --change, -m and -a', async () => {
  assert.equal((await docker(['run', '--name', 'cm1', 'busybox', 'sh', '-c', 'echo committed > /hello.txt; rm /var/www/index.html; mkdir -p /opq && touch /opq/a'])).code, 0);
  const r = await docker(['commit', '-m', 'my message', '-a', 'Ann Author', '-c', 'ENV GREETING=hi', '-c', 'CMD ["cat", "/hello.txt"]', '-c', 'LABEL tier=test', '-c', 'EXPOSE 8080', '-c', 'WORKDIR /opq', 'cm1', 'mine:v1']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^sha256:[0-9a-f]{64}\n$/);
  const run = await docker(['run', '--rm', 'mine:v1']);
  assert.deepEqual([run.code, run.stdout], [0, 'committed\n']);
  const check = await docker(['run', '--rm', 'mine:v1', 'sh', '-c', 'echo $GREETING; pwd; ls /var/www | wc -l; ls /opq']);
  assert.equal(check.stdout, 'hi\n/opq\n0\na\n');
  const fmt = '{{.Author}}|{{.Comment}}|{{json .Config.Labels}}|{{json .Config.ExposedPorts}}|{{len .RootFS.Layers}}';
  assert.equal((await docker(['image', 'inspect', '-f', fmt, 'mine:v1'])).stdout, 'Ann Author|my message|{"org.opencontainers.image.title":"berth test busybox","tier":"test"}|{"80/tcp":{},"8080/tcp":{}}|2\n');
  const hist = await docker(['history', '--no-trunc', '--format', '{{.Comment}}', 'mine:v1']);
  assert.equal(hist.stdout.split('\n')[0], 'my message');
  // The committed image exports and re-loads like any other.
  const saved = path.join(d.dir, 'mine.tar');
  assert.equal((await docker(['save', '-o', saved, 'mine:v1'])).code, 0);
  assert.equal((await docker(['rmi', 'mine:v1'])).code, 0);
  assert.equal((await docker(['load', '-i', saved])).code, 0);
  assert.equal((await docker(['run', '--rm', 'mine:v1'])).stdout, 'committed\n');
  const bad = await docker(['commit', '-c', 'RUN echo no', 'cm1']);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /RUN is not a valid change command/);
});

test('docker commit of a running container pauses it and leaves it running', async () => {
  assert.equal((await docker(['run', '-d', '--name', 'cm2', 'busybox', 'sh', '-c', 'echo live > /live.txt; sleep 300'])).code, 0);
  await new Promise((r) => setTimeout(r, 300));
  const since = (Date.now() / 1000).toFixed(3);
  const r = await docker(['commit', 'cm2', 'live:1']);
  assert.equal(r.code, 0, r.stderr);
  const ev = await docker(['events', '--since', since, '--until', (Date.now() / 1000 + 0.01).toFixed(3), '--filter', 'container=cm2', '--format', '{{.Action}} {{.Actor.Attributes.imageRef}}']);
  assert.deepEqual(ev.stdout.split('\n').filter(Boolean), ['pause <no value>', 'commit live:1', 'unpause <no value>']);
  assert.equal((await docker(['inspect', '-f', '{{.State.Status}}', 'cm2'])).stdout, 'running\n');
  assert.equal((await docker(['run', '--rm', 'live:1', 'cat', '/live.txt'])).stdout, 'live\n');
  assert.equal((await docker(['rm', '-f', 'cm2'])).code, 0);
});

test('berth export and berth commit', async () => {
  assert.equal((await docker(['run', '--name', 'bc1', 'busybox', 'sh', '-c', 'echo berth > /b.txt'])).code, 0);
  const out = path.join(d.dir, 'bc1.tar');
  const ex = await d.berth(['export', '-o', out, 'bc1']);
  assert.equal(ex.code, 0, ex.stderr);
  assert.equal(execFileSync('tar', ['xOf', out, 'b.txt'], { encoding: 'utf8' }), 'berth\n');
  const c = await d.berth(['commit', '-c', 'CMD ["cat", "/b.txt"]', '-m', 'via berth', 'bc1', 'berthimg:2']);
  assert.equal(c.code, 0, c.stderr);
  assert.match(c.stdout, /^sha256:[0-9a-f]{64}\n$/);
  assert.equal((await docker(['run', '--rm', 'berthimg:2'])).stdout, 'berth\n');
  assert.match((await d.berth(['commit', '--help'])).stdout, /--change/);
});
