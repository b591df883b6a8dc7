import assert from 'node:assert/strict';
import { test } from 'node:test';
import { planUpdate, specWithResources } from './update.js';

test('zero fields keep their value; --cpus and quota/period replace each other', () => {
  const p = planUpdate({ image: 'x', memory: 64 << 20, cpuQuota: 20000, cpuPeriod: 100000 }, { memory: 0, nanoCpus: 500_000_000 });
  assert.equal(p.options.memory, 64 << 20);
  assert.equal(p.options.cpuQuota, undefined);
  assert.equal(p.resources.cpu?.quota, 50000);
  assert.equal(p.resources.cpu?.period, 100000);
  const back = planUpdate(p.options, { cpuQuota: 30000 });
  assert.equal(back.options.nanoCpus, undefined);
  assert.equal(back.resources.cpu?.quota, 30000);
});

test('create-time validation applies, and auto-remove forbids a restart policy', () => {
  assert.throws(() => planUpdate({ image: 'x' }, { memory: 1024 }), /Minimum memory limit allowed is 6MB/);
  assert.throws(() => planUpdate({ image: 'x', memory: 64 << 20, memorySwap: 128 << 20 }, { memory: 256 << 20 }), /memoryswap limit should be larger/);
  assert.throws(() => planUpdate({ image: 'x', autoRemove: true }, { restartPolicy: { name: 'always' } }), /AutoRemove is enabled/);
  assert.equal(planUpdate({ image: 'x' }, { restartPolicy: { name: 'on-failure', maximumRetryCount: 2 } }).options.restartPolicy?.maximumRetryCount, 2);
});

test('the spec keeps its device rules when the limits change', () => {
  const spec = { linux: { cgroupsPath: '/berth/x', resources: { devices: [{ allow: false, access: 'rwm' }], memory: { limit: 1 } } } };
  const out = specWithResources(spec, { pids: { limit: 5 } }) as { linux: { resources: Record<string, unknown> } };
  assert.deepEqual(out.linux.resources, { devices: [{ allow: false, access: 'rwm' }], pids: { limit: 5 } });
});
