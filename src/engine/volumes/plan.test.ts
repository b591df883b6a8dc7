import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseBind } from '../../api/docker/volume-spec.js';
import { planMounts } from './plan.js';
import type { MountPoint } from './types.js';

const vol = (name: string, destination: string, rw = true): MountPoint => ({ type: 'volume', name, source: `/v/${name}/_data`, destination, driver: 'local', mode: '', rw, propagation: '' });

test("Docker's precedence: own mounts, then --volumes-from, then image volumes; later sources skip taken destinations", () => {
  const plan = planMounts({
    mounts: [parseBind('mine:/data')],
    volumesFrom: [{ mode: 'ro', mountPoints: [vol('theirs', '/data'), vol('logs', '/logs'), { type: 'tmpfs', source: '', destination: '/t', mode: '', rw: true, propagation: '' }] }],
    imageVolumes: ['/logs', '/cache/'],
  });
  assert.deepEqual(plan.map((p) => (p.kind === 'spec' ? `spec ${p.spec.target}` : p.kind === 'inherited' ? `from ${p.mountPoint.name} ${p.mountPoint.rw ? 'rw' : 'ro'}` : `image ${p.destination}`)), [
    'spec /data', 'from logs ro', 'image /cache',
  ]);
});

test('volumes-from keeps the source mode unless told; duplicates among own mounts and hostile image volumes are refused', () => {
  const [p] = planMounts({ mounts: [], volumesFrom: [{ mode: '', mountPoints: [vol('x', '/x', false)] }], imageVolumes: [] });
  assert.equal(p!.kind === 'inherited' && p!.mountPoint.rw, false);
  const [q] = planMounts({ mounts: [], volumesFrom: [{ mode: 'rw', mountPoints: [vol('x', '/x', false)] }], imageVolumes: [] });
  assert.equal(q!.kind === 'inherited' && q!.mountPoint.rw, true);
  assert.throws(() => planMounts({ mounts: [parseBind('aa:/x'), parseBind('/h:/x/')], volumesFrom: [], imageVolumes: [] }), /Duplicate mount point: \/x/);
  assert.throws(() => planMounts({ mounts: [], volumesFrom: [], imageVolumes: ['/../../etc'] }), /must not contain "\.\."/);
  assert.throws(() => planMounts({ mounts: [], volumesFrom: [], imageVolumes: ['/proc'] }), /procfs/);
});
