import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runProcess, runProcessRaw, spawnProcess } from './process.js';

test('runProcess collects stdout and feeds stdin', async () => {
  assert.equal(await runProcess('cat', [], { input: 'hello\n' }), 'hello\n');
  assert.equal(await runProcess('/bin/echo', ['a', 'b c']), 'a b c\n');
});

test('a non-zero exit rejects with stderr and the code', async () => {
  await assert.rejects(runProcess('sh', ['-c', 'echo oops >&2; exit 3']), (err: Error & { code: number }) => err.message === 'oops' && err.code === 3);
  const r = await runProcessRaw('sh', ['-c', 'exit 7']);
  assert.equal(r.code, 7);
});

test('a signal death is reported by name, and the timeout kills', async () => {
  const r = await runProcessRaw('sh', ['-c', 'kill -TERM $$']);
  assert.deepEqual([r.code, r.signal], [null, 'SIGTERM']);
  const t = Date.now();
  const slow = await runProcessRaw('sleep', ['30'], { timeoutMs: 100 });
  assert.equal(slow.signal, 'SIGKILL');
  assert.ok(Date.now() - t < 5000);
});

test('a missing program throws ENOENT at spawn', () => {
  assert.throws(() => spawnProcess('/nonexistent/prog', []), (err: Error & { code: string }) => err.code === 'ENOENT');
  assert.throws(() => spawnProcess('no-such-program-berth', []), (err: Error & { code: string }) => err.code === 'ENOENT');
});

test('env, cwd and a new session are applied; signals start at their defaults', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-proc-'));
  try {
    const out = await runProcess('sh', ['-c', 'echo "$FOO"; pwd; grep -E "^(SigIgn|SigBlk)" /proc/self/status'], { env: { FOO: 'bar', PATH: process.env.PATH }, cwd: dir });
    const [foo, cwd, ...sig] = out.trim().split('\n');
    assert.equal(foo, 'bar');
    assert.equal(cwd, fs.realpathSync(dir));
    // Node ignores SIGPIPE; the child must not inherit that (grep reads /proc/self: its own mask).
    for (const line of sig) assert.match(line, /:\s+0+$/, line);
    const sid = spawnProcess('sh', ['-c', 'cut -d" " -f6 /proc/self/stat'], { detached: true, stdio: ['ignore', 'pipe'] });
    let text = '';
    sid.stdio[1]!.setEncoding('utf8').on('data', (d: string) => (text += d));
    const closed = new Promise((r) => sid.stdio[1]!.on('close', r));
    await sid.exited;
    await closed;
    assert.notEqual(Number(text.trim()), process.pid); // session id is the child's own
    assert.notEqual(Number(text.trim()), 0);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('extra fds reach the child in both directions, and no daemon fd leaks into it', async () => {
  const fdsOfShell = 'ls /proc/$$/fd | sort -n | tr "\\n" " "';
  const p = spawnProcess('sh', ['-c', `read line <&4; echo "got $line" >&3; ${fdsOfShell} >&3`], { stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'] });
  const [, , , out, input] = p.stdio;
  let text = '';
  out!.setEncoding('utf8').on('data', (d: string) => (text += d));
  const closed = new Promise((r) => out!.on('close', r));
  input!.end('ping\n');
  assert.deepEqual(await p.exited, { code: 0, signal: null });
  await closed;
  const [got, fds] = text.trim().split('\n');
  assert.equal(got, 'got ping');
  // Beyond 0-4, only what child_process's children get too (fds this process inherited without
  // close-on-exec, e.g. from the test runner): none of the sockets made for the child, nothing else
  // opened here.
  const viaLibuv = execFileSync('sh', ['-c', fdsOfShell], { stdio: ['ignore', 'pipe', 'ignore'] }).toString();
  const beyond = (list: string) => list.trim().split(/\s+/).map(Number).filter((fd) => fd >= 5);
  assert.deepEqual(beyond(fds!), beyond(viaLibuv));
});
