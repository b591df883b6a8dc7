import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parsePortmapRules } from './host.js';

test('host ports published through portmap, read from its shared DNAT chain', () => {
  const rules = [
    '-N CNI-HOSTPORT-DNAT',
    '-A CNI-HOSTPORT-DNAT -p tcp -m comment --comment "dnat name: \\"berth-0123456789ab\\" id: \\"abc\\"" -m multiport --dports 8080,9090 -j CNI-DN-1',
    '-A CNI-HOSTPORT-DNAT -p udp -m comment --comment "dnat name: \\"podman\\" id: \\"def\\"" -m multiport --dports 5353 -j CNI-DN-2',
    '-A CNI-HOSTPORT-DNAT -p tcp -m multiport --dports 7000:7002 -j CNI-DN-3',
  ].join('\n');
  assert.deepEqual(parsePortmapRules(rules), [
    { port: 8080, protocol: 'tcp' }, { port: 9090, protocol: 'tcp' }, { port: 5353, protocol: 'udp' },
    { port: 7000, protocol: 'tcp' }, { port: 7001, protocol: 'tcp' }, { port: 7002, protocol: 'tcp' },
  ]);
  assert.deepEqual(parsePortmapRules(''), []);
});
