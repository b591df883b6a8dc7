import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ContainerStatsView, ImageView } from './domain.js';
import { parseExecRequest, execInspectJson } from './exec-json.js';
import { imageInspectJson, imageSummaryJson } from './image-json.js';
import { cpuPercent, statsJson } from './stats-json.js';

const img: ImageView = {
  id: `sha256:${'c'.repeat(64)}`,
  repoTags: ['busybox:latest'],
  repoDigests: [],
  config: { architecture: 'amd64', os: 'linux', config: { Cmd: ['sh'], Env: ['PATH=/bin'] }, rootfs: { type: 'layers', diff_ids: ['sha256:d'] } },
  size: 2_000_000,
  created: '2024-01-01T00:00:00Z',
};

test('image summary and inspect', () => {
  const s = imageSummaryJson(img, 2) as Record<string, any>;
  assert.deepEqual([s.Id, s.RepoTags, s.Created, s.Size, s.Containers, s.SharedSize], [img.id, ['busybox:latest'], 1704067200, 2_000_000, 2, -1]);
  const i = imageInspectJson(img) as Record<string, any>;
  assert.deepEqual(i.Config.Cmd, ['sh']);
  assert.deepEqual(i.RootFS, { Type: 'layers', Layers: ['sha256:d'] });
  assert.equal(i.Os, 'linux');
});

const sample = (total: number, system: number): ContainerStatsView => ({
  read: '2024-01-01T00:00:00Z',
  cpu: { totalUsageNs: total, perCpuUsageNs: [], systemUsageNs: system, onlineCpus: 2, throttledPeriods: 0, throttledTimeNs: 0 },
  memory: { usage: 100, limit: 1000, maxUsage: 200, cache: 10, inactiveFile: 5, failcnt: 0 },
  pids: { current: 3, limit: 10 },
});

test('stats JSON uses docker\'s field names; CPU percent as the CLI computes it', () => {
  const j = statsJson('id1', 'web', sample(200, 2000), sample(100, 1000)) as Record<string, any>;
  assert.equal(j.name, '/web');
  assert.equal(j.cpu_stats.cpu_usage.total_usage, 200);
  assert.equal(j.precpu_stats.system_cpu_usage, 1000);
  assert.deepEqual(j.memory_stats.stats, { cache: 10, inactive_file: 5, total_inactive_file: 5 });
  assert.deepEqual(j.pids_stats, { current: 3, limit: 10 });
  assert.equal(cpuPercent(sample(200, 2000), sample(100, 1000)), 20);
  assert.equal(cpuPercent(sample(200, 2000), null), 0);
  const zero = statsJson('id1', 'web', null, null) as Record<string, any>;
  assert.equal(zero.read, '0001-01-01T00:00:00Z');
});

test('exec create body and inspect', () => {
  assert.deepEqual(parseExecRequest({ Cmd: ['sh'], Tty: true, AttachStdin: true, AttachStdout: true, Env: null, WorkingDir: '', User: '' }), {
    cmd: ['sh'], tty: true, attachStdin: true, attachStdout: true, attachStderr: false, privileged: false,
  });
  assert.throws(() => parseExecRequest({ Cmd: [] }), /no exec command/);
  const j = execInspectJson({ id: 'e', containerId: 'c', running: false, exitCode: 4, pid: 0, options: { cmd: ['sh', '-c', 'x'] } }) as Record<string, any>;
  assert.deepEqual([j.ExitCode, j.ProcessConfig.entrypoint, j.ProcessConfig.arguments], [4, 'sh', ['-c', 'x']]);
});
