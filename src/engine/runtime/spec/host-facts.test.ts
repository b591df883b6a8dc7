import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { capabilitiesFromMask } from './capabilities.js';
import { devNumbers, hostFacts, listHostDevices, parseProcLimits } from './host-facts.js';

describe('host facts', () => {
  it('parses /proc/self/limits hard limits', () => {
    const text = [
      'Limit                     Soft Limit           Hard Limit           Units     ',
      'Max cpu time              unlimited            unlimited            seconds   ',
      'Max processes             96365                96365                processes ',
      'Max open files            1024                 20000                files     ',
      'Max nice priority         0                    0                    ',
    ].join('\n');
    assert.deepEqual(parseProcLimits(text), { RLIMIT_CPU: Infinity, RLIMIT_NPROC: 96365, RLIMIT_NOFILE: 20000, RLIMIT_NICE: 0 });
  });
  it('decodes capability masks and device numbers', () => {
    const caps = capabilitiesFromMask('000001fffeffffff');
    assert.equal(caps.length, 40);
    assert.ok(!caps.includes('CAP_SYS_RESOURCE') && caps.includes('CAP_CHECKPOINT_RESTORE'));
    assert.deepEqual(devNumbers(0x0103n), { major: 1, minor: 3 });
    assert.deepEqual(devNumbers((1n << 8n) | (4096n << 32n) | 44n | (256n << 12n)), { major: 4097, minor: 300 });
    assert.deepEqual(devNumbers((259n << 8n) | 5n), { major: 259, minor: 5 });
  });
  it('reads this machine', () => {
    const f = hostFacts();
    assert.ok(f.hardRlimits.RLIMIT_NOFILE! > 0);
    assert.ok(f.capabilities.includes('CAP_CHOWN'));
    assert.ok(f.onlineCpus >= 1);
    const devs = listHostDevices();
    const nul = devs.find((d) => d.path === '/dev/null');
    assert.deepEqual(nul && { type: nul.type, major: nul.major, minor: nul.minor }, { type: 'c', major: 1, minor: 3 });
    assert.ok(!devs.some((d) => d.path.startsWith('/dev/pts/')));
  });
});
