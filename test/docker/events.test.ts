/** `docker events` against berth: replay with --since/--until, filters, image/network/volume events, live follow. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, test } from 'node:test';
import { teardown, type Daemon } from '../cli/harness.js';
import { dockerFor, lines } from './docker-cli.js';
import { startWithBusybox } from '../helpers/busybox-daemon.js';

let d: Daemon;
let docker: ReturnType<typeof dockerFor>;
before(async () => {
  d = await startWithBusybox('docker-events');
  docker = dockerFor(d);
});
after(() => teardown(d));

const nowSeconds = () => (Date.now() / 1000).toFixed(3);

test('a run replays as create/start/die/destroy with --since/--until and --filter type=container', async () => {
  const since = nowSeconds();
  const run = await docker(['run', '--rm', '--name', 'ev1', 'busybox', 'true']);
  assert.equal(run.code, 0, run.stderr);
  const until = nowSeconds();
  const r = await docker(['events', '--since', since, '--until', until, '--filter', 'type=container', '--format', '{{.Type}} {{.Action}} {{.Actor.Attributes.name}}']);
  assert.equal(r.code, 0, r.stderr);
  const got = lines(r.stdout).filter((l) => !l.includes(' attach ') && !l.includes(' resize '));
  assert.deepEqual(got.filter((l) => /create|start|die|destroy/.test(l)), ['container create ev1', 'container start ev1', 'container die ev1', 'container destroy ev1']);
  const die = await docker(['events', '--since', since, '--until', until, '--filter', 'event=die', '--format', '{{json .}}']);
  const msg = JSON.parse(lines(die.stdout)[0]!);
  assert.equal(msg.Type, 'container');
  assert.equal(msg.Action, 'die');
  assert.equal(msg.status, 'die');
  assert.equal(msg.scope, 'local');
  assert.equal(msg.Actor.Attributes.exitCode, '0');
  assert.equal(msg.Actor.Attributes.image, 'busybox');
  assert.match(msg.Actor.ID, /^[0-9a-f]{64}$/);
  assert.equal(typeof msg.timeNano, 'number');
  // --until alone replays everything remembered up to it, as moby does.
  const upTo = await docker(['events', '--until', until, '--filter', 'container=ev1', '--filter', 'event=destroy', '--format', '{{.Actor.Attributes.name}}']);
  assert.equal(upTo.stdout, 'ev1\n');
  // A filter on another container's name shows nothing of this one.
  const none = await docker(['events', '--since', since, '--until', until, '--filter', 'container=someone-else']);
  assert.deepEqual([none.code, none.stdout], [0, '']);
});

test('image, network and volume events carry Docker attributes', async () => {
  const since = nowSeconds();
  assert.equal((await docker(['tag', 'busybox', 'evtag:1'])).code, 0);
  assert.equal((await docker(['rmi', 'evtag:1'])).code, 0);
  assert.equal((await docker(['network', 'create', 'evnet'])).code, 0);
  assert.equal((await docker(['volume', 'create', 'evvol'])).code, 0);
  const run = await docker(['run', '--rm', '--network', 'evnet', '-v', 'evvol:/data', 'busybox', 'true']);
  assert.equal(run.code, 0, run.stderr);
  assert.equal((await docker(['network', 'rm', 'evnet'])).code, 0);
  assert.equal((await docker(['volume', 'rm', 'evvol'])).code, 0);
  const until = nowSeconds();
  const r = await docker(['events', '--since', since, '--until', until, '--filter', 'type=image', '--filter', 'type=network', '--filter', 'type=volume', '--format', '{{.Type}} {{.Action}} {{.Actor.Attributes.name}}']);
  assert.equal(r.code, 0, r.stderr);
  const got = lines(r.stdout).map((l) => l.replace(/ evtag:1$| busybox.*$/, ''));
  assert.deepEqual(lines(r.stdout).slice(0, 2), ['image tag evtag:1', 'image untag evtag:1']);
  for (const want of ['network create evnet', 'volume create', 'network connect evnet', 'volume mount', 'volume unmount', 'network disconnect evnet', 'network destroy evnet', 'volume destroy'])
    assert.ok(got.some((l) => l.startsWith(want)), `missing "${want}" in:\n${r.stdout}`);
  const vol = await docker(['events', '--since', since, '--until', until, '--filter', 'volume=evvol', '--format', '{{.Action}} {{.Actor.ID}} {{index .Actor.Attributes "destination"}}']);
  assert.deepEqual(lines(vol.stdout), ['create evvol ', 'mount evvol /data', 'unmount evvol ', 'destroy evvol ']);
});

test('events follow live and a bad filter is refused', async () => {
  const child = spawn('docker', ['events', '--filter', 'event=start', '--format', '{{.Action}} {{.Actor.Attributes.name}}'], { env: { ...process.env, DOCKER_HOST: d.host, DOCKER_CONFIG: `${d.dir}/docker-config` } });
  let out = '';
  const seen = new Promise<void>((resolve) => child.stdout.on('data', (b) => ((out += b), out.includes('start live1') && resolve())));
  await new Promise((r) => setTimeout(r, 500));
  assert.equal((await docker(['run', '--rm', '--name', 'live1', 'busybox', 'true'])).code, 0);
  await Promise.race([seen, new Promise((_, rej) => setTimeout(() => rej(new Error(`no live event: ${out}`)), 10_000))]);
  child.kill();
  const bad = await docker(['events', '--filter', 'colour=red', '--until', nowSeconds()]);
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /invalid filter "colour"/);
});

test('berth events replays with --since/--until and filters', async () => {
  const since = nowSeconds();
  assert.equal((await docker(['run', '--rm', '--name', 'bev', 'busybox', 'true'])).code, 0);
  const until = nowSeconds();
  const r = await d.berth(['events', '--since', since, '--until', until, '--filter', 'container=bev', '--filter', 'event=die']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z container die [0-9a-f]{64} \(exitCode=0, image=busybox, name=bev.*\)\n$/);
  const json = await d.berth(['system', 'events', '--since', since, '--until', until, '--filter', 'type=container', '--format', '{{.Action}}']);
  assert.match(json.stdout, /^create\n(attach\n)?start\ndie\ndestroy\n$/m);
});
