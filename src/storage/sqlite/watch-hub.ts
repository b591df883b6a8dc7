/**
 * In-process watches for the SQLite backend. The process that writes is the only writer, so it
 * notifies watchers itself right after each commit; no polling.
 *
 * A watcher is either REPLAYING (catching up on history from the table, one chunk per event-loop
 * turn so a long replay does not stall the process) or LIVE (fed by commits). Because SQLite calls
 * are synchronous, a chunk read and a commit never interleave: when a replay chunk comes back short,
 * the watcher has seen everything committed so far and turns LIVE in the same turn. Invariant:
 * `nextRev` is the lowest revision not yet delivered; events are delivered in id order without gaps.
 */
import { BerthError, internal } from '../../base/errors.js';
import type { Watcher, WatchEvent } from '../types.js';
import { prefixEnd } from '../validate.js';
import { rowToEvent, type Row } from './rows.js';

const REPLAY_CHUNK = 500;

export interface HistorySource {
  /** Rows with id ≥ from under [start, end), in id order, at most limit. */
  rowsSince(from: number, start: Buffer, end: Buffer | null, limit: number): Row[];
  compactRevision(): number;
}

class HubWatcher implements Watcher {
  readonly ended: Promise<BerthError | null>;
  private settle!: (e: BerthError | null) => void;
  live = false;
  done = false;

  constructor(
    readonly start: Buffer,
    readonly end: Buffer | null,
    public nextRev: number,
    private readonly onEvent: (e: WatchEvent) => void,
    private readonly detach: (w: HubWatcher) => void,
  ) {
    this.ended = new Promise((resolve) => (this.settle = resolve));
  }

  matches(name: Buffer): boolean {
    return name.compare(this.start) >= 0 && (this.end === null || name.compare(this.end) < 0);
  }

  deliver(row: Row): void {
    if (this.done || row.id < this.nextRev || !this.matches(row.name)) return;
    this.nextRev = row.id + 1;
    try {
      this.onEvent(rowToEvent(row));
    } catch (err) {
      this.finish(internal(`storage watch callback failed at revision ${row.id}: ${err instanceof Error ? err.message : String(err)}`, err));
    }
  }

  finish(err: BerthError | null): void {
    if (this.done) return;
    this.done = true;
    this.detach(this);
    this.settle(err);
  }

  close(): void {
    this.finish(null);
  }
}

export class WatchHub {
  private readonly watchers = new Set<HubWatcher>();

  constructor(private readonly history: HistorySource) {}

  /** Starts a watcher whose first delivered revision is `from`. The caller has checked compaction. */
  add(prefix: string, from: number, onEvent: (e: WatchEvent) => void): Watcher {
    const start = Buffer.from(prefix, 'utf8');
    const w = new HubWatcher(start, prefixEnd(start), from, onEvent, (x) => this.watchers.delete(x));
    this.watchers.add(w);
    setImmediate(() => this.replay(w));
    return w;
  }

  /** Called synchronously after each commit with the committed rows in id order. */
  notify(rows: Row[]): void {
    for (const w of this.watchers) {
      if (!w.live) continue;
      for (const row of rows) w.deliver(row);
    }
  }

  /** Ends every watcher (store closing). */
  closeAll(err: BerthError | null): void {
    for (const w of [...this.watchers]) w.finish(err);
  }

  get size(): number {
    return this.watchers.size;
  }

  private replay(w: HubWatcher): void {
    if (w.done) return;
    try {
      const compacted = this.history.compactRevision();
      if (w.nextRev < compacted) {
        w.finish(new BerthError('Gone', `storage watch fell behind: revision ${w.nextRev} has been compacted (compacted up to ${compacted})`));
        return;
      }
      const rows = this.history.rowsSince(w.nextRev, w.start, w.end, REPLAY_CHUNK);
      for (const row of rows) w.deliver(row);
      if (w.done) return;
      if (rows.length < REPLAY_CHUNK) {
        w.live = true; // everything committed so far is delivered; commits from now on arrive via notify
        return;
      }
      setImmediate(() => this.replay(w));
    } catch (err) {
      w.finish(internal(`storage watch replay failed: ${err instanceof Error ? err.message : String(err)}`, err));
    }
  }
}
