import assert from 'node:assert/strict';
import { test } from 'node:test';
import { frame, FrameDecoder } from './stdcopy.js';

test('frames round-trip through the decoder even when split at every byte', () => {
  const wire = Buffer.concat([frame('stdout', Buffer.from('hello')), frame('stderr', Buffer.from('oops\n')), frame('stdout', Buffer.alloc(0))]);
  assert.deepEqual([...wire.subarray(0, 8)], [1, 0, 0, 0, 0, 0, 0, 5]);
  const dec = new FrameDecoder();
  const got: Array<[number, string]> = [];
  for (const b of wire) for (const f of dec.push(Buffer.from([b]))) got.push([f.stream, f.data.toString()]);
  assert.deepEqual(got, [[1, 'hello'], [2, 'oops\n'], [1, '']]);
  assert.equal(dec.leftover, 0);
});

test('crun start errors gain the wording the docker CLI maps to 127/126', async () => {
  const { dockerStartErrorMessage } = await import('./start-errors.js');
  assert.match(dockerStartErrorMessage('create container "x": executable file `nosuch` not found in $PATH: No such file or directory'), /exec: "nosuch": executable file not found in \$PATH\)$/);
  assert.match(dockerStartErrorMessage('create container "x": open executable: Operation not permitted'), /permission denied\)$/);
  assert.equal(dockerStartErrorMessage('image "x" not found'), 'image "x" not found');
});
