/**
 * Every write the SQLite store acknowledged survives kill -9: a child process writes and prints
 * each acknowledged key; we SIGKILL it part-way, reopen the store and find every printed key.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { openStorage } from '../../src/storage/index.js';
import { repoRoot, scratchDir } from '../helpers/test-image.js';

test('acknowledged writes survive SIGKILL of the writer', async () => {
  const dataDir = path.join(scratchDir('kv-durable'), 'data');
  const total = 1000;
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'test/storage/helpers/durability-child.ts'), dataDir, String(total), '20'], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const acked: string[] = [];
  let partial = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })));
  child.stdout.on('data', (d: Buffer) => {
    partial += d.toString();
    const lines = partial.split('\n');
    partial = lines.pop()!;
    acked.push(...lines.filter(Boolean));
    // Kill it mid-way, while writes are in flight.
    if (acked.length >= 300 && !child.killed) child.kill('SIGKILL');
  });
  const { signal } = await exited;
  assert.equal(signal, 'SIGKILL', `the child should have been killed mid-way (stderr: ${stderr})`);
  assert.ok(acked.length >= 300 && acked.length < total, `acknowledged ${acked.length} of ${total}`);

  const kv = await openStorage({ dataDir }); // takes over the dead process's store
  try {
    const stored = new Set((await kv.list('/durable/')).items.map((i) => i.key));
    const lost = acked.filter((k) => !stored.has(k));
    assert.deepEqual(lost, [], `${lost.length} acknowledged writes were lost`);
    for (const k of acked.slice(0, 20)) assert.equal((await kv.get(k))?.value.toString(), `value of ${k}`);
    // The store keeps working after the crash: revisions continue above everything stored.
    const rev = await kv.currentRevision();
    assert.ok((await kv.create('/durable/after', 'x')).modRevision > rev);
  } finally {
    await kv.close();
  }
});
