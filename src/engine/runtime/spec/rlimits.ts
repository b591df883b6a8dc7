/**
 * Process rlimits: the user's --ulimit values plus a default RLIMIT_NOFILE, never above the
 * daemon's own hard limits. The daemon may lack CAP_SYS_RESOURCE (this host does), and then a
 * runtime asked for a higher hard limit fails to start the container; so values are clamped
 * and the user's clamped values produce a warning.
 */
import { invalidArgument } from '../../../base/errors.js';
import type { OciRlimit } from '../../../api/oci/runtime-spec.js';

/** Docker's --ulimit names (go-units) → RLIMIT_*. */
export const UlimitNames: Record<string, string> = {
  core: 'RLIMIT_CORE', cpu: 'RLIMIT_CPU', data: 'RLIMIT_DATA', fsize: 'RLIMIT_FSIZE', locks: 'RLIMIT_LOCKS', memlock: 'RLIMIT_MEMLOCK',
  msgqueue: 'RLIMIT_MSGQUEUE', nice: 'RLIMIT_NICE', nofile: 'RLIMIT_NOFILE', nproc: 'RLIMIT_NPROC', rss: 'RLIMIT_RSS',
  rtprio: 'RLIMIT_RTPRIO', rttime: 'RLIMIT_RTTIME', sigpending: 'RLIMIT_SIGPENDING', stack: 'RLIMIT_STACK', as: 'RLIMIT_AS',
};

/** What berth asks for when the user does not: Docker hosts typically run dockerd with 1048576. */
export const DefaultNofile = 1048576;

/**
 * "Unlimited" (-1) in memory: the OCI field is a uint64 and RLIM_INFINITY (2^64-1) is not a JS
 * number. specToJson() writes it as the exact 18446744073709551615; plain JSON.stringify leaves
 * 2^53-1, which is still beyond any meaningful limit.
 */
export const Unlimited = Number.MAX_SAFE_INTEGER;

function checkValue(name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < -1) throw invalidArgument(`invalid ulimit value for ${name}: ${String(v)}`);
  return v === -1 ? Unlimited : v;
}

export function buildRlimits(
  ulimits: ReadonlyArray<{ name: string; soft: number; hard: number }> | undefined,
  hardLimits: Record<string, number>,
  warnings: string[],
): OciRlimit[] {
  const wanted = new Map<string, { soft: number; hard: number; user: boolean }>();
  wanted.set('RLIMIT_NOFILE', { soft: DefaultNofile, hard: DefaultNofile, user: false });
  for (const u of ulimits ?? []) {
    const type = UlimitNames[String(u?.name ?? '').toLowerCase()];
    if (!type) throw invalidArgument(`invalid ulimit type: ${String(u?.name)}`);
    const soft = checkValue(u.name, u.soft);
    const hard = checkValue(u.name, u.hard);
    if (soft > hard) throw invalidArgument(`ulimit soft limit must be less than or equal to hard limit: ${u.soft} > ${u.hard}`);
    wanted.set(type, { soft, hard, user: true });
  }
  const out: OciRlimit[] = [];
  for (const [type, w] of wanted) {
    const max = hardLimits[type] ?? Infinity;
    const hard = Math.min(w.hard, max === Infinity ? Unlimited : max);
    const soft = Math.min(w.soft, hard);
    if (w.user && (hard !== w.hard || soft !== w.soft)) {
      warnings.push(`ulimit ${type} ${w.soft}:${w.hard} exceeds the daemon's hard limit ${max}; using ${soft}:${hard}`);
    }
    out.push({ type, soft, hard });
  }
  return out;
}
