/**
 * Parses Docker's --security-opt values (moby daemon/create parseSecurityOpt): "key=value" or the
 * legacy "key:value", plus bare "no-new-privileges". Supported: no-new-privileges[=bool],
 * seccomp=unconfined|builtin|<profile path>|<profile JSON> (the docker CLI sends the file's JSON),
 * systempaths=unconfined. apparmor= and label= are accepted and ignored with a warning (berth
 * applies no LSM profiles). Anything else is InvalidArgument and nothing is created.
 */
import fs from 'node:fs';
import { invalidArgument } from '../../../base/errors.js';
import { parseProfile, type SeccompProfile } from '../seccomp/index.js';

export type SeccompChoice = { kind: 'default' } | { kind: 'unconfined' } | { kind: 'custom'; profile: SeccompProfile };

export interface SecurityOptions {
  noNewPrivileges: boolean;
  seccomp: SeccompChoice;
  /** systempaths=unconfined: no masked or read-only /proc and /sys paths. */
  unconfinedSystemPaths: boolean;
}

function parseBool(key: string, v: string): boolean {
  if (/^(1|t|true)$/i.test(v)) return true;
  if (/^(0|f|false)$/i.test(v)) return false;
  throw invalidArgument(`invalid --security-opt ${key} value: ${JSON.stringify(v)}`);
}

function loadSeccomp(value: string): SeccompChoice {
  if (value === 'unconfined') return { kind: 'unconfined' };
  if (value === 'builtin' || value === '') return { kind: 'default' };
  if (value.trimStart().startsWith('{')) return { kind: 'custom', profile: parseProfile(value) };
  let text: string;
  try {
    text = fs.readFileSync(value, 'utf8');
  } catch (err) {
    throw invalidArgument(`opening seccomp profile (${value}) failed: ${(err as Error).message}`);
  }
  return { kind: 'custom', profile: parseProfile(text) };
}

export function parseSecurityOpts(opts: readonly string[] | undefined, warnings: string[]): SecurityOptions {
  const out: SecurityOptions = { noNewPrivileges: false, seccomp: { kind: 'default' }, unconfinedSystemPaths: false };
  for (const opt of opts ?? []) {
    if (typeof opt !== 'string') throw invalidArgument(`invalid --security-opt: ${JSON.stringify(opt)}`);
    if (opt === 'no-new-privileges') {
      out.noNewPrivileges = true;
      continue;
    }
    let sep = opt.indexOf('=');
    if (sep < 0) sep = opt.indexOf(':');
    if (sep < 0) throw invalidArgument(`invalid --security-opt: ${JSON.stringify(opt)}`);
    const key = opt.slice(0, sep);
    const value = opt.slice(sep + 1);
    switch (key) {
      case 'no-new-privileges':
        out.noNewPrivileges = parseBool(key, value);
        break;
      case 'seccomp':
        out.seccomp = loadSeccomp(value);
        break;
      case 'systempaths':
        if (value !== 'unconfined') throw invalidArgument(`invalid --security-opt systempaths=${value}: only "unconfined" is supported`);
        out.unconfinedSystemPaths = true;
        break;
      case 'apparmor':
      case 'label':
        warnings.push(`--security-opt ${key}=${value} ignored: berth applies no ${key === 'label' ? 'SELinux labels' : 'AppArmor profiles'}`);
        break;
      default:
        throw invalidArgument(`invalid --security-opt 2: ${JSON.stringify(opt)}`);
    }
  }
  return out;
}
