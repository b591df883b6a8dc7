import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isBerthError } from '../../../base/errors.js';
import { DefaultCapabilities } from '../spec/capabilities.js';
import { defaultProfile, kernelAtLeast, nativeArch, parseProfile, renderSeccomp } from './index.js';

const ctx = { capabilities: DefaultCapabilities, arch: 'amd64', kernel: '6.1.0-18-amd64' };
const allowed = (s: ReturnType<typeof renderSeccomp>, name: string) =>
  (s.syscalls ?? []).filter((c) => c.names.includes(name) && c.action === 'SCMP_ACT_ALLOW');

describe('seccomp default profile', () => {
  it('denies by default with EPERM and keeps the native arch map only', () => {
    const s = renderSeccomp(defaultProfile(), ctx);
    assert.equal(s.defaultAction, 'SCMP_ACT_ERRNO');
    assert.equal(s.defaultErrnoRet, 1);
    assert.deepEqual(s.architectures, ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86', 'SCMP_ARCH_X32']);
    assert.deepEqual(renderSeccomp(defaultProfile(), { ...ctx, arch: 'arm64' }).architectures, ['SCMP_ARCH_AARCH64', 'SCMP_ARCH_ARM']);
  });

  it('allows ordinary syscalls and blocks namespace/mount/keyring ones without CAP_SYS_ADMIN', () => {
    const s = renderSeccomp(defaultProfile(), ctx);
    for (const name of ['read', 'write', 'openat', 'execve', 'clock_gettime', 'arch_prctl']) assert.ok(allowed(s, name).length > 0, name);
    for (const name of ['unshare', 'mount', 'setns', 'keyctl', 'add_key', 'bpf', 'reboot', 'open_by_handle_at', 'modify_ldt_x']) {
      assert.equal(allowed(s, name).length, 0, name);
    }
    assert.equal(allowed(s, 'modify_ldt').length, 1, 'amd64-only rule applies on amd64');
    assert.equal(allowed(renderSeccomp(defaultProfile(), { ...ctx, arch: 'arm64' }), 'arch_prctl').length, 0);
  });

  it('filters clone flags and makes clone3 ENOSYS without CAP_SYS_ADMIN', () => {
    const s = renderSeccomp(defaultProfile(), ctx);
    const clone = allowed(s, 'clone');
    assert.equal(clone.length, 1);
    assert.deepEqual(clone[0]!.args, [{ index: 0, value: 2114060288, op: 'SCMP_CMP_MASKED_EQ' }]);
    const clone3 = (s.syscalls ?? []).find((c) => c.names.includes('clone3'));
    assert.equal(clone3?.action, 'SCMP_ACT_ERRNO');
    assert.equal(clone3?.errnoRet, 38);
    const s390 = renderSeccomp(defaultProfile(), { ...ctx, arch: 's390x' });
    assert.deepEqual(allowed(s390, 'clone')[0]!.args, [{ index: 1, value: 2114060288, op: 'SCMP_CMP_MASKED_EQ' }]);
  });

  it('allows more with added capabilities', () => {
    const s = renderSeccomp(defaultProfile(), { ...ctx, capabilities: [...DefaultCapabilities, 'CAP_SYS_ADMIN', 'CAP_SYS_PTRACE'] });
    for (const name of ['unshare', 'mount', 'setns', 'clone3', 'kcmp']) assert.ok(allowed(s, name).length > 0, name);
    assert.ok(allowed(s, 'clone').every((c) => c.args === undefined), 'clone unconditional with CAP_SYS_ADMIN');
    assert.equal((s.syscalls ?? []).filter((c) => c.action === 'SCMP_ACT_ERRNO').length, 0);
    assert.equal(allowed(renderSeccomp(defaultProfile(), ctx), 'kcmp').length, 0);
  });

  it('honours minKernel', () => {
    assert.equal(allowed(renderSeccomp(defaultProfile(), { ...ctx, kernel: '4.4.0' }), 'ptrace').length, 0);
    assert.equal(allowed(renderSeccomp(defaultProfile(), { ...ctx, kernel: '4.8.0' }), 'ptrace').length, 1);
    assert.equal(kernelAtLeast('6.18.44-fc', '4.8'), true);
    assert.equal(kernelAtLeast('4.7.9', '4.8'), false);
    assert.equal(kernelAtLeast('4.8', '4.8.0'), true);
  });

  it('maps node arches to moby names', () => {
    assert.equal(nativeArch('x64'), 'amd64');
    assert.equal(nativeArch('arm64'), 'arm64');
  });
});

describe('seccomp custom profiles', () => {
  const expectInvalid = (text: string, re: RegExp) =>
    assert.throws(() => parseProfile(text), (e: unknown) => isBerthError(e, 'InvalidArgument') && re.test(e.message));

  it('accepts a minimal OCI-style profile and renders it', () => {
    const p = parseProfile(JSON.stringify({ defaultAction: 'SCMP_ACT_ALLOW', architectures: ['SCMP_ARCH_X86_64'], syscalls: [{ name: 'mkdir', action: 'SCMP_ACT_ERRNO', errnoRet: 13 }] }));
    const s = renderSeccomp(p, ctx);
    assert.deepEqual(s, { defaultAction: 'SCMP_ACT_ALLOW', architectures: ['SCMP_ARCH_X86_64'], syscalls: [{ names: ['mkdir'], action: 'SCMP_ACT_ERRNO', errnoRet: 13 }] });
  });

  it('refuses malformed profiles with a message naming the problem', () => {
    expectInvalid('{not json', /decoding failed/);
    expectInvalid('[]', /not a JSON object/);
    expectInvalid('{"defaultAction":"SCMP_ACT_NOPE"}', /unknown defaultAction/);
    expectInvalid('{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"name":"a","names":["b"],"action":"SCMP_ACT_ALLOW"}]}', /'name' and 'names'/);
    expectInvalid('{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["read"],"action":"ALLOW"}]}', /unknown action/);
    expectInvalid('{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["read;rm"],"action":"SCMP_ACT_ALLOW"}]}', /not a syscall name/);
    expectInvalid('{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["read"],"action":"SCMP_ACT_ALLOW","args":[{"index":9,"value":1,"op":"SCMP_CMP_EQ"}]}]}', /index 0-5/);
    expectInvalid('{"defaultAction":"SCMP_ACT_ALLOW","architectures":["SCMP_ARCH_X86_64"],"archMap":[{"architecture":"SCMP_ARCH_X86_64","subArchitectures":null}]}', /either 'architectures' or 'archMap'/);
    expectInvalid('{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["read"],"action":"SCMP_ACT_ALLOW","includes":{"minKernel":"new"}}]}', /minKernel/);
  });
});
