/** `docker system df` and `docker system prune` against berth. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { busyboxImage } from '../helpers/test-image.js';
import { teardown, type Daemon } from '../cli/harness.js';
import { dockerFor } from './docker-cli.js';
import { startWithBusybox } from '../helpers/busybox-daemon.js';

let d: Daemon;
let docker: ReturnType<typeof dockerFor>;
before(async () => {
  d = await startWithBusybox('docker-system');
  docker = dockerFor(d);
});
after(() => teardown(d));

test('system df reports images, container writable layers and volume usage', async () => {
  assert.equal((await docker(['run', '--name', 'big', '-v', 'dfvol:/data', '-v', '/anon', 'busybox', 'sh', '-c', 'head -c 300000 /dev/zero > /junk; head -c 200000 /dev/zero > /data/v; touch /anon/x'])).code, 0);
  const table = await docker(['system', 'df']);
  assert.equal(table.code, 0, table.stderr);
  assert.match(table.stdout, /^TYPE\s+TOTAL\s+ACTIVE\s+SIZE\s+RECLAIMABLE\n/);
  assert.match(table.stdout, /\nImages\s+1\s+1\s+/);
  assert.match(table.stdout, /\nContainers\s+1\s+0\s+30\d(\.\d+)?kB\s+30\d(\.\d+)?kB \(100%\)\n/);
  assert.match(table.stdout, /\nLocal Volumes\s+2\s+2\s+20\d(\.\d+)?kB\s+0B \(0%\)\n/);
  assert.match(table.stdout, /\nBuild Cache\s+0\s+0\s+0B\s+0B\n/);
  const verbose = await docker(['system', 'df', '-v', '--format', '{{json .}}']);
  assert.equal(verbose.code, 0, verbose.stderr);
  const v = JSON.parse(verbose.stdout);
  assert.equal(v.Containers[0].Names, 'big');
  const named = v.Volumes.find((x: { Name: string }) => x.Name === 'dfvol');
  assert.equal(named.Links, '1');
  assert.match(named.Size, /^20\d(\.\d+)?kB$/);
});

test('system prune -a --volumes -f removes stopped containers, unused networks, images and anonymous volumes', async () => {
  assert.equal((await docker(['network', 'create', 'unused-net'])).code, 0);
  const r = await docker(['system', 'prune', '-a', '--volumes', '-f']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Deleted Containers:\n[0-9a-f]{64}\n/);
  assert.match(r.stdout, /Deleted Networks:\nunused-net\n/);
  // Docker ≥ 23 prunes anonymous volumes only; the named one stays.
  assert.match(r.stdout, /Deleted Volumes:\n[0-9a-f]{64}\n\n/);
  // The stopped container's 300 kB writable layer and the anonymous volume count.
  assert.match(r.stdout, /Total reclaimed space: [3-9]\d\d(\.\d+)?kB\n$|Total reclaimed space: \d+(\.\d+)?MB\n$/);
  const ev = await docker(['events', '--since', String(Math.floor(Date.now() / 1000) - 60), '--until', (Date.now() / 1000 + 0.01).toFixed(3), '--filter', 'event=prune', '--format', '{{.Type}}']);
  assert.deepEqual(ev.stdout.split('\n').filter(Boolean).sort(), ['image', 'network', 'volume']);
  assert.equal((await docker(['ps', '-aq'])).stdout, '');
  assert.equal((await docker(['images', '-q'])).stdout, '');
  assert.equal((await docker(['volume', 'ls', '-q'])).stdout, 'dfvol\n');
});

test('berth system df and system prune', async () => {
  // The test before pruned every image.
  assert.equal((await d.berth(['load', '-i', busyboxImage().dockerArchive])).code, 0);
  assert.equal((await docker(['run', '--name', 'bdf', 'busybox', 'true'])).code, 0);
  const table = await d.berth(['system', 'df']);
  assert.equal(table.code, 0, table.stderr);
  assert.match(table.stdout, /^TYPE\s+TOTAL\s+ACTIVE\s+SIZE\s+RECLAIMABLE\nImages\s+\d+\s+\d+\s+/);
  assert.match(table.stdout, /\nContainers\s+1\s+0\s+/);
  const verbose = await d.berth(['system', 'df', '-v']);
  assert.match(verbose.stdout, /Containers space usage:\n\nCONTAINER ID\s+IMAGE\s+SIZE\s+STATUS\s+NAMES\n[0-9a-f]{12}\s+busybox\s+\S+\s+exited\s+bdf\n/);
  const prune = await d.berth(['system', 'prune', '-f']);
  assert.equal(prune.code, 0, prune.stderr);
  assert.match(prune.stdout, /Deleted Containers:\n[0-9a-f]{64}\n/);
  assert.match(prune.stdout, /Total reclaimed space: /);
  assert.equal((await docker(['ps', '-aq'])).stdout, '');
});
