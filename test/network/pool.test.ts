/**
 * Two daemons on one host share berth's address pool: networks created on both at the same moment
 * still get subnets of their own (each steps aside when the other's bridge shows up on its subnet).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startDaemon, teardown, type Daemon } from '../cli/harness.js';

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
