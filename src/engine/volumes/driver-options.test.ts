import { test } from 'node:test';
import assert from 'node:assert/strict';
import { needsMount, parseMountOptions, validateDriverOptions } from './driver-options.js';

test("Docker's option rules: known keys, their companions, no quota", () => {
  validateDriverOptions({}, 'v');
  validateDriverOptions({ type: 'tmpfs', device: 'tmpfs', o: 'size=1m' }, 'v');
  assert.throws(() => validateDriverOptions({ colour: 'blue' }, 'v'), /create v: invalid option: "colour"/);
  assert.throws(() => validateDriverOptions({ type: 'tmpfs' }, 'v'), /missing required option: "device"/);
  assert.throws(() => validateDriverOptions({ device: '/x' }, 'v'), /missing required option: "type"/);
  assert.throws(() => validateDriverOptions({ o: 'bind', device: '/x' }, 'v'), /missing required option: "type"/);
  assert.throws(() => validateDriverOptions({ size: '1g' }, 'v'), /quota size requested but no quota support/);
  assert.equal(needsMount({ type: 'none', device: '/x' }), true);
  assert.equal(needsMount({}), false);
});

test('the o string splits into mount flags and filesystem data, later words winning', () => {
  assert.deepEqual(parseMountOptions('size=64m,uid=1000,ro,nosuid', 'v'), { flags: 1 | 2, data: 'size=64m,uid=1000' });
  assert.deepEqual(parseMountOptions('bind', 'v'), { flags: 4096, data: '' });
  assert.deepEqual(parseMountOptions('ro,rw,noexec', 'v'), { flags: 8, data: '' });
  assert.deepEqual(parseMountOptions(undefined, 'v'), { flags: 0, data: '' });
  assert.deepEqual(parseMountOptions('addr=10.0.0.1,nfsvers=4,rbind', 'v'), { flags: 4096 | 16384, data: 'addr=10.0.0.1,nfsvers=4' });
  assert.throws(() => parseMountOptions('bind,shared', 'v'), /propagation option "shared" is not supported/);
});
