import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isBerthError } from '../../../base/errors.js';
import { buildSpecFor } from './build.js';
import { DefaultCapabilities } from './capabilities.js';
import { buildExecProcess } from './exec.js';
import { facts, fakeRootfs } from './fixtures.test-util.js';

const rootfs = fakeRootfs();
const { spec } = buildSpecFor(
  {
    id: 'c'.repeat(64),
    options: { image: 'x', env: ['A=1'], user: 'berth', securityOpt: ['no-new-privileges'], ulimits: [{ name: 'nofile', soft: 100, hard: 200 }] },
    image: { architecture: 'amd64', os: 'linux', config: { Cmd: ['sh'], WorkingDir: '/w' }, rootfs: { type: 'layers', diff_ids: [] } },
    rootfs,
    files: { hosts: '/h', hostname: '/n', resolvConf: '/r' },
    cgroupsPath: '/berth/c',
  },
  facts,
);

describe('buildExecProcess', () => {
  it('inherits env, cwd, user, rlimits and no-new-privileges from the container', () => {
    const p = buildExecProcess(spec, { cmd: ['ls', '-l'] }, rootfs, facts.capabilities);
    assert.deepEqual(p.args, ['ls', '-l']);
    assert.deepEqual(p.env, spec.process.env);
    assert.equal(p.cwd, '/w');
    assert.deepEqual(p.user, { uid: 1000, gid: 1000, additionalGids: [50, 29] });
    assert.deepEqual(p.rlimits, [{ type: 'RLIMIT_NOFILE', soft: 100, hard: 200 }]);
    assert.equal(p.noNewPrivileges, true);
    assert.equal(p.terminal, false);
    assert.deepEqual(p.capabilities, { bounding: [...DefaultCapabilities] });
  });
  it('applies exec env, workdir, tty and user', () => {
    const p = buildExecProcess(spec, { cmd: ['id'], env: ['A=2', 'B=3'], workingDir: '/tmp', tty: true, user: '0:50' }, rootfs, facts.capabilities);
    assert.ok(p.env.includes('A=2') && p.env.includes('B=3') && p.env.includes('TERM=xterm') && !p.env.includes('A=1'));
    assert.equal(p.cwd, '/tmp');
    assert.equal(p.terminal, true);
    assert.deepEqual(p.user, { uid: 0, gid: 50 });
    assert.deepEqual(p.capabilities!.effective, [...DefaultCapabilities], 'root gets effective caps');
  });
  it('gives a privileged exec every capability', () => {
    const p = buildExecProcess(spec, { cmd: ['id'], privileged: true }, rootfs, facts.capabilities);
    assert.deepEqual(p.capabilities!.bounding, facts.capabilities);
    assert.deepEqual(p.capabilities!.effective, facts.capabilities);
  });
  it('refuses empty commands, bad users and relative workdirs', () => {
    const invalid = (re: RegExp) => (e: unknown) => isBerthError(e, 'InvalidArgument') && re.test(e.message);
    assert.throws(() => buildExecProcess(spec, { cmd: [] }, rootfs), invalid(/no exec command specified/));
    assert.throws(() => buildExecProcess(spec, { cmd: ['x'], user: 'ghost' }, rootfs), invalid(/unable to find user ghost/));
    assert.throws(() => buildExecProcess(spec, { cmd: ['x'], workingDir: 'rel' }, rootfs), invalid(/absolute path/));
  });
});
