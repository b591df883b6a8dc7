/**
 * Restart policies with Docker's semantics: `no`; `on-failure[:N]` (non-zero exit, at most N
 * restarts when N > 0); `always`; `unless-stopped` (like always, but an explicit stop also
 * survives daemon restarts). Backoff: 100 ms doubling per consecutive restart, capped at 1 min,
 * reset when the container had been up for at least 10 s.
 */
import { invalidArgument } from '../../base/errors.js';
import type { RestartPolicy } from './types.js';

export function validateRestartPolicy(p: RestartPolicy | undefined): RestartPolicy {
  if (!p || !p.name) return { name: 'no' };
  if (!['no', 'on-failure', 'always', 'unless-stopped'].includes(p.name)) throw invalidArgument(`invalid restart policy "${p.name}"`);
  const n = p.maximumRetryCount ?? 0;
  if (!Number.isInteger(n) || n < 0) throw invalidArgument(`invalid restart policy maximum retry count ${String(p.maximumRetryCount)}`);
  if (n > 0 && p.name !== 'on-failure') throw invalidArgument(`maximum retry count cannot be used with restart policy "${p.name}"`);
  return { name: p.name, maximumRetryCount: n };
}

export function shouldRestart(p: RestartPolicy, exitCode: number, restartCount: number, manuallyStopped: boolean): boolean {
  if (manuallyStopped) return false;
  switch (p.name) {
    case 'always':
    case 'unless-stopped':
      return true;
    case 'on-failure':
      return exitCode !== 0 && (!p.maximumRetryCount || restartCount < p.maximumRetryCount);
    default:
      return false;
  }
}

export class Backoff {
  private delay = 0;
  /** The delay before the next restart, given how long the container ran this time. */
  next(upMs: number): number {
    if (upMs >= 10_000) this.delay = 0;
    this.delay = this.delay === 0 ? 100 : Math.min(this.delay * 2, 60_000);
    return this.delay;
  }
}
