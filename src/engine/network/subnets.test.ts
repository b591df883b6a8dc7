import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatSubnet, parseSubnet } from './ipv4.js';
import { DEFAULT_POOL, allocateSubnet } from './subnets.js';

test('the first free /24 of the pool, skipping every overlapping subnet', () => {
  assert.equal(formatSubnet(allocateSubnet([])), '10.210.0.0/24');
  assert.equal(formatSubnet(allocateSubnet([parseSubnet('10.210.0.0/24'), parseSubnet('10.210.1.0/24')])), '10.210.2.0/24');
  // A wider route (another tool's /22) takes all four /24s it covers; a host address its own /24.
  assert.equal(formatSubnet(allocateSubnet([parseSubnet('10.210.0.0/22'), parseSubnet('10.210.4.9/32')])), '10.210.5.0/24');
});

test('an exhausted pool is a clear error; other pools and prefixes work', () => {
  assert.throws(() => allocateSubnet([DEFAULT_POOL]), /all subnets of berth's pool 10\.210\.0\.0\/16 are in use: give the network an explicit --subnet/);
  assert.throws(() => allocateSubnet([parseSubnet('0.0.0.0/0')]), /are in use/);
  const pool = parseSubnet('192.168.0.0/24');
  assert.equal(formatSubnet(allocateSubnet([parseSubnet('192.168.0.0/26')], pool, 26)), '192.168.0.64/26');
});
