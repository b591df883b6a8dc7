import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseNetDev } from './stats-net.js';

test('parseNetDev reads receive and transmit counters per interface and leaves loopback out', () => {
  const text = [
    'Inter-|   Receive                                                |  Transmit',
    ' face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed',
    '    lo:     120       2    0    0    0     0          0         0      120       2    0    0    0     0       0          0',
    '  eth0:    4242      31    1    2    0     0          0         0     1337      17    3    4    0     0       0          0',
    '',
  ].join('\n');
  assert.deepEqual(parseNetDev(text), {
    eth0: { rxBytes: 4242, rxPackets: 31, rxErrors: 1, rxDropped: 2, txBytes: 1337, txPackets: 17, txErrors: 3, txDropped: 4 },
  });
  assert.deepEqual(parseNetDev('header\nheader\n'), {});
});
