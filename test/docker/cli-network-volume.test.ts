/**
 * Networks and volumes through the real docker CLI against berth: create, ls (-q, --format json,
 * filters), inspect, connect/disconnect, rm, prune; the shapes `inspect` and `{{json .}}` expect.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { teardown, type Daemon } from '../cli/harness.js';
import { docker, dockerOk, lines } from './docker-cli.js';
import { startWithBusybox } from '../helpers/busybox-daemon.js';

let d: Daemon;
before(async () => {
  d = await startWithBusybox('docker-cli-netvol');
});
after(async () => {
  await docker(d, ['rm', '-f', ...(await docker(d, ['ps', '-aq'])).stdout.split('\n').filter(Boolean)]);
  await teardown(d);
});


test('network ls shows the predefined networks like docker; create/inspect/rm; duplicate is a conflict', async () => {
  const table = lines(await dockerOk(d, ['network', 'ls']));
  assert.match(table[0]!, /^NETWORK ID\s+NAME\s+DRIVER\s+SCOPE$/);
  const names = lines(await dockerOk(d, ['network', 'ls', '--format', '{{.Name}} {{.Driver}} {{.Scope}}'])).sort();
  assert.deepEqual(names, ['bridge bridge local', 'host host local', 'none null local']);
  const id = (await dockerOk(d, ['network', 'create', '--label', 'team=a', '--subnet', '10.197.3.0/24', 'nv-net'])).trim();
  assert.match(id, /^[0-9a-f]{64}$/);
  const dup = await docker(d, ['network', 'create', 'nv-net']);
  assert.equal(dup.code, 1);
  assert.match(dup.stderr, /network with name nv-net already exists/);
  const [net] = JSON.parse(await dockerOk(d, ['network', 'inspect', 'nv-net'])) as Array<{ Name: string; Id: string; Driver: string; Scope: string; IPAM: { Config: Array<{ Subnet: string; Gateway: string }> }; Labels: Record<string, string>; Containers: object }>;
  assert.deepEqual([net!.Name, net!.Id, net!.Driver, net!.Scope], ['nv-net', id, 'bridge', 'local']);
  assert.deepEqual(net!.IPAM.Config[0], { Subnet: '10.197.3.0/24', Gateway: '10.197.3.1' });
  assert.deepEqual(net!.Labels, { team: 'a' });
  const row = JSON.parse(lines(await dockerOk(d, ['network', 'ls', '--filter', 'name=nv-net', '--format', '{{json .}}']))[0]!) as Record<string, string>;
  assert.deepEqual([row.Name, row.Driver, row.Scope, row.ID, row.Labels], ['nv-net', 'bridge', 'local', id.slice(0, 12), 'team=a']);
  assert.deepEqual(lines(await dockerOk(d, ['network', 'ls', '-q', '--filter', 'label=team=a'])), [id.slice(0, 12)]);
  assert.equal(await dockerOk(d, ['network', 'rm', 'nv-net']), 'nv-net\n');
  const gone = await docker(d, ['network', 'inspect', 'nv-net']);
  assert.equal(gone.code, 1);
  assert.match(gone.stderr, /network nv-net not found/);
  const predefined = await docker(d, ['network', 'rm', 'bridge']);
  assert.equal(predefined.code, 1);
  assert.match(predefined.stderr, /bridge is a pre-defined network and cannot be removed/);
});

test('network connect/disconnect a running container; rm of a network in use is refused; prune', async () => {
  await dockerOk(d, ['network', 'create', 'nv-a']);
  await dockerOk(d, ['network', 'create', 'nv-b']);
  await dockerOk(d, ['run', '-d', '--name', 'nvc', '--network', 'nv-a', 'busybox', 'sleep', '300']);
  assert.equal(await dockerOk(d, ['network', 'connect', '--alias', 'extra', 'nv-b', 'nvc']), '');
  const nets = await dockerOk(d, ['inspect', '-f', '{{range $k, $v := .NetworkSettings.Networks}}{{$k}}={{$v.IPAddress}} {{end}}', 'nvc']);
  assert.match(nets, /^nv-a=\d+\.\d+\.\d+\.\d+ nv-b=\d+\.\d+\.\d+\.\d+ \n$/);
  assert.match(await dockerOk(d, ['exec', 'nvc', 'ip', '-o', 'addr']), /eth1/);
  const members = JSON.parse(await dockerOk(d, ['network', 'inspect', '-f', '{{json .Containers}}', 'nv-b'])) as Record<string, { Name: string }>;
  assert.deepEqual(Object.values(members).map((m) => m.Name), ['nvc']);
  const inUse = await docker(d, ['network', 'rm', 'nv-b']);
  assert.equal(inUse.code, 1);
  assert.match(inUse.stderr, /has active endpoints/);
  assert.equal(await dockerOk(d, ['network', 'disconnect', 'nv-b', 'nvc']), '');
  assert.doesNotMatch(await dockerOk(d, ['inspect', '-f', '{{json .NetworkSettings.Networks}}', 'nvc']), /nv-b/);
  const pruned = await dockerOk(d, ['network', 'prune', '-f']);
  assert.equal(pruned, 'Deleted Networks:\nnv-b\n\n');
  await dockerOk(d, ['rm', '-f', 'nvc']);
  await dockerOk(d, ['network', 'rm', 'nv-a']);
});

test('volume create/ls/inspect/rm/prune with the shapes the CLI expects', async () => {
  assert.equal(await dockerOk(d, ['volume', 'create', '--label', 'k=v', 'nv-vol']), 'nv-vol\n');
  const anon = (await dockerOk(d, ['volume', 'create'])).trim();
  assert.match(anon, /^[0-9a-f]{64}$/);
  const table = lines(await dockerOk(d, ['volume', 'ls']));
  assert.match(table[0]!, /^DRIVER\s+VOLUME NAME$/);
  assert.ok(table.some((l) => /^local\s+nv-vol$/.test(l)));
  assert.deepEqual(lines(await dockerOk(d, ['volume', 'ls', '-q', '--filter', 'label=k=v'])), ['nv-vol']);
  const row = JSON.parse(lines(await dockerOk(d, ['volume', 'ls', '--filter', 'name=nv-vol', '--format', '{{json .}}']))[0]!) as Record<string, string>;
  assert.deepEqual([row.Name, row.Driver, row.Scope, row.Labels], ['nv-vol', 'local', 'local', 'k=v']);
  const [vol] = JSON.parse(await dockerOk(d, ['volume', 'inspect', 'nv-vol'])) as Array<{ Name: string; Driver: string; Mountpoint: string; CreatedAt: string; Labels: Record<string, string>; Scope: string; Options: unknown }>;
  assert.deepEqual([vol!.Name, vol!.Driver, vol!.Scope, vol!.Labels], ['nv-vol', 'local', 'local', { k: 'v' }]);
  assert.match(vol!.Mountpoint, /^\/.*nv-vol/);
  assert.match(vol!.CreatedAt, /^\d{4}-\d\d-\d\dT/);
  await dockerOk(d, ['create', '--name', 'volc', '-v', 'nv-vol:/d', 'busybox', 'true']);
  const inUse = await docker(d, ['volume', 'rm', 'nv-vol']);
  assert.equal(inUse.code, 1);
  assert.match(inUse.stderr, /volume is in use/);
  await dockerOk(d, ['rm', 'volc']);
  const pruned = await dockerOk(d, ['volume', 'prune', '-f']);
  // Only anonymous volumes nothing uses go (the image's VOLUME copies of removed containers); named ones stay.
  assert.match(pruned, /^Deleted Volumes:\n([0-9a-f]{64}\n)+\nTotal reclaimed space: \d/);
  assert.doesNotMatch(pruned, /nv-vol/);
  // A volume created without a name is anonymous (Docker 23+ labels it so), so prune took it too.
  assert.ok(pruned.includes(`${anon}\n`), pruned);
  assert.equal((await docker(d, ['volume', 'inspect', anon])).code, 1);
  assert.equal(await dockerOk(d, ['volume', 'rm', 'nv-vol']), 'nv-vol\n');
  // Driver options: a tmpfs-backed volume, as `docker volume create --opt` makes one.
  await dockerOk(d, ['volume', 'create', '--opt', 'type=tmpfs', '--opt', 'device=tmpfs', '--opt', 'o=size=4m', 'nv-tmp']);
  assert.equal((await dockerOk(d, ['volume', 'inspect', '-f', '{{.Options.type}} {{.Options.o}}', 'nv-tmp'])).trim(), 'tmpfs size=4m');
  assert.match(await dockerOk(d, ['run', '--rm', '-v', 'nv-tmp:/t', 'busybox', 'grep', ' /t ', '/proc/mounts']), /^tmpfs \/t tmpfs .*size=4096k/);
  const badOpt = await docker(d, ['volume', 'create', '--opt', 'flavour=x', 'nv-bad']);
  assert.equal(badOpt.code, 1);
  assert.match(badOpt.stderr, /Error response from daemon: create nv-bad: invalid option: "flavour"/);
  await dockerOk(d, ['volume', 'rm', 'nv-tmp']);
  const missing = await docker(d, ['volume', 'inspect', 'nv-vol']);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /no such volume/);
});
