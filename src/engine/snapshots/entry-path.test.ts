import assert from 'node:assert/strict';
import { it } from 'node:test';
import { entryComponents } from './entry-path.js';

it('splits benign entry names and refuses hostile ones', () => {
  assert.deepEqual(entryComponents('./a/b/', 4096), ['a', 'b']);
  assert.deepEqual(entryComponents('a//./b', 4096), ['a', 'b']);
  assert.deepEqual(entryComponents('./', 4096), []);
  assert.throws(() => entryComponents('../x', 4096), /"\.\.\/x" contains a "\.\." component/);
  assert.throws(() => entryComponents('/etc/passwd', 4096), /absolute path/);
  assert.throws(() => entryComponents('a\0b', 4096), /NUL byte/);
  assert.throws(() => entryComponents('a/'.repeat(10), 8), /longer than 8 bytes/);
  assert.throws(() => entryComponents('x'.repeat(256), 4096), /longer than 255 bytes/);
});
