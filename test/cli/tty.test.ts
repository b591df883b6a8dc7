/** CLI end to end through a real pseudo-terminal: `run -it` and `exec -it`, exit codes, resize, terminal restored. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { busyboxImage } from '../helpers/test-image.js';
import { NODE_ARGS, startDaemon, teardown, type Daemon } from './harness.js';

const DRIVER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'pty-drive.py');

let d: Daemon;
before(async () => {
  d = await startDaemon('cli-tty');
  assert.equal((await d.berth(['load', '-i', busyboxImage().dockerArchive])).code, 0);
});
after(() => teardown(d));

/** Runs `berth <args>` on a pty of the given size; types `input` once `waitFor` shows up. */
function throughPty(args: string[], input: string, size = [33, 99], waitFor = '# '): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    // `stty -g` before and after shows the local terminal was put back as it was.
    const script = `stty -g; ${[process.execPath, ...NODE_ARGS, ...args].map((a) => `'${a}'`).join(' ')}; rc=$?; stty -g; exit $rc`;
    const child = spawn('python3', [DRIVER, String(size[0]), String(size[1]), waitFor, input, '--', 'sh', '-c', script], {
      env: { ...process.env, BERTH_HOST: d.host },
    });
    let output = '';
    child.stdout.on('data', (c) => (output += c));
    child.stderr.on('data', (c) => (output += c));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, output }));
  });
}

function sttyStates(output: string): string[] {
  return output.split(/\r?\n/).filter((l) => /^[0-9a-f]+(:[0-9a-f]+){10,}$/.test(l.trim())).map((l) => l.trim());
}

test('run -it: typed commands run in the container, resize shows in stty size, exit code comes back', async () => {
  const r = await throughPty(['run', '-it', '--rm', 'busybox', 'sh'], 'stty size; echo h""i; exit 5\r');
  assert.equal(r.code, 5, r.output);
  assert.match(r.output, /\n33 99\r*\n/);
  assert.match(r.output, /\nhi\r*\n/);
  const states = sttyStates(r.output);
  assert.equal(states.length, 2, r.output);
  assert.equal(states[0], states[1], 'the local terminal is restored after raw mode');
  assert.equal((await d.berth(['ps', '-aq'])).stdout, '', '--rm removed the container');
});

test('exec -it into a running container', async () => {
  assert.equal((await d.berth(['run', '-d', '--name', 'box', 'busybox', 'sleep', '300'])).code, 0);
  const r = await throughPty(['exec', '-it', 'box', 'sh'], 'stty size; echo e""x; exit 6\r', [21, 77]);
  assert.equal(r.code, 6, r.output);
  assert.match(r.output, /\n21 77\r*\n/);
  assert.match(r.output, /\nex\r*\n/);
  const states = sttyStates(r.output);
  assert.equal(states[0], states[1]);
});

test('run -t without -i gives a tty to the process (output raw, no stdcopy frames)', async () => {
  const r = await throughPty(['run', '--rm', '-t', 'busybox', 'sh', '-c', 'tty; echo done'], '', [24, 80], '');
  assert.equal(r.code, 0, r.output);
  assert.match(r.output, /\/dev\/pts\/\d+\r*\ndone\r*\n/);
});
