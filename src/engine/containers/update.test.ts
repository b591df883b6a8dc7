import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { planUpdate, specWithResources, writeCgroupLimits } from './update.js';

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

function fakeCgroup(files: string[]): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-cg-'));
  for (const f of files) {
    fs.mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
    fs.writeFileSync(path.join(root, f), '');
  }
  return root;
}

test('cgroup v2: memory.max, memory.swap.max (swap part only), cpu.weight, cpu.max, pids.max', () => {
  const root = fakeCgroup(['berth/c1/memory.max', 'berth/c1/memory.swap.max', 'berth/c1/cpu.weight', 'berth/c1/cpu.max', 'berth/c1/pids.max']);
  try {
    writeCgroupLimits('/berth/c1', { memory: { limit: 100, swap: 300 }, cpu: { shares: 1024, quota: 50000, period: 100000 } }, { mode: 'v2', v1: {}, unified: root });
    const read = (f: string) => fs.readFileSync(path.join(root, 'berth/c1', f), 'utf8');
    assert.deepEqual([read('memory.max'), read('memory.swap.max'), read('cpu.weight'), read('cpu.max'), read('pids.max')], ['100', '200', '39', '50000 100000', 'max']);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('cgroup v1: per-controller files; no quota means -1; a missing controller file is skipped', () => {
  const root = fakeCgroup(['memory/berth/c1/memory.limit_in_bytes', 'cpu/berth/c1/cpu.shares', 'cpu/berth/c1/cpu.cfs_quota_us', 'cpu/berth/c1/cpu.cfs_period_us', 'pids/berth/c1/pids.max']);
  try {
    const layout = { mode: 'v1' as const, v1: { memory: path.join(root, 'memory'), cpu: path.join(root, 'cpu'), pids: path.join(root, 'pids') } };
    writeCgroupLimits('/berth/c1', { memory: { limit: 64 << 20, swap: 128 << 20 }, cpu: { shares: 512 }, pids: { limit: 7 } }, layout);
    const read = (f: string) => fs.readFileSync(path.join(root, f), 'utf8');
    assert.equal(read('memory/berth/c1/memory.limit_in_bytes'), String(64 << 20));
    assert.equal(fs.existsSync(path.join(root, 'memory/berth/c1/memory.memsw.limit_in_bytes')), false, 'no swap accounting: not created');
    assert.deepEqual([read('cpu/berth/c1/cpu.shares'), read('cpu/berth/c1/cpu.cfs_quota_us'), read('pids/berth/c1/pids.max')], ['512', '-1', '7']);
    assert.throws(() => writeCgroupLimits('/../etc', {}, layout), /invalid cgroups path/);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});
