import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { isBerthError } from '../../../base/errors.js';
import { fakeRootfs, tempDir } from './fixtures.test-util.js';
import { readRootfsFile, secureJoin } from './secure-path.js';
import { resolveUser } from './user.js';

const invalid = (re: RegExp) => (e: unknown) => isBerthError(e, 'InvalidArgument') && re.test(e.message);

describe('resolveUser', () => {
  const rootfs = fakeRootfs();

  it('defaults to root with root\'s home', () => {
    assert.deepEqual(resolveUser(rootfs, ''), { uid: 0, gid: 0, additionalGids: [], home: '/root' });
  });

  it('resolves names and numbers through the image passwd, with supplementary groups', () => {
    assert.deepEqual(resolveUser(rootfs, 'berth'), { uid: 1000, gid: 1000, additionalGids: [50, 29], home: '/home/berth' });
    assert.deepEqual(resolveUser(rootfs, '1000'), { uid: 1000, gid: 1000, additionalGids: [50, 29], home: '/home/berth' });
    assert.deepEqual(resolveUser(rootfs, 'web'), { uid: 33, gid: 33, additionalGids: [50], home: '/var/www' });
  });

  it('uses unknown uids as is with gid 0', () => {
    assert.deepEqual(resolveUser(rootfs, '4242'), { uid: 4242, gid: 0, additionalGids: [], home: '/' });
  });

  it('takes an explicit group by name or number and then no supplementary groups', () => {
    assert.deepEqual(resolveUser(rootfs, 'berth:staff'), { uid: 1000, gid: 50, additionalGids: [], home: '/home/berth' });
    assert.deepEqual(resolveUser(rootfs, '1000:777'), { uid: 1000, gid: 777, additionalGids: [], home: '/home/berth' });
    assert.deepEqual(resolveUser(rootfs, '5:5'), { uid: 5, gid: 5, additionalGids: [], home: '/' });
  });

  it('refuses unknown names like Docker', () => {
    assert.throws(() => resolveUser(rootfs, 'nobody'), invalid(/^unable to find user nobody: no matching entries in passwd file$/));
    assert.throws(() => resolveUser(rootfs, 'berth:wheel'), invalid(/^unable to find group wheel: no matching entries in group file$/));
    assert.throws(() => resolveUser(rootfs, 'berth:'), invalid(/empty group/));
    assert.throws(() => resolveUser(rootfs, '99999999999'), invalid(/range/));
  });

  it('works without passwd/group files for numeric users only', () => {
    const empty = tempDir('spec-empty');
    assert.deepEqual(resolveUser(empty, '1:2'), { uid: 1, gid: 2, additionalGids: [], home: '/' });
    assert.throws(() => resolveUser(empty, 'berth'), invalid(/unable to find user berth/));
  });

  it('never follows a symlinked passwd out of the rootfs', () => {
    const evil = tempDir('spec-evil');
    const outside = tempDir('spec-outside');
    fs.mkdirSync(path.join(outside, 'etc'));
    fs.writeFileSync(path.join(outside, 'etc/passwd'), 'hostonly:x:7:7::/:/bin/sh\n');
    fs.mkdirSync(path.join(evil, 'etc'));
    fs.symlinkSync(path.join(outside, 'etc/passwd'), path.join(evil, 'etc/passwd'));
    assert.throws(() => resolveUser(evil, 'hostonly'), invalid(/unable to find user hostonly/));
    fs.rmSync(path.join(evil, 'etc/passwd'));
    fs.symlinkSync('../../../../../../' + path.relative('/', path.join(outside, 'etc/passwd')), path.join(evil, 'etc/passwd'));
    assert.throws(() => resolveUser(evil, 'hostonly'), invalid(/unable to find user hostonly/));
  });
});

describe('secureJoin', () => {
  it('resolves symlinks relative to the root and clamps ".."', () => {
    const root = tempDir('spec-join');
    fs.mkdirSync(path.join(root, 'real'));
    fs.writeFileSync(path.join(root, 'real/file'), 'inside');
    fs.symlinkSync('/real', path.join(root, 'abs'));
    fs.symlinkSync('../../../real', path.join(root, 'rel'));
    fs.symlinkSync('loop', path.join(root, 'loop'));
    assert.equal(secureJoin(root, '/abs/file'), path.join(root, 'real/file'));
    assert.equal(secureJoin(root, 'rel/file'), path.join(root, 'real/file'));
    assert.equal(secureJoin(root, '/../../etc/passwd'), path.join(root, 'etc/passwd'));
    assert.equal(readRootfsFile(root, '/abs/file'), 'inside');
    assert.equal(readRootfsFile(root, '/real'), null, 'directories are not files');
    assert.throws(() => secureJoin(root, '/loop/x'), invalid(/too many symlinks/));
  });
});
