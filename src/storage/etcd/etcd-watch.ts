/**
 * One etcd watch = one streaming POST /v3/watch on the gateway. The stream's messages arrive in
 * revision order; each event is handed to the callback before the next is parsed. The watch ends
 * (Watcher.ended) on close(), when etcd reports compaction (Gone), when the stream breaks
 * (Unavailable) or when the callback throws (Internal).
 */
import type http from 'node:http';
import { BerthError, internal, unavailable } from '../../base/errors.js';
import type { KeyValue, Watcher, WatchEvent } from '../types.js';
import { prefixEnd } from '../validate.js';
import { b64, type Gateway, num, readMessages, type WireHeader, type WireKv } from './gateway.js';

interface WireWatchResult {
  header?: WireHeader;
  created?: boolean;
  canceled?: boolean;
  compact_revision?: string;
  cancel_reason?: string;
  events?: Array<{ type?: 'PUT' | 'DELETE'; kv?: WireKv; prev_kv?: WireKv }>;
}

export function wireToKv(w: WireKv): KeyValue {
  return {
    key: Buffer.from(w.key ?? '', 'base64').toString('utf8'),
    value: Buffer.from(w.value ?? '', 'base64'),
    createRevision: num(w.create_revision),
    modRevision: num(w.mod_revision),
    version: num(w.version),
  };
}

class EtcdWatcher implements Watcher {
  readonly ended: Promise<BerthError | null>;
  private settle!: (e: BerthError | null) => void;
  private done = false;
  req: http.ClientRequest | null = null;

  constructor() {
    this.ended = new Promise((resolve) => (this.settle = resolve));
  }

  get isDone(): boolean {
    return this.done;
  }

  finish(err: BerthError | null): void {
    if (this.done) return;
    this.done = true;
    this.req?.destroy();
    this.settle(err);
  }

  close(): void {
    this.finish(null);
  }
}

/** Resolves once etcd has created the watch; rejects if it could not be created. */
export function openWatch(gw: Gateway, prefix: string, fromRevision: number, onEvent: (e: WatchEvent) => void): Promise<Watcher> {
  const start = Buffer.from(prefix, 'utf8');
  const end = prefixEnd(start);
  const createRequest = {
    create_request: {
      key: prefix === '' ? b64(Buffer.from([0])) : b64(start),
      range_end: b64(end ?? Buffer.from([0])), // "\0" as range end means "to the last key"
      start_revision: String(fromRevision),
      prev_kv: true,
    },
  };
  const w = new EtcdWatcher();
  const { req, response } = gw.open('/v3/watch', createRequest, true);
  w.req = req;
  return new Promise<Watcher>((resolve, reject) => {
    let created = false;
    const fail = (err: BerthError) => {
      if (!created) reject(err);
      w.finish(err);
    };
    response.then(
      (res) => {
        if (res.statusCode !== 200) {
          fail(unavailable(`etcd ${gw.endpoint}: watch request failed with HTTP ${res.statusCode}`));
          res.resume();
          return;
        }
        readMessages(res, (msg) => {
          if (w.isDone) return;
          if (msg.error) {
            fail(unavailable(`etcd ${gw.endpoint}: watch failed: ${JSON.stringify(msg.error)}`));
            return;
          }
          const r = (msg.result ?? {}) as WireWatchResult;
          if (num(r.compact_revision) > 0) {
            fail(new BerthError('Gone', `storage revision ${fromRevision} has been compacted (etcd compacted up to ${r.compact_revision}); list again and watch from the list's revision`));
            return;
          }
          if (r.canceled) {
            fail(unavailable(`etcd ${gw.endpoint}: watch canceled: ${r.cancel_reason ?? 'no reason given'}`));
            return;
          }
          if (r.created && !created) {
            created = true;
            resolve(w);
          }
          for (const ev of r.events ?? []) {
            if (w.isDone) return;
            const kv = wireToKv(ev.kv ?? {});
            const event: WatchEvent = ev.type === 'DELETE'
              ? { type: 'DELETE', kv: { ...kv, value: Buffer.alloc(0), createRevision: 0, version: 0 }, prevKv: ev.prev_kv ? wireToKv(ev.prev_kv) : null }
              : { type: 'PUT', kv, prevKv: ev.prev_kv ? wireToKv(ev.prev_kv) : null };
            try {
              onEvent(event);
            } catch (err) {
              w.finish(internal(`storage watch callback failed at revision ${kv.modRevision}: ${err instanceof Error ? err.message : String(err)}`, err));
              return;
            }
          }
        }).then(
          () => fail(unavailable(`etcd ${gw.endpoint}: watch stream ended`)),
          (err: unknown) => fail(unavailable(`etcd ${gw.endpoint}: watch stream broke: ${err instanceof Error ? err.message : String(err)}`, err)),
        );
      },
      (err: unknown) => fail(err instanceof BerthError ? err : unavailable(`etcd ${gw.endpoint}: watch failed`, err)),
    );
  });
}
