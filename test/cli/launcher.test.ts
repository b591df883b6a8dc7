/**
 * The built CLI as users run it: the `./berth` launcher (dist/, with its esbuild client bundle),
 * not the sources under tsx that the other CLI tests use.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { busyboxImage, repoRoot } from '../helpers/test-image.js';
import { startDaemon, teardown, type Daemon } from './harness.js';

const run = promisify(execFile);
let d: Daemon;

async function berth(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(path.join(repoRoot, 'berth'), args, { env: { ...process.env, BERTH_HOST: d.host }, timeout: 60_000 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

before(async () => {
  d = await startDaemon('launcher');
});
after(() => teardown(d));

test('./berth (built) loads, runs with exit codes, lists and inspects', async () => {
  const v = await berth(['--version']);
  assert.equal(v.code, 0, v.stderr);
  assert.match(v.stdout, /\d+\.\d+\.\d+/);
  const load = await berth(['load', '-i', busyboxImage().dockerArchive]);
  assert.equal(load.code, 0, load.stderr);
  const hi = await berth(['run', '--rm', 'busybox', 'echo', 'hi']);
  assert.deepEqual([hi.code, hi.stdout], [0, 'hi\n']);
  const three = await berth(['run', '--rm', 'busybox', 'sh', '-c', 'exit 3']);
  assert.equal(three.code, 3);
  const missing = await berth(['run', '--rm', 'busybox', 'no-such-command']);
  assert.equal(missing.code, 127);
  const images = await berth(['images', '--format', 'json']);
  assert.equal(images.code, 0, images.stderr);
  assert.match(images.stdout, /busybox/);
  const unknown = await berth(['inspect', 'no-such-thing']);
  assert.notEqual(unknown.code, 0);
  assert.match(unknown.stderr, /no-such-thing/);
  const help = await berth(['run', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /Usage:.*run/);
  const badFlag = await berth(['ps', '--bogus']);
  assert.equal(badFlag.code, 125);
});

test('./berth: the commands the CLI bundle loads from the ES-module build (kubeconfig) and its version', async () => {
  const kc = await berth(['kubeconfig', '--data-dir', d.dataDir]);
  assert.equal(kc.code, 0, kc.stderr);
  assert.match(kc.stdout, /^apiVersion: v1$/m);
  assert.match(kc.stdout, /^kind: Config$/m);
  assert.match(kc.stdout, /client-certificate-data: /);
  const badKc = await berth(['kubeconfig', '--bogus']);
  assert.equal(badKc.code, 125);
  assert.match(badKc.stderr, /unknown flag: --bogus/);
  const version = await berth(['version']);
  assert.equal(version.code, 0, version.stderr);
  const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string };
  assert.match(version.stdout, new RegExp(`Version:\\s+${pkg.version.replace(/\./g, '\\.')}`));
  assert.match(version.stdout, /Server: berth/);
});
