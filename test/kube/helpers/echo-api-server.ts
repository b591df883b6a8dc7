/**
 * A tiny ApiServer for the transport tests only (never in src): it answers with what the transport
 * handed it, so tests can see the decoded body, the user and the query. Paths:
 *   /echo/…            → 200 {method, path, query, user, body, contentType, accept}
 *   /fail/<ErrorCode>  → throws BerthError(<ErrorCode>) (with causes for /fail/Invalid)
 *   /crash             → throws a plain Error (an apiserver bug)
 *   /big               → 200 a JSON object of about 300 KiB
 *   /text              → 200 text/plain "ok"
 *   /watch             → a watch fed by push(); ends when the client goes away
 */
import { BerthError, type ErrorCode } from '../../../src/base/errors.js';
import type { ApiRequest, ApiResponse, ApiServer, WatchEventObject } from '../../../src/orchestrator/apiserver/types.js';

export interface EchoApiServer extends ApiServer {
  push(ev: WatchEventObject): void;
  /** Number of watches currently open (to check they end when clients leave). */
  openWatches(): number;
  /** Resolves when a watch has been opened. */
  watchOpened(): Promise<void>;
  failWatchWith(err: Error): void;
}

export function echoApiServer(): EchoApiServer {
  const listeners = new Set<(ev: WatchEventObject | Error) => void>();
  let opened: (() => void) | undefined;
  let openedP = new Promise<void>((r) => (opened = r));
  const api: EchoApiServer = {
    async handle(req: ApiRequest): Promise<ApiResponse> {
      if (req.path.startsWith('/echo')) {
        return {
          kind: 'object',
          status: 200,
          body: { method: req.method, path: req.path, query: Object.fromEntries(req.query), user: req.user, body: req.body ?? null, contentType: req.contentType ?? null, accept: req.headers.accept ?? null },
        };
      }
      if (req.path === '/big') return { kind: 'object', status: 200, body: { kind: 'Big', pad: 'x'.repeat(300 * 1024) } };
      if (req.path === '/text') return { kind: 'object', status: 200, body: 'ok', headers: { 'Content-Type': 'text/plain' } };
      if (req.path === '/crash') throw new Error('apiserver bug');
      if (req.path.startsWith('/fail/')) {
        const what = req.path.slice('/fail/'.length);
        if (what === 'Invalid') {
          throw new BerthError('InvalidArgument', 'ConfigMap "x" is invalid', { details: { name: 'x', kind: 'ConfigMap', causes: [{ reason: 'FieldValueInvalid', message: 'bad', field: 'data' }] } });
        }
        throw new BerthError(what as ErrorCode, `failure ${what}`);
      }
      if (req.path === '/watch') {
        const queue: Array<WatchEventObject | Error> = [];
        let wake: (() => void) | undefined;
        const listener = (ev: WatchEventObject | Error) => {
          queue.push(ev);
          wake?.();
        };
        listeners.add(listener);
        opened?.();
        openedP = new Promise<void>((r) => (opened = r));
        req.signal.addEventListener('abort', () => wake?.());
        async function* events(): AsyncGenerator<WatchEventObject> {
          try {
            while (!req.signal.aborted) {
              const ev = queue.shift();
              if (ev instanceof Error) throw ev;
              if (ev) yield ev;
              else await new Promise<void>((r) => (wake = r));
            }
          } finally {
            listeners.delete(listener);
          }
        }
        return { kind: 'watch', status: 200, events: events() };
      }
      throw new BerthError('NotFound', `the server could not find the requested resource (${req.path})`);
    },
    async close() {},
    push(ev) {
      for (const l of listeners) l(ev);
    },
    openWatches: () => listeners.size,
    watchOpened: () => openedP,
    failWatchWith(err) {
      for (const l of listeners) l(err);
    },
  };
  return api;
}
