import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { it } from 'node:test';
import { chainIds } from './chain-id.js';

it('computes chainIDs as the image spec defines them', () => {
  const d = (c: string) => 'sha256:' + c.repeat(64);
  const [a, b, c] = [d('a'), d('b'), d('c')];
  const ab = 'sha256:' + createHash('sha256').update(`${a} ${b}`).digest('hex');
  const abc = 'sha256:' + createHash('sha256').update(`${ab} ${c}`).digest('hex');
  assert.deepEqual(chainIds([a, b, c]), [a, ab, abc]);
  assert.deepEqual(chainIds([]), []);
  // Same diff on a different base gives a different chain.
  assert.notEqual(chainIds([b, c])[1], abc);
});
