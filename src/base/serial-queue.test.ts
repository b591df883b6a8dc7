import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KeyedSerialQueue, SerialQueue } from './serial-queue.js';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('SerialQueue runs one at a time in order; a failure does not stop the next', async () => {
  const q = new SerialQueue();
  const log: string[] = [];
  const a = q.run(async () => {
    log.push('a+');
    await tick(20);
    log.push('a-');
    throw new Error('a failed');
  });
  const b = q.run(() => {
    log.push('b');
    return 2;
  });
  await assert.rejects(a, /a failed/);
  assert.equal(await b, 2);
  assert.deepEqual(log, ['a+', 'a-', 'b']);
});

test('KeyedSerialQueue serialises per key, runs keys side by side, and forgets idle keys', async () => {
  const q = new KeyedSerialQueue();
  const log: string[] = [];
  const slow = q.run('x', async () => {
    await tick(30);
    log.push('x1');
  });
  const other = q.run('y', async () => {
    log.push('y1');
  });
  const next = q.run('x', async () => {
    log.push('x2');
  });
  await Promise.all([slow, other, next]);
  assert.deepEqual(log, ['y1', 'x1', 'x2']);
  await tick(0);
  assert.equal(q.size, 0);
});
