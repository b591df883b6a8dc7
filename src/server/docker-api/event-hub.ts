/**
 * The daemon's event log for `GET /events`: every published event goes to the live subscribers
 * and into a ring of the most recent ones, so `since` can replay what happened before the client
 * connected (moby keeps such a ring too; berth keeps more because nothing is persisted).
 */
import { eventMessage, type EventMessage, type EventType } from '../../api/docker/event-json.js';

const RING_SIZE = 1024;

export type EventListener = (ev: EventMessage) => void;

export class EventHub {
  private readonly ring: EventMessage[] = [];
  private readonly listeners = new Set<EventListener>();
  private lastNano = 0n;

  /** Timestamps are made strictly increasing so `since`/`until` bounds are exact. */
  publish(type: EventType, action: string, actorId: string, attributes: Record<string, string>, timeNano = BigInt(Date.now()) * 1_000_000n): void {
    const t = timeNano > this.lastNano ? timeNano : this.lastNano + 1n;
    this.lastNano = t;
    const ev = eventMessage(type, action, actorId, attributes, t);
    this.ring.push(ev);
    if (this.ring.length > RING_SIZE) this.ring.shift();
    for (const l of this.listeners) {
      try {
        l(ev);
      } catch {
        // One broken subscriber must not stop the others or the publisher.
      }
    }
  }

  /** The remembered events with since ≤ timeNano ≤ until, oldest first. */
  replay(sinceNano: bigint, untilNano?: bigint): EventMessage[] {
    return this.ring.filter((e) => BigInt(e.timeNano) >= sinceNano && (untilNano === undefined || BigInt(e.timeNano) <= untilNano));
  }

  subscribe(l: EventListener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  get subscribers(): number {
    return this.listeners.size;
  }
}
