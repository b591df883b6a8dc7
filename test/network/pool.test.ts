/**
 * Two daemons on one host share berth's address pool and the host's ports: networks created on both
 * at the same moment still get subnets of their own (each steps aside when the other's bridge shows
 * up on its subnet), and a host port one publishes (a DNAT rule, no socket) the other refuses.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startDaemon, teardown, type Daemon } from '../cli/harness.js';
import { busyboxImage } from '../helpers/test-image.js';

let a: Daemon;
let b: Daemon;

before(async () => {
  [a, b] = await Promise.all([startDaemon('net-pool-a'), startDaemon('net-pool-b')]);
});

after(async () => {
  await Promise.all([teardown(a), teardown(b)]);
});

test('networks created concurrently by two daemons never share a subnet', async () => {
  const names = ['p1', 'p2', 'p3', 'p4'];
  const created = await Promise.all([a, b].flatMap((d) => names.map((n) => d.berth(['network', 'create', n]))));
  for (const r of created) assert.equal(r.code, 0, r.stderr);
  const subnets: string[] = [];
  for (const d of [a, b]) {
    const nets = JSON.parse((await d.berth(['network', 'inspect', 'bridge', ...names])).stdout) as Array<{ IPAM: { Config: Array<{ Subnet: string }> } }>;
    subnets.push(...nets.map((n) => n.IPAM.Config[0]!.Subnet));
  }
  assert.equal(subnets.length, 10);
  assert.equal(new Set(subnets).size, 10, `subnets: ${subnets.join(' ')}`);
  for (const d of [a, b]) assert.equal((await d.berth(['network', 'rm', ...names])).code, 0);
});

test('a host port another daemon publishes is refused until it is freed', async () => {
  for (const d of [a, b]) assert.equal((await d.berth(['load', '-i', busyboxImage().dockerArchive])).code, 0);
  const hostPort = 40000 + (process.pid % 10000);
  const first = await a.berth(['run', '-d', '--name', 'holder', '-p', `${hostPort}:80`, 'busybox', 'sleep', '600']);
  assert.equal(first.code, 0, first.stderr);
  const second = await b.berth(['run', '--rm', '-p', `${hostPort}:80`, 'busybox', 'true']);
  assert.equal(second.code, 125);
  assert.match(second.stderr, new RegExp(`Bind for 0\\.0\\.0\\.0:${hostPort} failed: port is already allocated`));
  assert.equal((await a.berth(['rm', '-f', 'holder'])).code, 0);
  const again = await b.berth(['run', '--rm', '-p', `${hostPort}:80`, 'busybox', 'true']);
  assert.equal(again.code, 0, again.stderr);
});
