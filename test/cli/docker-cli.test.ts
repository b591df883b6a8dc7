/**
 * The real docker CLI (28.x, /usr/local/bin/docker, see host-facts) pointed at berth's socket:
 * version negotiation, run exit codes, attach/wait/start ordering, --rm, exec, logs, inspect.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, test } from 'node:test';
import { busyboxImage } from '../helpers/test-image.js';
import { startDaemon, teardown, type Daemon } from './harness.js';

let d: Daemon;
before(async () => {
  d = await startDaemon('cli-docker');
  assert.equal((await d.berth(['load', '-i', busyboxImage().dockerArchive])).code, 0);
});
after(() => teardown(d));

function docker(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('docker', args, { env: { ...process.env, DOCKER_HOST: d.host, DOCKER_CONFIG: `${d.dir}/docker-config` }, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

test('docker version negotiates with berth', async () => {
  const v = await docker(['version', '--format', '{{.Server.Version}} {{.Server.APIVersion}}']);
  assert.equal(v.code, 0, v.stderr);
  assert.match(v.stdout, /^\d+\.\d+\.\d+ 1\.51\n$/);
});

test('docker run: output, exit codes 3/127/126, --rm leaves nothing', async () => {
  const r = await docker(['run', '--rm', 'busybox', 'sh', '-c', 'echo out; echo err >&2; exit 3']);
  assert.deepEqual([r.code, r.stdout, r.stderr], [3, 'out\n', 'err\n']);
  assert.equal((await docker(['run', '--rm', 'busybox', 'no-such-command'])).code, 127);
  assert.equal((await docker(['run', '--rm', 'busybox', '/etc'])).code, 126);
  assert.equal((await docker(['ps', '-aq'])).stdout, '');
});

test('docker run -d, exec, logs, inspect, rm -f', async () => {
  const run = await docker(['run', '-d', '--name', 'dk', 'busybox', 'sh', '-c', 'echo hello-logs; sleep 300']);
  assert.equal(run.code, 0, run.stderr);
  const exec = await docker(['exec', 'dk', 'sh', '-c', 'echo in-exec; exit 2']);
  assert.deepEqual([exec.code, exec.stdout], [2, 'in-exec\n']);
  assert.equal((await docker(['logs', 'dk'])).stdout, 'hello-logs\n');
  assert.equal((await docker(['inspect', '-f', '{{.State.Status}} {{.Name}}', 'dk'])).stdout, 'running /dk\n');
  const missing = await docker(['inspect', 'nothing-here']);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /No such object: nothing-here/);
  assert.equal((await docker(['rm', '-f', 'dk'])).code, 0);
});
