import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isBerthError } from '../../../base/errors.js';
import { formatUpstream, parseUpstream } from './upstream-address.js';

describe('upstream addresses', () => {
  it('parses IPv4 and IPv6, with and without a port', () => {
    assert.deepEqual(parseUpstream('192.0.2.1'), { host: '192.0.2.1', port: 53 });
    assert.deepEqual(parseUpstream('127.0.0.1:5353'), { host: '127.0.0.1', port: 5353 });
    assert.deepEqual(parseUpstream('2001:db8::1'), { host: '2001:db8::1', port: 53 });
    assert.deepEqual(parseUpstream('[::1]:5353'), { host: '::1', port: 5353 });
    assert.deepEqual(parseUpstream('fe80::1%eth0'), { host: 'fe80::1%eth0', port: 53 });
  });

  it('refuses names, bad ports and junk with InvalidArgument naming the value', () => {
    for (const bad of ['dns.example.com', '1.2.3.4:0', '1.2.3.4:70000', '[::1]:x', '', '1.2.3']) {
      assert.throws(() => parseUpstream(bad), (err) => isBerthError(err, 'InvalidArgument') && err.message.includes(`"${bad}"`), bad);
    }
  });

  it('formats back', () => {
    assert.equal(formatUpstream({ host: '192.0.2.1', port: 53 }), '192.0.2.1');
    assert.equal(formatUpstream({ host: '::1', port: 5353 }), '[::1]:5353');
  });
});
