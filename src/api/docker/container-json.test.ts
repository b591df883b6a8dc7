import assert from 'node:assert/strict';
import { test } from 'node:test';
import { commandText, containerInspectJson, containerListJson, statusText } from './container-json.js';
import type { ContainerView } from './domain.js';
import { humanDuration } from './human-time.js';

const now = Date.parse('2024-01-01T00:10:00Z');
const base: ContainerView = {
  id: 'a'.repeat(64),
  name: 'web',
  created: '2024-01-01T00:00:00.123456789Z',
  image: 'busybox',
  imageId: `sha256:${'b'.repeat(64)}`,
  path: 'sh',
  args: ['-c', 'exit 3'],
  options: { image: 'busybox', memory: 1024 * 1024 * 64, restartPolicy: { name: 'always' }, networkMode: 'host' },
  config: { env: ['PATH=/bin'], cmd: ['sh', '-c', 'exit 3'], entrypoint: [], workingDir: '/', user: '', labels: { l: '1' }, hostname: 'aaaaaaaaaaaa', tty: false, openStdin: false, stopSignal: '', exposedPorts: {}, volumes: {} },
  state: { status: 'running', running: true, paused: false, restarting: false, oomKilled: false, dead: false, pid: 42, exitCode: 0, error: '', startedAt: '2024-01-01T00:09:58Z', finishedAt: '0001-01-01T00:00:00Z' },
  restartCount: 0,
  runtime: 'crun',
  rootfs: '/var/lib/berth/x',
  logPath: '/var/lib/berth/x.log',
  cgroupPath: '/berth/aaa',
};

test('status text as docker ps shows it', () => {
  assert.equal(statusText(base.state, now), 'Up 2 seconds');
  assert.equal(statusText({ ...base.state, paused: true, status: 'paused' }, now), 'Up 2 seconds (Paused)');
  assert.equal(statusText({ ...base.state, status: 'created', running: false, startedAt: '0001-01-01T00:00:00Z' }, now), 'Created');
  assert.equal(statusText({ ...base.state, status: 'exited', running: false, exitCode: 3, finishedAt: '2024-01-01T00:05:00Z' }, now), 'Exited (3) 5 minutes ago');
});

test('human durations follow go-units', () => {
  assert.deepEqual(
    [500, 1000, 59_000, 60_000, 30 * 60_000, 3_600_000, 5 * 3_600_000, 3 * 86_400_000, 20 * 86_400_000, 90 * 86_400_000, 800 * 86_400_000].map(humanDuration),
    ['Less than a second', '1 second', '59 seconds', 'About a minute', '30 minutes', 'About an hour', '5 hours', '3 days', '2 weeks', '3 months', '2 years'],
  );
});

test('command text quotes arguments with spaces like moby', () => {
  assert.equal(commandText('sh', ['-c', 'exit 3']), "sh -c 'exit 3'");
  assert.equal(commandText('true', []), 'true');
});

test('inspect JSON has docker\'s shape', () => {
  const j = containerInspectJson(base) as Record<string, any>;
  assert.equal(j.Id, base.id);
  assert.equal(j.Name, '/web');
  assert.equal(j.Image, base.imageId);
  assert.equal(j.Config.Image, 'busybox');
  assert.deepEqual(j.Config.Cmd, ['sh', '-c', 'exit 3']);
  assert.equal(j.Config.Entrypoint, null);
  assert.deepEqual(j.State, { Status: 'running', Running: true, Paused: false, Restarting: false, OOMKilled: false, Dead: false, Pid: 42, ExitCode: 0, Error: '', StartedAt: '2024-01-01T00:09:58Z', FinishedAt: '0001-01-01T00:00:00Z' });
  assert.deepEqual(j.HostConfig.RestartPolicy, { Name: 'always', MaximumRetryCount: 0 });
  assert.equal(j.HostConfig.Memory, 64 * 1024 * 1024);
  assert.equal(j.HostConfig.NetworkMode, 'host');
  assert.ok(j.NetworkSettings.Networks.host);
});

test('list entry', () => {
  const j = containerListJson(base, now) as Record<string, any>;
  assert.deepEqual(j.Names, ['/web']);
  assert.equal(j.Command, "sh -c 'exit 3'");
  assert.equal(j.Created, Date.parse('2024-01-01T00:00:00Z') / 1000);
  assert.equal(j.State, 'running');
  assert.equal(j.Status, 'Up 2 seconds');
  assert.deepEqual(j.HostConfig, { NetworkMode: 'host' });
});
