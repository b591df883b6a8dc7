import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parsePsOutput, psWithArgs } from './index.js';

test('parsePsOutput keeps the given pids and the spaces of the last column', () => {
  const out = '    PID COMMAND         ARGS\n      1 sh              sh -c sleep 300\n     42 sleep           sleep 300\n      7 other           x\n';
  assert.deepEqual(parsePsOutput(out, [1, 42]), { titles: ['PID', 'COMMAND', 'ARGS'], processes: [['1', 'sh', 'sh -c sleep 300'], ['42', 'sleep', 'sleep 300']] });
  assert.throws(() => parsePsOutput('USER COMMAND\nroot x\n', [1]), /couldn't find PID field/);
});

test('psWithArgs runs the host ps with the options and refuses renaming the PID column', async () => {
  const t = await psWithArgs('-o pid,comm', [process.pid]);
  assert.deepEqual(t.titles, ['PID', 'COMMAND']);
  assert.deepEqual(t.processes, [[String(process.pid), 'node']]);
  await assert.rejects(psWithArgs('-o user=PID', [process.pid]), /specifying "user=PID" is not allowed/);
});
