import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isBerthError } from '../../base/errors.js';
import { renderHosts, renderResolvConf } from './etc-files.js';

test('resolv.conf drops loopback nameservers and keeps search/options', () => {
  const host = 'search example.com\nnameserver 127.0.0.53\nnameserver 10.0.0.2\noptions ndots:2\n';
  assert.equal(renderResolvConf(host, undefined), 'search example.com\nnameserver 10.0.0.2\noptions ndots:2\n');
});

test('resolv.conf falls back to Google DNS when only loopback servers remain', () => {
  assert.equal(renderResolvConf('nameserver 127.0.0.1\n', undefined), 'nameserver 8.8.8.8\nnameserver 8.8.4.4\n');
  assert.equal(renderResolvConf('', undefined), 'nameserver 8.8.8.8\nnameserver 8.8.4.4\n');
});

test('--dns replaces the nameservers', () => {
  assert.equal(renderResolvConf('search a\nnameserver 10.0.0.2\n', ['1.1.1.1']), 'search a\nnameserver 1.1.1.1\n');
});

test('hosts has localhost, the hostname and extra hosts; bad extra hosts are rejected', () => {
  const h = renderHosts('abc123', { image: 'x', extraHosts: ['db:10.1.2.3'] });
  assert.match(h, /^127\.0\.0\.1\tlocalhost$/m);
  assert.match(h, /^127\.0\.1\.1\tabc123$/m);
  assert.match(h, /^10\.1\.2\.3\tdb$/m);
  assert.throws(() => renderHosts('h', { image: 'x', extraHosts: ['nocolon'] }), (e) => isBerthError(e, 'InvalidArgument'));
});
