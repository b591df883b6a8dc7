import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkTarget, parseBind, parseMountJson, parseTmpfs, parseVolumesFrom } from './volume-spec.js';

test('-v forms: anonymous, named, bind with modes, as docker parses them', () => {
  assert.deepEqual(parseBind('/data'), { type: 'volume', target: '/data', mode: '' });
  assert.deepEqual(parseBind('db:/var/lib/db'), { type: 'volume', source: 'db', target: '/var/lib/db', mode: '' });
  assert.deepEqual(parseBind('db:/x:ro,nocopy'), { type: 'volume', source: 'db', target: '/x', mode: 'ro,nocopy', readOnly: true, noCopy: true });
  assert.deepEqual(parseBind('/srv/www/:/www:ro,rshared'), { type: 'bind', source: '/srv/www', target: '/www', mode: 'ro,rshared', readOnly: true, createSource: true, propagation: 'rshared' });
  assert.deepEqual(parseBind('/a/../b:/c:z'), { type: 'bind', source: '/b', target: '/c', mode: 'z', createSource: true });
});

test('-v refusals carry docker\'s messages', () => {
  const bad: Array<[string, RegExp]> = [
    ['', /invalid volume specification: ''/],
    ['/data:rw', /invalid volume specification: '\/data:rw'/],
    ['a:b:c:d', /invalid volume specification/],
    ['a::/x', /invalid volume specification/],
    ['db:/x:rw,ro', /invalid mode: rw,ro/],
    ['db:/x:wat', /invalid mode: wat/],
    ['db:/x:shared', /field BindOptions must not be specified/],
    ['/h:/x:nocopy', /nocopy applies to volumes only/],
    ['x:/y', /includes invalid characters for a local volume name/],
    ['.hidden:/y', /includes invalid characters/],
    ['db:rel', /mount path must be absolute/],
    ['db:/../etc', /must not contain "\.\."/],
    ['db:/proc', /procfs/],
    ['db:/proc/self/x', /procfs/],
    ['db:/', /destination can't be '\/'/],
    ['db:/.', /destination can't be '\/'/],
  ];
  for (const [raw, want] of bad) assert.throws(() => parseBind(raw), want, raw);
  assert.equal(checkTarget('volume', '/a//b/./c'), '/a/b/c');
  assert.equal(checkTarget('volume', '/procfs'), '/procfs');
});

test('HostConfig.Mounts entries: type rules and options', () => {
  assert.deepEqual(parseMountJson({ Type: 'volume', Source: 'vv', Target: '/x', ReadOnly: true, VolumeOptions: { NoCopy: true, Labels: { a: 'b' } } }, 'm'), {
    type: 'volume', source: 'vv', target: '/x', readOnly: true, noCopy: true, volumeLabels: { a: 'b' },
  });
  assert.deepEqual(parseMountJson({ Type: 'bind', Source: '/h', Target: '/x', BindOptions: { Propagation: 'slave' } }, 'm'), { type: 'bind', source: '/h', target: '/x', propagation: 'slave' });
  assert.deepEqual(parseMountJson({ Type: 'tmpfs', Target: '/t', TmpfsOptions: { SizeBytes: 1024, Mode: 0o700 } }, 'm'), { type: 'tmpfs', target: '/t', tmpfsSize: 1024, tmpfsMode: 0o700 });
  assert.deepEqual(parseMountJson({ Type: 'volume', Target: '/anon' }, 'm'), { type: 'volume', target: '/anon' });
  assert.throws(() => parseMountJson({ Type: 'bind', Target: '/x' }, 'm'), /field Source must not be empty/);
  assert.throws(() => parseMountJson({ Type: 'bind', Source: 'rel', Target: '/x' }, 'm'), /mount path must be absolute/);
  assert.throws(() => parseMountJson({ Type: 'tmpfs', Source: '/x', Target: '/x' }, 'm'), /field Source must not be specified/);
  assert.throws(() => parseMountJson({ Type: 'volume', Source: 'vv', Target: '/x', BindOptions: {} }, 'm'), /field BindOptions must not be specified/);
  assert.throws(() => parseMountJson({ Type: 'nfs', Target: '/x' }, 'm'), /mount type unknown/);
  assert.throws(() => parseMountJson({ Type: 'volume', Target: '' }, 'm'), /field Target must not be empty/);
  assert.throws(() => parseMountJson('x', 'm'), /must be a JSON object/);
});

test('--tmpfs options and --volumes-from', () => {
  assert.deepEqual(parseTmpfs('/t', 'size=64m,mode=1777,exec,uid=1000'), { type: 'tmpfs', target: '/t', tmpfsSize: 64 * 1024 * 1024, tmpfsMode: 0o1777, tmpfsOptions: ['exec', 'uid=1000'] });
  assert.deepEqual(parseTmpfs('/t', 'ro'), { type: 'tmpfs', target: '/t', readOnly: true });
  assert.throws(() => parseTmpfs('/t', 'size=1m,context=x'), /invalid tmpfs option "context=x"/);
  assert.throws(() => parseTmpfs('/t', 'mode=999'), /invalid tmpfs mode/);
  assert.throws(() => parseTmpfs('/t', 'uid=0,nosuid,o=a,b'), /invalid tmpfs option/);
  assert.deepEqual(parseVolumesFrom('web:ro'), { container: 'web', mode: 'ro' });
  assert.deepEqual(parseVolumesFrom('web'), { container: 'web', mode: '' });
  assert.throws(() => parseVolumesFrom('web:rx'), /invalid mode for volumes-from/);
  assert.throws(() => parseVolumesFrom(':ro'), /invalid volumes-from/);
});
