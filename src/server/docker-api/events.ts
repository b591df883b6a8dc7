/**
 * `GET /events`: newline-delimited JSON, flushed as it happens. `since` replays the remembered
 * events from that time on (`until` alone replays them all up to it); `until` ends the stream at
 * that time (at once when it has passed).
 */
import { EVENT_FILTERS, eventMatches, parseEventTime, type EventMessage } from '../../api/docker/event-json.js';
import { parseFilters } from '../../api/docker/filters.js';
import { invalidArgument } from '../../base/errors.js';
import { startStream, writeChunk, type Handler } from './context.js';
import type { EventHub } from './event-hub.js';
import type { Router } from './router.js';

function eventsHandler(hub: EventHub): Handler {
  return async ({ res, query }) => {
    const filters = parseFilters(query.get('filters'), EVENT_FILTERS);
    const since = parseEventTime(query.get('since'), 'since');
    const until = parseEventTime(query.get('until'), 'until');
    if (since !== undefined && until !== undefined && until < since) throw invalidArgument('until must not be before since');
    startStream(res, 'application/json');
    const send = (ev: EventMessage) => {
      if (eventMatches(ev, filters)) void writeChunk(res, `${JSON.stringify(ev)}\n`);
    };
    const nowNano = BigInt(Date.now()) * 1_000_000n;
    // As moby: either bound replays the remembered events (until alone: everything up to it).
    if (since !== undefined || until !== undefined) for (const ev of hub.replay(since ?? 0n, until)) send(ev);
    if (until !== undefined && until <= nowNano) return void res.end();
    const unsubscribe = hub.subscribe((ev) => {
      if (until !== undefined && BigInt(ev.timeNano) > until) return stop();
      send(ev);
    });
    let timer: NodeJS.Timeout | undefined;
    function stop(): void {
      unsubscribe();
      if (timer) clearTimeout(timer);
      if (!res.writableEnded) res.end();
    }
    res.once('close', stop);
    if (until !== undefined) timer = setTimeout(stop, Math.min(Number((until - nowNano) / 1_000_000n) + 1, 2 ** 31 - 1));
  };
}

export function eventRoutes(r: Router<Handler>, hub: EventHub): void {
  r.add('GET', '/events', eventsHandler(hub));
}
