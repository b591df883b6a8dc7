/**
 * Renders a Docker-format seccomp profile into the OCI LinuxSeccomp for one container: resolves
 * each rule's includes/excludes against the container's bounding capabilities, the machine's
 * architecture and kernel version (moby's setupSeccomp semantics), and keeps only the native
 * architecture's archMap entry.
 */
import type { OciSeccomp, OciSyscall } from '../../../api/oci/runtime-spec.js';
import type { SeccompProfile } from './profile.js';

/** moby's "native" arch names (what `includes.arches` uses), from Node's process.arch. */
export function nativeArch(nodeArch: string = process.arch): string {
  const map: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: 'x86', s390x: 's390x', s390: 's390', ppc64: 'ppc64le', riscv64: 'riscv64', mips: 'mips', mipsel: 'mipsle' };
  return map[nodeArch] ?? nodeArch;
}

const scmpArch: Record<string, string> = {
  amd64: 'SCMP_ARCH_X86_64', x86: 'SCMP_ARCH_X86', arm64: 'SCMP_ARCH_AARCH64', arm: 'SCMP_ARCH_ARM', s390x: 'SCMP_ARCH_S390X',
  s390: 'SCMP_ARCH_S390', ppc64le: 'SCMP_ARCH_PPC64LE', ppc64: 'SCMP_ARCH_PPC64', riscv64: 'SCMP_ARCH_RISCV64', mipsle: 'SCMP_ARCH_MIPSEL',
};

function parseKernel(v: string): number[] {
  const m = /^(\d+)\.(\d+)(?:\.(\d+))?/.exec(v);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : [0, 0, 0];
}

/** True when kernel release `have` (e.g. "6.1.0-18-amd64") is at least `want` (e.g. "4.8"). */
export function kernelAtLeast(have: string, want: string): boolean {
  const a = parseKernel(have);
  const b = parseKernel(want);
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i]! > b[i]!;
  return true;
}

export interface RenderContext {
  /** The container's bounding capability set, "CAP_*" names. */
  capabilities: readonly string[];
  /** moby native arch name ("amd64", "arm64", …); see nativeArch(). */
  arch: string;
  /** Kernel release, as os.release() gives it. */
  kernel: string;
}

export function renderSeccomp(profile: SeccompProfile, ctx: RenderContext): OciSeccomp {
  const caps = new Set(ctx.capabilities);
  const out: OciSeccomp = { defaultAction: profile.defaultAction };
  if (profile.defaultErrnoRet !== undefined) out.defaultErrnoRet = profile.defaultErrnoRet;
  const architectures: string[] = [...(profile.architectures ?? [])];
  const native = scmpArch[ctx.arch];
  for (const m of profile.archMap ?? []) {
    if (m.architecture !== native) continue;
    architectures.push(m.architecture, ...(m.subArchitectures ?? []));
    break;
  }
  if (architectures.length > 0) out.architectures = architectures;
  if (profile.flags && profile.flags.length > 0) out.flags = [...profile.flags];

  const syscalls: OciSyscall[] = [];
  for (const rule of profile.syscalls ?? []) {
    const ex = rule.excludes ?? {};
    const inc = rule.includes ?? {};
    if (ex.arches?.includes(ctx.arch)) continue;
    if (ex.caps?.some((c) => caps.has(c))) continue;
    if (ex.minKernel && kernelAtLeast(ctx.kernel, ex.minKernel)) continue;
    if (inc.arches && inc.arches.length > 0 && !inc.arches.includes(ctx.arch)) continue;
    if (inc.caps?.some((c) => !caps.has(c))) continue;
    if (inc.minKernel && !kernelAtLeast(ctx.kernel, inc.minKernel)) continue;
    const call: OciSyscall = { names: rule.name ? [rule.name] : [...(rule.names ?? [])], action: rule.action };
    if (rule.errnoRet !== undefined) call.errnoRet = rule.errnoRet;
    if (rule.args && rule.args.length > 0) {
      call.args = rule.args.map((a) => (a.valueTwo !== undefined ? { index: a.index, value: a.value, valueTwo: a.valueTwo, op: a.op } : { index: a.index, value: a.value, op: a.op }));
    }
    syscalls.push(call);
  }
  out.syscalls = syscalls;
  return out;
}
