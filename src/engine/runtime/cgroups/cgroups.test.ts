import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { isBerthError } from '../../../base/errors.js';
import { cgroupMode, oomKilledFrom, parseMountinfo, parseProcStat, readPidsFrom, readStatsFrom } from './index.js';

function tempDir(label: string): string {
  const root = process.env.BERTH_TEST_ROOT ?? path.join(os.tmpdir(), 'berth-test-dev');
  fs.mkdirSync(root, { recursive: true });
  const dir = fs.mkdtempSync(path.join(root, `${label}-`));
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}
function write(dir: string, files: Record<string, string>): void {
  fs.mkdirSync(dir, { recursive: true });
  for (const [f, c] of Object.entries(files)) fs.writeFileSync(path.join(dir, f), c);
}

const procStat = 'cpu  100 5 50 1000 10 1 2 7 0 0\ncpu0 50 2 25 500 5 0 1 3 0 0\ncpu1 50 3 25 500 5 1 1 4 0 0\nintr 1\n';
const hybridMountinfo = [
  '31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755',
  '32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu',
  '33 31 0:30 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct',
  '35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory',
  '39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids',
  '40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd',
  '41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw',
].join('\n');

describe('cgroup layout', () => {
  it('detects hybrid, v1 and v2 from mountinfo', () => {
    const h = parseMountinfo(hybridMountinfo);
    assert.equal(h.mode, 'hybrid');
    assert.deepEqual(h.v1, { cpu: '/sys/fs/cgroup/cpu', cpuacct: '/sys/fs/cgroup/cpuacct', memory: '/sys/fs/cgroup/memory', pids: '/sys/fs/cgroup/pids' });
    assert.equal(h.unified, '/sys/fs/cgroup/unified');
    assert.equal(parseMountinfo('32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw - cgroup cgroup rw,cpu,cpuacct').mode, 'v1');
    assert.equal(parseMountinfo('32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw - cgroup cgroup rw,cpu,cpuacct').v1.cpuacct, '/sys/fs/cgroup/cpu,cpuacct');
    assert.deepEqual(parseMountinfo('25 1 0:22 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw,nsdelegate'), { mode: 'v2', v1: {}, unified: '/sys/fs/cgroup' });
  });
  it('sees this host as hybrid (controllers on v1, as host-facts.md says)', () => assert.equal(cgroupMode(), 'hybrid'));
  it('sums /proc/stat like Docker', () => {
    assert.deepEqual(parseProcStat(procStat), { systemUsageNs: (100 + 5 + 50 + 1000 + 10 + 1 + 2) * 1e7, onlineCpus: 2 });
  });
});

describe('cgroup v1 stats', () => {
  const root = tempDir('cg-v1');
  const layout = { mode: 'hybrid' as const, v1: { cpu: `${root}/cpu`, cpuacct: `${root}/cpuacct`, memory: `${root}/memory`, pids: `${root}/pids`, blkio: `${root}/blkio` }, unified: `${root}/unified` };
  const cg = '/berth/abc';
  write(`${root}/blkio${cg}`, {
    'blkio.throttle.io_service_bytes_recursive': '8:0 Read 4096\n8:0 Write 8192\n8:0 Sync 0\n8:0 Async 12288\n8:0 Total 12288\nTotal 12288\n',
    'blkio.throttle.io_serviced_recursive': '8:0 Read 1\n8:0 Write 2\nTotal 3\n',
  });
  write(`${root}/cpu${cg}`, { 'cpu.stat': 'nr_periods 40\nnr_throttled 3\nthrottled_time 123456\n' });
  write(`${root}/cpuacct${cg}`, { 'cpuacct.usage': '5000000\n', 'cpuacct.usage_percpu': '3000000 2000000 \n' });
  write(`${root}/memory${cg}`, {
    'memory.usage_in_bytes': '8388608\n',
    'memory.limit_in_bytes': '9223372036854771712\n',
    'memory.max_usage_in_bytes': '9000000\n',
    'memory.failcnt': '4\n',
    'memory.stat': 'cache 4096\nrss 1000\ninactive_file 10\ntotal_inactive_file 2048\n',
    'memory.oom_control': 'oom_kill_disable 0\nunder_oom 0\noom_kill 1\n',
  });
  write(`${root}/memory/berth/limited`, { 'memory.limit_in_bytes': '67108864\n', 'memory.oom_control': 'oom_kill_disable 0\nunder_oom 0\noom_kill 0\n' });
  write(`${root}/pids${cg}`, { 'pids.current': '3\n', 'pids.max': 'max\n', 'cgroup.procs': '12\n10\n' });
  write(`${root}/pids${cg}/nested`, { 'cgroup.procs': '11\n' });
  fs.writeFileSync(`${root}/stat`, procStat);
  const src = { layout, procStat: `${root}/stat`, machineMemory: 1 << 30, now: () => new Date('2026-01-02T03:04:05.000Z') };

  it('reads cpu, memory and pids', async () => {
    assert.deepEqual(await readStatsFrom(cg, src), {
      read: '2026-01-02T03:04:05.000Z',
      cpu: { totalUsageNs: 5000000, perCpuUsageNs: [3000000, 2000000], systemUsageNs: 1168e7, onlineCpus: 2, throttledPeriods: 3, throttledTimeNs: 123456 },
      memory: { usage: 8388608, limit: 1 << 30, maxUsage: 9000000, cache: 4096, inactiveFile: 2048, failcnt: 4 },
      pids: { current: 3, limit: 0 },
      blkio: {
        serviceBytes: [
          { major: 8, minor: 0, op: 'Read', value: 4096 }, { major: 8, minor: 0, op: 'Write', value: 8192 }, { major: 8, minor: 0, op: 'Sync', value: 0 },
          { major: 8, minor: 0, op: 'Async', value: 12288 }, { major: 8, minor: 0, op: 'Total', value: 12288 },
        ],
        serviced: [{ major: 8, minor: 0, op: 'Read', value: 1 }, { major: 8, minor: 0, op: 'Write', value: 2 }],
      },
    });
  });
  it('reports a set memory limit as is', async () => {
    assert.equal((await readStatsFrom('/berth/limited', src)).memory.limit, 67108864);
  });
  it('lists pids of the cgroup and its children', async () => assert.deepEqual(await readPidsFrom(cg, layout), [10, 11, 12]));
  it('reads oom_kill', () => {
    assert.equal(oomKilledFrom(cg, layout), true);
    assert.equal(oomKilledFrom('/berth/limited', layout), false);
    assert.equal(oomKilledFrom('/berth/gone', layout), false);
  });
  it('is NotFound for a missing cgroup and InvalidArgument for a bad path', async () => {
    await assert.rejects(readStatsFrom('/berth/gone', src), (e: unknown) => isBerthError(e, 'NotFound') && /cgroup "\/berth\/gone" not found/.test(e.message));
    await assert.rejects(readPidsFrom('/berth/gone', layout), (e: unknown) => isBerthError(e, 'NotFound'));
    await assert.rejects(readStatsFrom('/berth/../../etc', src), (e: unknown) => isBerthError(e, 'InvalidArgument'));
  });
});

describe('cgroup v2 stats', () => {
  const root = tempDir('cg-v2');
  const layout = { mode: 'v2' as const, v1: {}, unified: root };
  const cg = '/berth/xyz';
  write(`${root}${cg}`, {
    'cpu.stat': 'usage_usec 2500\nuser_usec 2000\nsystem_usec 500\nnr_periods 9\nnr_throttled 2\nthrottled_usec 70\n',
    'memory.current': '1048576\n',
    'memory.max': '33554432\n',
    'memory.peak': '2097152\n',
    'memory.stat': 'anon 1000\nfile 8192\ninactive_file 4096\n',
    'memory.events': 'low 0\nhigh 0\nmax 5\noom 1\noom_kill 2\n',
    'pids.current': '4\n',
    'pids.max': '20\n',
    'cgroup.procs': '99\n',
    'io.stat': '259:0 rbytes=1024 wbytes=2048 rios=3 wios=4 dbytes=0 dios=0\n',
  });
  write(`${root}/berth/unlimited`, { 'memory.max': 'max\n', 'memory.events': 'oom_kill 0\n' });
  fs.writeFileSync(`${root}/stat`, procStat);
  const src = { layout, procStat: `${root}/stat`, machineMemory: 1 << 30, now: () => new Date(0) };

  it('reads cpu, memory and pids', async () => {
    const s = await readStatsFrom(cg, src);
    assert.deepEqual(s.cpu, { totalUsageNs: 2500000, perCpuUsageNs: [], systemUsageNs: 1168e7, onlineCpus: 2, throttledPeriods: 2, throttledTimeNs: 70000 });
    assert.deepEqual(s.memory, { usage: 1048576, limit: 33554432, maxUsage: 2097152, cache: 8192, inactiveFile: 4096, failcnt: 5 });
    assert.deepEqual(s.pids, { current: 4, limit: 20 });
    assert.deepEqual(s.blkio, {
      serviceBytes: [{ major: 259, minor: 0, op: 'read', value: 1024 }, { major: 259, minor: 0, op: 'write', value: 2048 }],
      serviced: [{ major: 259, minor: 0, op: 'read', value: 3 }, { major: 259, minor: 0, op: 'write', value: 4 }],
    });
    assert.equal((await readStatsFrom('/berth/unlimited', src)).memory.limit, 1 << 30);
  });
  it('lists pids and reads oom_kill from memory.events', async () => {
    assert.deepEqual(await readPidsFrom(cg, layout), [99]);
    assert.equal(oomKilledFrom(cg, layout), true);
    assert.equal(oomKilledFrom('/berth/unlimited', layout), false);
  });
});
