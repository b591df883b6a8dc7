/**
 * Docker's seccomp profile format (moby profiles/seccomp): an OCI-like filter plus conditions on
 * each syscall rule (`includes` / `excludes` by capability, architecture and minimum kernel) that
 * are resolved per container. parseProfile() validates untrusted profiles (`--security-opt
 * seccomp=<file>`) so a bad one is refused with a clear message before any runtime sees it.
 */
import { invalidArgument } from '../../../base/errors.js';
import type { SeccompAction, SeccompOperator } from '../../../api/oci/runtime-spec.js';

export interface ProfileArg { index: number; value: number; valueTwo?: number; op: SeccompOperator }
export interface ProfileFilter { caps?: string[]; arches?: string[]; minKernel?: string }
export interface ProfileSyscall {
  name?: string;
  names?: string[];
  action: SeccompAction;
  errnoRet?: number;
  args?: ProfileArg[] | null;
  comment?: string;
  includes?: ProfileFilter;
  excludes?: ProfileFilter;
}
export interface ProfileArchMap { architecture: string; subArchitectures: string[] | null }
export interface SeccompProfile {
  defaultAction: SeccompAction;
  defaultErrnoRet?: number;
  architectures?: string[];
  archMap?: ProfileArchMap[];
  flags?: string[];
  syscalls?: ProfileSyscall[];
}

const actions: ReadonlySet<string> = new Set<SeccompAction>([
  'SCMP_ACT_KILL', 'SCMP_ACT_KILL_PROCESS', 'SCMP_ACT_KILL_THREAD', 'SCMP_ACT_TRAP', 'SCMP_ACT_ERRNO',
  'SCMP_ACT_TRACE', 'SCMP_ACT_ALLOW', 'SCMP_ACT_LOG', 'SCMP_ACT_NOTIFY',
]);
const operators: ReadonlySet<string> = new Set<SeccompOperator>([
  'SCMP_CMP_NE', 'SCMP_CMP_LT', 'SCMP_CMP_LE', 'SCMP_CMP_EQ', 'SCMP_CMP_GE', 'SCMP_CMP_GT', 'SCMP_CMP_MASKED_EQ',
]);
const syscallName = /^[a-z0-9_]{1,64}$/;
const archName = /^SCMP_ARCH_[A-Z0-9_]+$/;
const kernelVersion = /^\d+\.\d+(\.\d+)?$/;

const bad = (what: string) => invalidArgument(`invalid seccomp profile: ${what}`);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');
const isUint = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

function checkFilter(f: unknown, where: string): void {
  if (f === undefined || f === null) return;
  if (!isObject(f)) throw bad(`${where} must be an object`);
  if (f.caps !== undefined && f.caps !== null && !isStringArray(f.caps)) throw bad(`${where}.caps must be a list of strings`);
  if (f.arches !== undefined && f.arches !== null && !isStringArray(f.arches)) throw bad(`${where}.arches must be a list of strings`);
  if (f.minKernel !== undefined && f.minKernel !== '' && (typeof f.minKernel !== 'string' || !kernelVersion.test(f.minKernel)))
    throw bad(`${where}.minKernel ${JSON.stringify(f.minKernel)} is not a kernel version like "4.8"`);
}

function checkSyscall(s: unknown, i: number): void {
  const where = `syscalls[${i}]`;
  if (!isObject(s)) throw bad(`${where} must be an object`);
  const hasName = s.name !== undefined && s.name !== '';
  const hasNames = Array.isArray(s.names) && s.names.length > 0;
  if (hasName && hasNames) throw bad(`${where}: 'name' and 'names' were specified, use either 'name' or 'names'`);
  if (!hasName && !hasNames) throw bad(`${where} names no syscall`);
  const names = hasName ? [s.name] : (s.names as unknown[]);
  for (const n of names) if (typeof n !== 'string' || !syscallName.test(n)) throw bad(`${where}: ${JSON.stringify(n)} is not a syscall name`);
  if (typeof s.action !== 'string' || !actions.has(s.action)) throw bad(`${where}: unknown action ${JSON.stringify(s.action)}`);
  if (s.errnoRet !== undefined && !isUint(s.errnoRet)) throw bad(`${where}.errnoRet must be a non-negative integer`);
  if (s.args !== undefined && s.args !== null) {
    if (!Array.isArray(s.args)) throw bad(`${where}.args must be a list`);
    s.args.forEach((a: unknown, j: number) => {
      if (!isObject(a) || !isUint(a.index) || a.index > 5 || !isUint(a.value) || (a.valueTwo !== undefined && !isUint(a.valueTwo)))
        throw bad(`${where}.args[${j}] needs index 0-5 and non-negative integer value/valueTwo`);
      if (typeof a.op !== 'string' || !operators.has(a.op)) throw bad(`${where}.args[${j}]: unknown op ${JSON.stringify(a.op)}`);
    });
  }
  checkFilter(s.includes, `${where}.includes`);
  checkFilter(s.excludes, `${where}.excludes`);
}

/** Validates a profile given as parsed JSON; returns it typed. Throws InvalidArgument naming the bad field. */
export function validateProfile(raw: unknown): SeccompProfile {
  if (!isObject(raw)) throw bad('not a JSON object');
  if (typeof raw.defaultAction !== 'string' || !actions.has(raw.defaultAction))
    throw bad(`unknown defaultAction ${JSON.stringify(raw.defaultAction)}`);
  if (raw.defaultErrnoRet !== undefined && !isUint(raw.defaultErrnoRet)) throw bad('defaultErrnoRet must be a non-negative integer');
  const hasArchs = Array.isArray(raw.architectures) && raw.architectures.length > 0;
  const hasArchMap = Array.isArray(raw.archMap) && raw.archMap.length > 0;
  if (hasArchs && hasArchMap) throw bad("'architectures' and 'archMap' were specified, use either 'architectures' or 'archMap'");
  if (raw.architectures !== undefined && raw.architectures !== null) {
    if (!isStringArray(raw.architectures) || !raw.architectures.every((a) => archName.test(a))) throw bad('architectures must be SCMP_ARCH_* names');
  }
  if (raw.archMap !== undefined && raw.archMap !== null) {
    if (!Array.isArray(raw.archMap)) throw bad('archMap must be a list');
    raw.archMap.forEach((m: unknown, i: number) => {
      if (!isObject(m) || typeof m.architecture !== 'string' || !archName.test(m.architecture)) throw bad(`archMap[${i}].architecture must be an SCMP_ARCH_* name`);
      const subs = m.subArchitectures;
      if (subs !== undefined && subs !== null && (!isStringArray(subs) || !subs.every((a) => archName.test(a))))
        throw bad(`archMap[${i}].subArchitectures must be SCMP_ARCH_* names`);
    });
  }
  if (raw.flags !== undefined && raw.flags !== null && !isStringArray(raw.flags)) throw bad('flags must be a list of strings');
  if (raw.syscalls !== undefined && raw.syscalls !== null) {
    if (!Array.isArray(raw.syscalls)) throw bad('syscalls must be a list');
    raw.syscalls.forEach(checkSyscall);
  }
  return raw as unknown as SeccompProfile;
}

/** Parses and validates a profile from JSON text. */
export function parseProfile(text: string): SeccompProfile {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw bad(`decoding failed: ${(err as Error).message}`);
  }
  return validateProfile(raw);
}
