import assert from 'node:assert/strict';
import { test } from 'node:test';
import { endpointAddress, parseCniResult } from './result.js';

/** What the bridge plugin (with host-local) prints for ADD, version 1.0.0. */
const bridgeResult = JSON.stringify({
  cniVersion: '1.0.0',
  interfaces: [
    { name: 'berth0', mac: '2a:00:00:00:00:01' },
    { name: 'veth1234', mac: '2a:00:00:00:00:02' },
    { name: 'eth0', mac: '2a:00:00:00:00:03', sandbox: '/run/netns/x' },
  ],
  ips: [{ interface: 2, address: '10.210.0.5/24', gateway: '10.210.0.1' }, { interface: 2, address: 'fd00::5/64', gateway: 'fd00::1' }],
  routes: [{ dst: '0.0.0.0/0', gw: '10.210.0.1' }],
  dns: {},
});

test('the container-side IPv4 address, prefix, gateway and MAC of a bridge result', () => {
  const r = parseCniResult(bridgeResult, 'bridge');
  assert.deepEqual(endpointAddress(r, 'eth0'), { ip: '10.210.0.5', prefixLen: 24, gateway: '10.210.0.1', mac: '2a:00:00:00:00:03', ifName: 'eth0' });
  assert.equal(endpointAddress(r, 'eth1'), null, 'the address belongs to eth0');
});

test('results without interface indexes (older plugins) still give the address; IPv6-only gives none', () => {
  const r = parseCniResult(JSON.stringify({ cniVersion: '0.3.1', interfaces: [{ name: 'eth1', mac: 'aa:bb:cc:dd:ee:ff', sandbox: '/x' }], ips: [{ address: '192.0.2.9/26' }] }), 'bridge');
  assert.deepEqual(endpointAddress(r, 'eth1'), { ip: '192.0.2.9', prefixLen: 26, gateway: '', mac: 'aa:bb:cc:dd:ee:ff', ifName: 'eth1' });
  assert.equal(endpointAddress(parseCniResult('{"ips":[{"address":"fd00::1/64"}]}', 'x'), 'eth0'), null);
  assert.equal(endpointAddress(parseCniResult('{}', 'x'), 'eth0'), null);
});

test('garbage from a plugin is a clear error naming it', () => {
  assert.throws(() => parseCniResult('not json', 'bridge'), /CNI plugin bridge printed a result that is not JSON/);
  assert.throws(() => parseCniResult('[1]', 'portmap'), /CNI plugin portmap printed a result that is not a JSON object/);
  assert.throws(() => parseCniResult('{"interfaces":{}}', 'bridge'), /"interfaces" is not a list/);
  assert.throws(() => parseCniResult('{"ips":"x"}', 'bridge'), /"ips" is not a list/);
});
