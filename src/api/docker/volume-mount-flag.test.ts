import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseMountFlag } from './volume-mount-flag.js';
import { parseMountJson } from './volume-spec.js';

test('--mount CSV → Docker API Mount objects, as the docker CLI builds them', () => {
  assert.deepEqual(parseMountFlag('type=bind,source=/h,target=/x,readonly,bind-propagation=rslave'), {
    Type: 'bind', Source: '/h', Target: '/x', ReadOnly: true, BindOptions: { Propagation: 'rslave' },
  });
  assert.deepEqual(parseMountFlag('src=v,dst=/data,volume-nocopy,volume-label=a=b,volume-label=c'), {
    Type: 'volume', Source: 'v', Target: '/data', VolumeOptions: { NoCopy: true, Labels: { a: 'b', c: '' } },
  });
  assert.deepEqual(parseMountFlag('type=tmpfs,destination=/t,tmpfs-size=64m,tmpfs-mode=1770,ro=false'), {
    Type: 'tmpfs', Source: '', Target: '/t', TmpfsOptions: { SizeBytes: 64 * 1024 * 1024, Mode: 0o1770 },
  });
  assert.deepEqual(parseMountFlag('"target=/a,b",type=volume'), { Type: 'volume', Source: '', Target: '/a,b' });
  // What the CLI builds, the daemon accepts.
  assert.deepEqual(parseMountJson(parseMountFlag('type=bind,src=/h,dst=/x,readonly=1'), 'm'), { type: 'bind', source: '/h', target: '/x', readOnly: true });
});

test('--mount refusals', () => {
  const bad: Array<[string, RegExp]> = [
    ['type=volume', /target is required/],
    ['target', /invalid field 'target' must be a key=value pair/],
    ['target=/x,colour=blue', /unexpected key 'colour'/],
    ['target=/x,readonly=maybe', /invalid value for readonly: maybe/],
    ['type=volume,target=/x,tmpfs-size=1m', /cannot mix 'tmpfs-\*' options with mount type 'volume'/],
    ['type=tmpfs,target=/x,volume-nocopy', /cannot mix 'volume-\*' options/],
    ['type=tmpfs,target=/x,tmpfs-mode=abc', /invalid value for tmpfs-mode/],
    ['type=tmpfs,target=/x,tmpfs-size=lots', /tmpfs-size/],
    ['"target=/x', /unterminated quote/],
    ['target=/x,volume-opt=novalue', /must be a key=value pair/],
  ];
  for (const [raw, want] of bad) assert.throws(() => parseMountFlag(raw), want, raw);
});
