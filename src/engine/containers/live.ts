/**
 * A container as the manager holds it in memory: its persisted record plus what supervision needs
 * while the daemon runs (waiters, restart timer, the start in flight). Helpers over it live here too.
 */
import fs from 'node:fs';
import { Backoff } from './restart-policy.js';
import type { ContainerRecord } from './store.js';
import type { ContainerState, WaitCondition } from './types.js';

export interface Live {
  rec: ContainerRecord;
  waiters: Array<{ condition: WaitCondition; resolve: (r: { exitCode: number; error?: string }) => void }>;
  /** Called once at the next recorded exit (stop and remove wait on these). */
  exitListeners: Array<() => void>;
  backoff: Backoff;
  restartTimer: NodeJS.Timeout | null;
  /** Set while `runtime start` runs: an exit seen meanwhile is handled once start has recorded "running". */
  starting: boolean;
  pendingExit: number | null;
  /** The start (or policy restart) in flight, so stop/remove can wait for it. */
  startPromise: Promise<void> | null;
  /** True when the runtime is known to hold no container for this id (saves a `runtime state` call per start). */
  runtimeGone: boolean;
  /**
   * True when this daemon created the runtime container (under conmon) and has seen no exit or
   * delete since: it is known to wait in "created" for start, so start needs no `runtime state`.
   */
  runtimeCreated: boolean;
  /**
   * The runtime container being created ahead of attach/start (kicked off right after create, so
   * conmon and `runtime create` overlap the client's next requests); attach, start and remove wait
   * for it. Its failure is dropped: the next attach/start creates again and reports the error.
   */
  preparing: Promise<void> | null;
  /**
   * The runtime delete started when the exit was seen. It runs beside the answers to waiters (it
   * is ~7 ms of `runtime delete` nobody needs to wait for); the next runtime create and the file
   * removal wait for it.
   */
  runtimeDeleting: Promise<void> | null;
  /** Attaches handed out before the runtime container existed, until they are connected to conmon. */
  attaching: Set<Promise<void>>;
  removing: boolean;
}

export function newLive(rec: ContainerRecord, runtimeGone: boolean): Live {
  return { rec, waiters: [], exitListeners: [], backoff: new Backoff(), restartTimer: null, starting: false, pendingExit: null, startPromise: null, runtimeGone, runtimeCreated: false, preparing: null, runtimeDeleting: null, attaching: new Set(), removing: false };
}

export const ZERO_TIME = '0001-01-01T00:00:00Z';

/** RFC 3339 with nanoseconds, Docker's format. */
export function nowIso(): string {
  return new Date().toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z');
}

export function isUp(l: Live): boolean {
  const s = l.rec.info.state.status;
  return s === 'running' || s === 'paused';
}

/** Updates the state, keeping the derived booleans consistent with the status. */
export function setState(l: Live, patch: Partial<ContainerState>): void {
  const st = { ...l.rec.info.state, ...patch };
  st.running = st.status === 'running' || st.status === 'paused';
  st.paused = st.status === 'paused';
  st.restarting = st.status === 'restarting';
  st.dead = st.status === 'dead';
  l.rec.info.state = st;
}

/** Resolves true when p settles within ms, false otherwise; the timer never outlives the race. */
export function settlesWithin(p: Promise<unknown>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(t);
      resolve(true);
    };
    const t = setTimeout(() => resolve(false), ms);
    p.then(done, done);
  });
}

export function safeReaddir(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}
