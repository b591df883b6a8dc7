import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCreateRequest } from './create-request.js';

test('create bodies carry Binds, Mounts, Tmpfs, VolumesFrom and Config.Volumes, each validated', () => {
  const spec = parseCreateRequest({
    Image: 'x',
    Volumes: { '/anon': {} },
    HostConfig: { Binds: ['db:/db', '/h:/h:ro'], Mounts: [{ Type: 'tmpfs', Target: '/t' }], Tmpfs: { '/run': 'size=1m' }, VolumesFrom: ['other:ro'] },
  });
  assert.deepEqual(spec.binds, ['db:/db', '/h:/h:ro']);
  assert.deepEqual(spec.mounts, [{ type: 'tmpfs', target: '/t' }]);
  assert.deepEqual(spec.tmpfs, { '/run': 'size=1m' });
  assert.deepEqual(spec.volumesFrom, ['other:ro']);
  assert.deepEqual(spec.volumes, ['/anon']);
  const empty = parseCreateRequest({ Image: 'x', HostConfig: { Binds: [], Mounts: null, Tmpfs: {} } });
  assert.equal('binds' in empty || 'mounts' in empty || 'tmpfs' in empty, false);
  for (const [host, want] of [
    [{ Binds: ['db:relative'] }, /mount path must be absolute/],
    [{ Binds: 'db:/x' }, /HostConfig.Binds must be an array of strings/],
    [{ Mounts: {} }, /HostConfig.Mounts must be an array/],
    [{ Tmpfs: { '/t': 5 } }, /HostConfig.Tmpfs.\/t must be a string/],
    [{ VolumesFrom: ['a:b:c'] }, /invalid volumes-from/],
  ] as const) assert.throws(() => parseCreateRequest({ Image: 'x', HostConfig: host }), want);
  assert.throws(() => parseCreateRequest({ Image: 'x', Volumes: { relative: {} } }), /mount path must be absolute/);
});
