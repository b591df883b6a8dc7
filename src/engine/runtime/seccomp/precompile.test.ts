import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultProfile, renderSeccomp, nativeArch } from './index.js';
import { flattenSeccomp, precompiledSeccomp } from './precompile.js';
import { DefaultCapabilities } from '../spec/index.js';

const dockerDefault = () => renderSeccomp(defaultProfile(), { capabilities: [...DefaultCapabilities], arch: nativeArch(), kernel: '6.1.0' });

test('the rendered Docker profile flattens to one default line, its arches and one line per syscall name', () => {
  const s = dockerDefault();
  const text = flattenSeccomp(s)!;
  const lines = text.trim().split('\n');
  assert.equal(lines[0], `D ${s.defaultAction} ${s.defaultErrnoRet ?? -1}`);
  assert.ok(lines.some((l) => l.startsWith('A x86_64')) || nativeArch() !== 'amd64');
  const names = (s.syscalls ?? []).reduce((n, r) => n + r.names.length, 0);
  assert.equal(lines.filter((l) => l.startsWith('R ')).length, names);
  assert.match(text, /R SCMP_ACT_ALLOW -1 personality 1 0 SCMP_CMP_EQ 0 0/);
});

test('sections crun must compile itself are not precompiled', () => {
  assert.equal(flattenSeccomp({ defaultAction: 'SCMP_ACT_ERRNO', flags: ['SECCOMP_FILTER_FLAG_LOG'] }), null);
  assert.equal(flattenSeccomp({ defaultAction: 'SCMP_ACT_NOTIFY' } as never), null);
  assert.equal(flattenSeccomp({ defaultAction: 'SCMP_ACT_ERRNO', syscalls: [{ names: ['bad name'], action: 'SCMP_ACT_ALLOW' }] }), null);
});

test('libseccomp compiles the Docker profile to a BPF program, once per distinct section', () => {
  const a = precompiledSeccomp(dockerDefault())!;
  const bpf = Buffer.from(a, 'base64');
  assert.ok(bpf.length > 800 && bpf.length % 8 === 0, `struct sock_filter[] of ${bpf.length} bytes`);
  assert.equal(precompiledSeccomp(dockerDefault()), a, 'cached and deterministic');
  const withAdmin = renderSeccomp(defaultProfile(), { capabilities: [...DefaultCapabilities, 'CAP_SYS_ADMIN'], arch: nativeArch(), kernel: '6.1.0' });
  assert.notEqual(precompiledSeccomp(withAdmin), a, 'another capability set is another filter');
});
