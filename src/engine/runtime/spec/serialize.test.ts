import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildSpecFor } from './build.js';
import { facts, fakeRootfs } from './fixtures.test-util.js';
import { processToJson, specToJson } from './serialize.js';

describe('specToJson', () => {
  const { spec } = buildSpecFor(
    {
      id: 'd'.repeat(64),
      options: { image: 'x', cmd: ['sh'], ulimits: [{ name: 'core', soft: -1, hard: -1 }, { name: 'nofile', soft: 10, hard: 20 }] },
      image: { architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] } },
      rootfs: fakeRootfs(),
      files: { hosts: '/h', hostname: '/n', resolvConf: '/r' },
      cgroupsPath: '/berth/d',
    },
    facts,
  );
  it('writes unlimited rlimits as RLIM_INFINITY and everything else as JSON.stringify does', () => {
    const text = specToJson(spec);
    assert.match(text, /\{"type":"RLIMIT_CORE","soft":18446744073709551615,"hard":18446744073709551615\}/);
    assert.match(text, /\{"type":"RLIMIT_NOFILE","soft":10,"hard":20\}/);
    const back = JSON.parse(text) as typeof spec;
    assert.deepEqual({ ...back, process: { ...back.process, rlimits: [] } }, { ...spec, process: { ...spec.process, rlimits: [] } });
    assert.match(processToJson(spec.process, 1), /"soft": 18446744073709551615/);
  });
});
