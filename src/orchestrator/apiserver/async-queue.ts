/**
 * A push-driven async iterable: producers push, one consumer iterates; end() finishes it and the
 * onClose hook runs once when the consumer stops early or the stream ends (to release watchers).
 */
export class AsyncQueue<T> implements AsyncIterable<T> {
  private readonly items: T[] = [];
  private waiting: ((r: IteratorResult<T>) => void) | null = null;
  private done = false;
  private closeHooks: Array<() => void> = [];

  push(item: T): void {
    if (this.done) return;
    if (this.waiting) {
      const w = this.waiting;
      this.waiting = null;
      w({ value: item, done: false });
    } else this.items.push(item);
  }

  /** Ends after the already queued items are consumed. */
  end(): void {
    if (this.done) return;
    this.done = true;
    if (this.waiting && this.items.length === 0) {
      const w = this.waiting;
      this.waiting = null;
      w({ value: undefined as never, done: true });
    }
    this.runCloseHooks();
  }

  get ended(): boolean {
    return this.done;
  }

  /** Items pushed but not yet consumed. */
  get size(): number {
    return this.items.length;
  }

  onClose(hook: () => void): void {
    if (this.done) hook();
    else this.closeHooks.push(hook);
  }

  private runCloseHooks(): void {
    const hooks = this.closeHooks;
    this.closeHooks = [];
    for (const h of hooks) {
      try {
        h();
      } catch {
        /* a failing release must not break the stream's end */
      }
    }
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return {
      next: () => {
        if (this.items.length > 0) return Promise.resolve({ value: this.items.shift()!, done: false });
        if (this.done) return Promise.resolve({ value: undefined as never, done: true });
        return new Promise((resolve) => (this.waiting = resolve));
      },
      return: () => {
        this.items.length = 0;
        this.end();
        return Promise.resolve({ value: undefined as never, done: true });
      },
    };
  }
}
