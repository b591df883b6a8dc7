import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { formatTokenLine, parseTokenFile, TokenFile } from './tokens.js';

const scratchDir = (label: string): string => fs.mkdtempSync(path.join(process.env.BERTH_TEST_ROOT ?? os.tmpdir(), `${label}-`));

test('token file: kube-apiserver format with quoted group lists, comments and blank lines', () => {
  const entries = parseTokenFile('# comment\n\nt1,alice,u1,"dev,ops"\nt2,bob,u2\n ,nobody,u3\nt4,,u4\nt5,"carol ""c""",u5,single\n');
  assert.deepEqual(entries, [
    { token: 't1', name: 'alice', uid: 'u1', groups: ['dev', 'ops'] },
    { token: 't2', name: 'bob', uid: 'u2', groups: [] },
    { token: 't5', name: 'carol "c"', uid: 'u5', groups: ['single'] },
  ]);
  assert.deepEqual(parseTokenFile(formatTokenLine({ token: 'x', name: 'y', uid: 'z', groups: ['a', 'b'] })), [{ token: 'x', name: 'y', uid: 'z', groups: ['a', 'b'] }]);
});

test('TokenFile looks tokens up, sees edits, and fails closed when the file goes away', async () => {
  const file = path.join(scratchDir('tokens'), 'tokens.csv');
  fs.writeFileSync(file, 'secret1,alice,u1,"dev"\n');
  const tf = new TokenFile(file);
  assert.deepEqual(tf.lookup('secret1'), { name: 'alice', groups: ['dev'], uid: 'u1' });
  assert.equal(tf.lookup('secret2'), null);
  assert.equal(tf.lookup(''), null);
  await new Promise((r) => setTimeout(r, 1100));
  fs.writeFileSync(file, 'secret2,bob,,\n');
  fs.utimesSync(file, new Date(), new Date(Date.now() + 5000));
  assert.deepEqual(tf.lookup('secret2'), { name: 'bob', groups: [] });
  assert.equal(tf.lookup('secret1'), null);
  await new Promise((r) => setTimeout(r, 1100));
  fs.rmSync(file);
  assert.equal(tf.lookup('secret2'), null);
});
