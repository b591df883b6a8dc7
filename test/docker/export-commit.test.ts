/** `docker export` and `docker commit` against berth. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { busyboxImage } from '../helpers/test-image.js';
import { startDaemon, teardown, type Daemon } from '../cli/harness.js';
import { dockerFor } from './docker.js';

let d: Daemon;
let docker: ReturnType<typeof dockerFor>;
before(async () => {
  d = await startDaemon('docker-export');
  docker = dockerFor(d);
  const load = await d.berth(['load', '-i', busyboxImage().dockerArchive]);
  assert.equal(load.code, 0, load.stderr);
});
after(() => teardown(d));

test('docker export writes the merged rootfs as a tar, without volume contents', async () => {
  assert.equal((await docker(['run', '--name', 'ex1', '-v', 'exvol:/vol', 'busybox', 'sh', '-c', 'echo made > /made.txt; rm /var/www/index.html; echo v > /vol/in-volume'])).code, 0);
  const out = path.join(d.dir, 'ex1.tar');
  const r = await docker(['export', '-o', out, 'ex1']);
  assert.equal(r.code, 0, r.stderr);
  const names = execFileSync('tar', ['tf', out], { encoding: 'utf8' }).split('\n');
  for (const want of ['bin/', 'bin/busybox', 'etc/passwd', 'made.txt', 'var/www/']) assert.ok(names.includes(want), `missing ${want}`);
  assert.ok(!names.includes('var/www/index.html'), 'deleted files are gone');
  assert.ok(!names.includes('vol/in-volume'), 'volume contents are not part of the export');
  assert.equal(execFileSync('tar', ['xOf', out, 'made.txt'], { encoding: 'utf8' }), 'made\n');
  const missing = await docker(['export', '-o', path.join(d.dir, 'x.tar'), 'nope']);
  assert.equal(missing.code, 1);
  assert.ok(!fs.existsSync(path.join(d.dir, 'x.tar')) || fs.statSync(path.join(d.dir, 'x.tar')).size === 0);
});
