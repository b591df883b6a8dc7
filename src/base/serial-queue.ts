/**
 * Running async operations one at a time, each after the previous one settled (a failure does not
 * stop the next): one chain (e.g. every change to the image store), or one chain per key (e.g. each
 * container's network operations, each volume's copy-up).
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(fn: () => Promise<T> | T): Promise<T> {
    const p = this.tail.then(fn, fn);
    this.tail = p.catch(() => undefined);
    return p;
  }
}

/** One SerialQueue per key; a key's chain is forgotten once it runs empty. */
export class KeyedSerialQueue {
  private readonly queues = new Map<string, Promise<unknown>>();

  run<T>(key: string, fn: () => Promise<T> | T): Promise<T> {
    const prev = this.queues.get(key) ?? Promise.resolve();
    const p = prev.then(fn, fn);
    const tail = p.catch(() => undefined);
    this.queues.set(key, tail);
    void tail.then(() => {
      if (this.queues.get(key) === tail) this.queues.delete(key);
    });
    return p;
  }

  /** Keys with operations queued or running (for tests and leak checks). */
  get size(): number {
    return this.queues.size;
  }
}
