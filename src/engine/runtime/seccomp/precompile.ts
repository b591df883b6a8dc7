/**
 * Precompiled seccomp filters for crun. crun compiles a container's seccomp section with
 * libseccomp on every `create` (~20 ms for Docker's ~400-rule profile on this machine); given the
 * annotation `run.oci.seccomp_bpf_data` (base64 BPF) it loads that instead. Containers with the
 * same capabilities share one section, so each distinct section is compiled once per daemon
 * (libseccomp via the native addon) and cached. The JSON section stays in the spec for runc, for
 * inspect, and for exec.
 */
import { native } from '../../../base/native.js';
import type { OciSeccomp } from '../../../api/oci/runtime-spec.js';

export const SECCOMP_BPF_ANNOTATION = 'run.oci.seccomp_bpf_data';

const compiled = new Map<string, string | null>();
const precompilable = new Set(['SCMP_ACT_ALLOW', 'SCMP_ACT_ERRNO', 'SCMP_ACT_KILL', 'SCMP_ACT_KILL_THREAD', 'SCMP_ACT_KILL_PROCESS', 'SCMP_ACT_TRAP', 'SCMP_ACT_LOG', 'SCMP_ACT_TRACE']);

/** "SCMP_ARCH_X86_64" → "x86_64" (libseccomp's own names). */
function archName(a: string): string {
  return a.replace(/^SCMP_ARCH_/, '').toLowerCase();
}

/** The line format native().seccompCompile reads (see native/berth_native.c); null if not expressible. */
export function flattenSeccomp(s: OciSeccomp): string | null {
  if ((s.flags && s.flags.length > 0) || !precompilable.has(s.defaultAction)) return null;
  const lines = [`D ${s.defaultAction} ${s.defaultErrnoRet ?? -1}`];
  for (const a of s.architectures ?? []) lines.push(`A ${archName(a)}`);
  for (const rule of s.syscalls ?? []) {
    if (!precompilable.has(rule.action)) return null;
    const args = rule.args ?? [];
    if (args.length > 6) return null;
    const conds = args.map((c) => `${c.index} ${c.op} ${BigInt(c.value)} ${BigInt(c.valueTwo ?? 0)}`).join(' ');
    for (const name of rule.names) {
      if (!/^[a-z0-9_]+$/.test(name)) return null;
      lines.push(`R ${rule.action} ${rule.errnoRet ?? -1} ${name} ${args.length}${conds ? ' ' + conds : ''}`);
    }
  }
  return lines.join('\n') + '\n';
}

/** Base64 BPF for the section, or null when it must go to the runtime as JSON. */
export function precompiledSeccomp(s: OciSeccomp): string | null {
  const text = flattenSeccomp(s);
  if (text === null) return null;
  let bpf = compiled.get(text);
  if (bpf === undefined) {
    bpf = native().seccompCompile(text).toString('base64');
    compiled.set(text, bpf);
  }
  return bpf;
}
