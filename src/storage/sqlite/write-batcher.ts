/**
 * Group commit. With synchronous=FULL every commit costs an fsync; writes that arrive in the same
 * event-loop turn are applied in ONE transaction and acknowledged together after it is durable.
 * Each operation checks its own precondition inside the transaction: a failed check (Conflict,
 * NotFound, AlreadyExists) fails that operation only; an SQLite failure rolls back and fails the batch.
 */
import type Database from 'better-sqlite3';
import { isBerthError, type BerthError } from '../../base/errors.js';

/** Bounds one transaction so a flood of writes still commits (and acknowledges) in steady steps. */
const MAX_BATCH = 256;

interface Pending<T> {
  apply: () => T;
  resolve: (v: T) => void;
  reject: (e: unknown) => void;
}

export class WriteBatcher {
  private queue: Array<Pending<unknown>> = [];
  private scheduled = false;

  /**
   * @param onCommitted runs after each successful commit with the results of the operations that
   *   succeeded, in order, before their promises resolve.
   * @param onRollback runs when a batch's transaction failed, so in-memory state can be reset; it
   *   returns the error every operation of the batch fails with.
   */
  constructor(
    private readonly db: Database.Database,
    private readonly onCommitted: (results: unknown[]) => void,
    private readonly onRollback: (err: unknown) => BerthError,
  ) {}

  submit<T>(apply: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ apply, resolve, reject } as Pending<unknown>);
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Fails everything still queued (store closing). */
  drain(err: unknown): void {
    const q = this.queue;
    this.queue = [];
    for (const p of q) p.reject(err);
  }

  private flush(): void {
    this.scheduled = false;
    const batch = this.queue.splice(0, MAX_BATCH);
    if (this.queue.length > 0) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
    if (batch.length === 0) return;
    const outcomes: Array<{ ok: true; value: unknown } | { ok: false; err: unknown }> = [];
    try {
      this.db.transaction(() => {
        for (const p of batch) {
          try {
            outcomes.push({ ok: true, value: p.apply() });
          } catch (err) {
            if (!isBerthError(err)) throw err; // an SQLite failure: abort the whole batch
            outcomes.push({ ok: false, err });
          }
        }
      })();
    } catch (err) {
      const e = this.onRollback(err);
      for (const p of batch) p.reject(e);
      return;
    }
    try {
      this.onCommitted(outcomes.filter((o) => o.ok).map((o) => (o as { value: unknown }).value));
    } finally {
      batch.forEach((p, i) => {
        const o = outcomes[i]!;
        if (o.ok) p.resolve(o.value);
        else p.reject(o.err);
      });
    }
  }
}
