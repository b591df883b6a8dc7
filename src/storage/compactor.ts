/**
 * Background compaction policy, shared by both backends (the apiserver's etcd compactor does the
 * same job in Kubernetes): every `intervalMs` (default 5 minutes) compact to `currentRevision -
 * retainRevisions` (default keep the last 1000 revisions). Writers may also call `noteWrites` so a
 * burst of writes triggers compaction early (every `everyWrites` writes, default 2,000): history,
 * and so the SQLite file, is then bounded by the revision count, not by time or write rate.
 */
import type { KV } from './types.js';

export interface CompactionPolicy {
  intervalMs?: number;
  retainRevisions?: number;
  everyWrites?: number;
}

export const DEFAULT_COMPACTION: Required<CompactionPolicy> = {
  intervalMs: 5 * 60 * 1000,
  retainRevisions: 1000,
  everyWrites: 2_000,
};

export class Compactor {
  private readonly policy: Required<CompactionPolicy>;
  private timer: NodeJS.Timeout | undefined;
  private writesSince = 0;
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly kv: Pick<KV, 'currentRevision' | 'compact'>,
    policy: CompactionPolicy = {},
    private readonly onError: (err: unknown) => void = () => {},
  ) {
    this.policy = { ...DEFAULT_COMPACTION, ...policy };
    this.timer = setInterval(() => void this.runOnce(), this.policy.intervalMs);
    this.timer.unref();
  }

  noteWrites(n: number): void {
    this.writesSince += n;
    if (this.writesSince >= this.policy.everyWrites && !this.running) void this.runOnce();
  }

  /** One compaction pass now (also used by tests). */
  async runOnce(): Promise<void> {
    if (this.stopped) return;
    if (this.running) return this.running;
    this.writesSince = 0;
    this.running = (async () => {
      try {
        const target = (await this.kv.currentRevision()) - this.policy.retainRevisions;
        if (target > 1) await this.kv.compact(target);
      } catch (err) {
        this.onError(err);
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.running) await this.running;
  }
}
