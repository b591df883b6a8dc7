/** `docker update` against berth: limits reach the live cgroup, survive a restart, and bad values are refused. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, test } from 'node:test';
import { teardown, type Daemon } from '../cli/harness.js';
import { dockerFor } from './docker-cli.js';
import { startWithBusybox } from '../helpers/busybox-daemon.js';

let d: Daemon;
let docker: ReturnType<typeof dockerFor>;
before(async () => {
  d = await startWithBusybox('docker-update');
  docker = dockerFor(d);
});
after(() => teardown(d));

/** The container's own view of a cgroup file (v1 controller dir or v2 unified). */
async function cgroupValue(name: string, v1: string, v2: string): Promise<string> {
  const v2mode = fs.existsSync('/sys/fs/cgroup/cgroup.controllers');
  const r = await docker(['exec', name, 'sh', '-c', v2mode ? `cat /sys/fs/cgroup/${v2}` : `cat /sys/fs/cgroup/${v1}`]);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout.trim();
}

test('update --memory/--cpus/--pids-limit/--restart changes the running container and persists', async () => {
  assert.equal((await docker(['run', '-d', '--name', 'up1', '--memory', '64m', 'busybox', 'sleep', '300'])).code, 0);
  const r = await docker(['update', '--memory', '96m', '--memory-swap', '192m', '--cpus', '0.5', '--pids-limit', '50', '--restart', 'on-failure:3', 'up1']);
  assert.deepEqual([r.code, r.stdout, r.stderr], [0, 'up1\n', '']);
  assert.equal(await cgroupValue('up1', 'memory/memory.limit_in_bytes', 'memory.max'), String(96 * 1024 * 1024));
  assert.equal(await cgroupValue('up1', 'pids/pids.max', 'pids.max'), '50');
  if (fs.existsSync('/sys/fs/cgroup/cgroup.controllers')) assert.equal(await cgroupValue('up1', '', 'cpu.max'), '50000 100000');
  else assert.equal(await cgroupValue('up1', 'cpu/cpu.cfs_quota_us', ''), '50000');
  const fmt = '{{.HostConfig.Memory}} {{.HostConfig.MemorySwap}} {{.HostConfig.NanoCpus}} {{.HostConfig.PidsLimit}} {{.HostConfig.RestartPolicy.Name}}:{{.HostConfig.RestartPolicy.MaximumRetryCount}}';
  assert.equal((await docker(['inspect', '-f', fmt, 'up1'])).stdout, `${96 << 20} ${192 << 20} 500000000 50 on-failure:3\n`);
  // A restart starts from the bundle: the new limits stay.
  assert.equal((await docker(['restart', '-t', '0', 'up1'])).code, 0);
  assert.equal(await cgroupValue('up1', 'memory/memory.limit_in_bytes', 'memory.max'), String(96 * 1024 * 1024));
  assert.equal((await docker(['rm', '-f', 'up1'])).code, 0);
});

test('a stopped container takes the update for its next start; bad values are refused and change nothing', async () => {
  assert.equal((await docker(['create', '--name', 'up2', 'busybox', 'sleep', '300'])).code, 0);
  assert.equal((await docker(['update', '--memory', '32m', 'up2'])).code, 0);
  assert.equal((await docker(['start', 'up2'])).code, 0);
  assert.equal(await cgroupValue('up2', 'memory/memory.limit_in_bytes', 'memory.max'), String(32 * 1024 * 1024));
  const tiny = await docker(['update', '--memory', '1m', 'up2']);
  assert.equal(tiny.code, 1);
  assert.match(tiny.stderr, /Minimum memory limit allowed is 6MB/);
  const cpuset = await docker(['update', '--cpuset-cpus', '0', 'up2']);
  assert.equal(cpuset.code, 1);
  assert.match(cpuset.stderr, /berth cannot update CpusetCpus yet/);
  assert.equal(await cgroupValue('up2', 'memory/memory.limit_in_bytes', 'memory.max'), String(32 * 1024 * 1024));
  const missing = await docker(['update', '--memory', '32m', 'nope']);
  assert.equal(missing.code, 1);
  assert.equal((await docker(['rm', '-f', 'up2'])).code, 0);
});

test('berth update sets limits like docker update', async () => {
  assert.equal((await docker(['run', '-d', '--name', 'up3', 'busybox', 'sleep', '300'])).code, 0);
  const r = await d.berth(['update', '--memory', '48m', '--pids-limit', '20', 'up3']);
  assert.deepEqual([r.code, r.stdout], [0, 'up3\n'], r.stderr);
  assert.equal(await cgroupValue('up3', 'memory/memory.limit_in_bytes', 'memory.max'), String(48 * 1024 * 1024));
  assert.equal(await cgroupValue('up3', 'pids/pids.max', 'pids.max'), '20');
  const bad = await d.berth(['container', 'update', '--memory', '1k', 'up3']);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /Minimum memory limit allowed is 6MB/);
  assert.equal((await docker(['rm', '-f', 'up3'])).code, 0);
});
