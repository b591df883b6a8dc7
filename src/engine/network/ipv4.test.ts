import assert from 'node:assert/strict';
import { test } from 'node:test';
import { contains, formatIp, formatSubnet, maskOf, overlaps, parseIp, parseSubnet, size, subnetOf } from './ipv4.js';

test('addresses parse to 32-bit numbers and back; malformed ones are null', () => {
  assert.equal(parseIp('10.210.0.1'), 0x0ad20001);
  assert.equal(parseIp('255.255.255.255'), 0xffffffff);
  assert.equal(formatIp(0xc0000207), '192.0.2.7');
  for (const bad of ['256.1.1.1', '1.2.3', '01.2.3.4', '1.2.3.4.5', ' 1.2.3.4', 'a.b.c.d', '']) assert.equal(parseIp(bad), null, bad);
});

test('subnets: host bits must be zero; size, containment, overlap', () => {
  const s = parseSubnet('10.210.4.0/24');
  assert.deepEqual(s, { base: 0x0ad20400, prefix: 24 });
  assert.equal(formatSubnet(s), '10.210.4.0/24');
  assert.equal(size(s), 256);
  assert.ok(contains(s, parseIp('10.210.4.255')!));
  assert.ok(!contains(s, parseIp('10.210.5.0')!));
  assert.ok(overlaps(parseSubnet('10.0.0.0/8'), s));
  assert.ok(!overlaps(parseSubnet('10.210.5.0/24'), s));
  assert.throws(() => parseSubnet('10.210.4.1/24'), /host bits are set \(did you mean 10\.210\.4\.0\/24\?\)/);
  assert.throws(() => parseSubnet('10.210.4.0/33'), /invalid subnet/);
  assert.throws(() => parseSubnet('10.210.4.0', '--bridge-subnet'), /invalid --bridge-subnet "10\.210\.4\.0"/);
  assert.equal(maskOf(0), 0);
  assert.equal(maskOf(32), 0xffffffff);
  assert.deepEqual(subnetOf(parseIp('192.0.2.77')!, 26), parseSubnet('192.0.2.64/26'));
  assert.deepEqual(parseSubnet('0.0.0.0/0'), { base: 0, prefix: 0 });
});
