import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseNameservers } from './resolv-conf.js';

describe('resolv.conf nameservers', () => {
  it('keeps valid nameserver addresses in order, skipping comments, options and junk', () => {
    const text = [
      '# generated',
      'search example.com',
      'nameserver 127.0.0.53',
      'nameserver   192.0.2.1  # primary',
      ';nameserver 192.0.2.99',
      'nameserver not-an-ip',
      'nameserver fe80::1%eth0',
      'nameserver 2001:db8::1',
      'options edns0 trust-ad',
    ].join('\n');
    assert.deepEqual(parseNameservers(text), ['127.0.0.53', '192.0.2.1', 'fe80::1%eth0', '2001:db8::1']);
  });

  it('is empty when there are none', () => {
    assert.deepEqual(parseNameservers('search local\n'), []);
  });
});
