/** `docker diff` against berth: added, changed and deleted paths with Docker's A/C/D marks. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { busyboxImage } from '../helpers/test-image.js';
import { startDaemon, teardown, type Daemon } from '../cli/harness.js';
import { dockerFor } from './docker-cli.js';
import { startWithBusybox } from '../helpers/busybox-daemon.js';

let d: Daemon;
let docker: ReturnType<typeof dockerFor>;
before(async () => {
  d = await startWithBusybox('docker-diff');
  docker = dockerFor(d);
});
after(() => teardown(d));

test('diff lists what a stopped container added, changed and removed', async () => {
  const run = await docker(['run', '--name', 'df1', 'busybox', 'sh', '-c', 'mkdir -p /newdir/sub && echo x > /newdir/sub/f && echo y >> /etc/passwd && rm /bin/ls && rm -rf /var/www']);
  assert.equal(run.code, 0, run.stderr);
  const r = await docker(['diff', 'df1']);
  assert.equal(r.code, 0, r.stderr);
  const got = r.stdout.split('\n').filter(Boolean);
  for (const want of ['A /newdir', 'A /newdir/sub', 'A /newdir/sub/f', 'C /etc', 'C /etc/passwd', 'C /bin', 'D /bin/ls', 'D /var/www', 'C /var']) assert.ok(got.includes(want), `missing "${want}" in:\n${r.stdout}`);
  assert.ok(!got.some((l) => l.startsWith('D /var/www/')), 'a deleted directory is reported once');
  assert.ok(!got.some((l) => l.includes('.wh.')), 'whiteouts never show');
  assert.ok(!got.some((l) => /\/etc\/(hosts|hostname|resolv\.conf)$/.test(l)), 'the files berth mounts in are not changes of the container');
});

test('diff of a running container sees changes at once; an unknown container is a 404', async () => {
  assert.equal((await docker(['run', '-d', '--name', 'df2', 'busybox', 'sleep', '300'])).code, 0);
  assert.equal((await docker(['exec', 'df2', 'touch', '/tmp/live-file'])).code, 0);
  const r = await docker(['diff', 'df2']);
  assert.deepEqual(r.stdout, 'C /tmp\nA /tmp/live-file\n');
  const missing = await docker(['diff', 'nope']);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /Error response from daemon: .*nope.*not found|No such container: nope/);
  assert.equal((await docker(['rm', '-f', 'df2'])).code, 0);
});

test('berth diff prints the same as docker diff; --help works', async () => {
  assert.equal((await docker(['run', '--name', 'df3', 'busybox', 'sh', '-c', 'touch /new; rm /etc/group'])).code, 0);
  const ours = await d.berth(['diff', 'df3']);
  assert.equal(ours.code, 0, ours.stderr);
  assert.equal(ours.stdout, (await docker(['diff', 'df3'])).stdout);
  assert.match(ours.stdout, /^C \/etc\nD \/etc\/group\nA \/new\n$/);
  assert.match((await d.berth(['diff', '--help'])).stdout, /Usage:\s+berth diff CONTAINER/);
  const missing = await d.berth(['container', 'diff', 'nope']);
  assert.equal(missing.code, 1);
});

test('with the copy snapshotter: diff, and a commit whose image runs', async () => {
  const c = await startDaemon('docker-diffcp', undefined, ['--snapshotter', 'copy']);
  try {
    const dk = dockerFor(c);
    assert.equal((await c.berth(['load', '-i', busyboxImage().dockerArchive])).code, 0);
    assert.equal((await dk(['run', '--name', 'cp1', 'busybox', 'sh', '-c', 'echo changed >> /etc/passwd; rm -rf /var/www; mkdir /made; echo m > /made/f'])).code, 0);
    const r = await dk(['diff', 'cp1']);
    assert.equal(r.code, 0, r.stderr);
    const got = r.stdout.split('\n').filter(Boolean);
    for (const want of ['C /etc/passwd', 'D /var/www', 'A /made', 'A /made/f']) assert.ok(got.includes(want), `missing "${want}" in:\n${r.stdout}`);
    assert.ok(!got.some((l) => l.startsWith('C /bin/')), r.stdout);
    const commit = await dk(['commit', 'cp1', 'copied:1']);
    assert.equal(commit.code, 0, commit.stderr);
    const run = await dk(['run', '--rm', 'copied:1', 'sh', '-c', 'cat /made/f; tail -1 /etc/passwd; ls /var | grep -c www']);
    assert.equal(run.stdout, 'm\nchanged\n0\n');
  } finally {
    await teardown(c);
  }
});
