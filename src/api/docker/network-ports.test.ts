import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatPortsColumn, parsePortKey, parsePortRange, parsePublish, parsePublishList, validatePortBindings } from './network-ports.js';

test('-p forms: container port only, host port, host ip, protocol', () => {
  assert.deepEqual(parsePublish('80'), { exposed: ['80/tcp'], bindings: { '80/tcp': [{ HostIp: '', HostPort: '' }] } });
  assert.deepEqual(parsePublish('8080:80'), { exposed: ['80/tcp'], bindings: { '80/tcp': [{ HostIp: '', HostPort: '8080' }] } });
  assert.deepEqual(parsePublish('127.0.0.1:8080:80/udp'), { exposed: ['80/udp'], bindings: { '80/udp': [{ HostIp: '127.0.0.1', HostPort: '8080' }] } });
  assert.deepEqual(parsePublish('127.0.0.1::80'), { exposed: ['80/tcp'], bindings: { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }] } });
});

test('-p ranges: equal-sized ranges pair up; a host range for one container port means any port of it', () => {
  assert.deepEqual(parsePublish('8000-8001:80-81').bindings, { '80/tcp': [{ HostIp: '', HostPort: '8000' }], '81/tcp': [{ HostIp: '', HostPort: '8001' }] });
  assert.deepEqual(parsePublish('8000-8010:80').bindings, { '80/tcp': [{ HostIp: '', HostPort: '8000-8010' }] });
  assert.deepEqual(parsePublish('90-91').exposed, ['90/tcp', '91/tcp']);
  assert.throws(() => parsePublish('8000-8002:80-81'), /same size/);
});

test('-p refusals name the bad part', () => {
  assert.throws(() => parsePublish('80/sctp'), /invalid protocol "sctp"/);
  assert.throws(() => parsePublish('0'), /invalid container port "0"/);
  assert.throws(() => parsePublish('70000:80'), /invalid host port "70000"/);
  assert.throws(() => parsePublish('a.b.c.d:80:80'), /invalid IP address "a\.b\.c\.d"/);
  assert.throws(() => parsePublish('1:2:3:4'), /invalid port format/);
  assert.throws(() => parsePortRange('90-80', 'host port'), /invalid host port "90-80"/);
});

test('repeated -p values merge, as the docker CLI does', () => {
  const r = parsePublishList(['8080:80', '127.0.0.1:9090:80', '53/udp']);
  assert.deepEqual(r.exposed, ['80/tcp', '53/udp']);
  assert.deepEqual(r.bindings['80/tcp'], [{ HostIp: '', HostPort: '8080' }, { HostIp: '127.0.0.1', HostPort: '9090' }]);
});

test('port keys and the API\'s PortBindings are validated', () => {
  assert.deepEqual(parsePortKey('53/udp'), { port: 53, protocol: 'udp' });
  assert.deepEqual(parsePortKey('80'), { port: 80, protocol: 'tcp' });
  assert.throws(() => parsePortKey('80-81/tcp'), /one container port per key/);
  assert.equal(validatePortBindings(null), undefined);
  assert.deepEqual(validatePortBindings({ '80': [{ HostPort: '8080' }], '81/tcp': null, '82/udp': [{ HostIp: '::', HostPort: '0' }] }), { '80/tcp': [{ HostIp: '', HostPort: '8080' }], '82/udp': [{ HostIp: '', HostPort: '0' }] });
  assert.throws(() => validatePortBindings([]), /must be an object/);
  assert.throws(() => validatePortBindings({ '80/tcp': 'x' }), /must be a list/);
  assert.throws(() => validatePortBindings({ '80/tcp': [{ HostPort: 8080 }] }), /must be strings/);
  assert.throws(() => validatePortBindings({ '80/tcp': [{ HostIp: 'nope' }] }), /invalid host IP "nope"/);
});

test('the PORTS column: published and exposed-only ports, consecutive runs folded', () => {
  assert.equal(formatPortsColumn([]), '');
  assert.equal(formatPortsColumn([{ PrivatePort: 443, Type: 'tcp' }, { IP: '0.0.0.0', PrivatePort: 80, PublicPort: 8080, Type: 'tcp' }]), '443/tcp, 0.0.0.0:8080->80/tcp');
  const run = [0, 1, 2].map((i) => ({ IP: '127.0.0.1', PrivatePort: 9000 + i, PublicPort: 19000 + i, Type: 'tcp' }));
  assert.equal(formatPortsColumn(run), '127.0.0.1:19000-19002->9000-9002/tcp');
  assert.equal(formatPortsColumn([{ PrivatePort: 53, Type: 'udp' }, { PrivatePort: 54, Type: 'udp' }, { PrivatePort: 53, Type: 'tcp' }]), '53/tcp, 53-54/udp');
});
