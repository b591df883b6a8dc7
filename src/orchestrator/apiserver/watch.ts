/**
 * WATCH over the KV's revisioned watch: start points per resourceVersion (synthetic ADDED for the
 * current state when it is absent or "0"; WatchList's sendInitialEvents with the
 * `k8s.io/initial-events-end` bookmark), selector transitions (an object leaving the selection is
 * DELETED for this watcher), periodic bookmarks, timeoutSeconds, 410 Expired when compacted.
 */
import { isBerthError, type BerthError } from '../../base/errors.js';
import type { WatchEvent as KvEvent } from '../../storage/types.js';
import type { WatchEventObject } from './types.js';
import type { ApiContext } from './context.js';
import type { Served } from './registry.js';
import { AsyncQueue } from './async-queue.js';
import { decodeFor, resourcePrefix } from './object-store.js';
import { kubeBadRequest, kubeInvalid, statusOf } from './kube-errors.js';
import { parseSelection } from './selection.js';
import { present } from './reads.js';
import { apiVersionOf } from './admission.js';
import type { KObject } from './object-meta.js';

export interface WatchParams {
  served: Served;
  namespace: string | undefined;
  query: URLSearchParams;
  signal: AbortSignal;
  /** Turns each object into what the client asked for (e.g. a one-row Table). */
  render: (o: KObject) => unknown;
}

const DEFAULT_TIMEOUT_S = 1800;

function goneEvent(message: string): WatchEventObject {
  return { type: 'ERROR', object: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: 'Expired', code: 410 } };
}

/** Validates the parameters and returns the stream; errors before the stream starts are normal HTTP errors. */
export async function startWatch(ctx: ApiContext, p: WatchParams): Promise<AsyncIterable<WatchEventObject>> {
  const { served, query } = p;
  const selection = parseSelection(served, query);
  const rvParam = query.get('resourceVersion') ?? '';
  const rvMatch = query.get('resourceVersionMatch') ?? '';
  const sendInitial = query.get('sendInitialEvents');
  const bookmarks = query.get('allowWatchBookmarks') === 'true' || query.get('allowWatchBookmarks') === '1';
  const timeoutRaw = query.get('timeoutSeconds');
  const timeoutS = timeoutRaw ? Number(timeoutRaw) : DEFAULT_TIMEOUT_S;
  if (!Number.isFinite(timeoutS) || timeoutS < 0) throw kubeBadRequest(`invalid timeoutSeconds: ${JSON.stringify(timeoutRaw)}`);
  if (rvParam && rvParam !== '0' && !/^\d+$/.test(rvParam)) throw kubeBadRequest(`invalid resourceVersion: ${JSON.stringify(rvParam)}`);
  const initialEvents = sendInitial === 'true' || sendInitial === '1';
  if (sendInitial !== null) {
    if (rvMatch !== 'NotOlderThan') throw kubeInvalid('ListOptions', 'meta.k8s.io', '', [{ reason: 'FieldValueForbidden', message: "Forbidden: sendInitialEvents is forbidden for watch unless resourceVersionMatch is set to 'NotOlderThan'", field: 'sendInitialEvents' }]);
    if (initialEvents && !bookmarks) throw kubeInvalid('ListOptions', 'meta.k8s.io', '', [{ reason: 'FieldValueForbidden', message: 'Forbidden: allowWatchBookmarks must be true when sendInitialEvents is set', field: 'allowWatchBookmarks' }]);
  } else if (rvMatch) {
    throw kubeInvalid('ListOptions', 'meta.k8s.io', '', [{ reason: 'FieldValueForbidden', message: 'Forbidden: resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided', field: 'resourceVersionMatch' }]);
  }

  const prefix = resourcePrefix(served.info, served.info.namespaced ? p.namespace : undefined);
  // Objects as this resource serves them, so selectors see the served field names.
  const decode = (kv: Parameters<typeof decodeFor>[1]) => present(served, decodeFor(served.info, kv));
  const queue = new AsyncQueue<WatchEventObject>();
  let lastRevision = 0;
  const bookmark = (extra?: Record<string, string>): WatchEventObject => ({
    type: 'BOOKMARK',
    object: { kind: served.info.kind, apiVersion: apiVersionOf(served.info), metadata: { resourceVersion: String(lastRevision), ...(extra ? { annotations: extra } : {}) } },
  });
  const emit = (type: 'ADDED' | 'MODIFIED' | 'DELETED', o: KObject) => {
    queue.push({ type, object: p.render(present(served, o)) });
    // A client that does not keep up is cut off like kube does: it gets what was queued, then the
    // stream ends and it resumes from the last resourceVersion it saw. Memory stays bounded.
    if (queue.size > backlogAllowance + ctx.maxQueuedWatchEvents) queue.end();
  };
  // The initial ADDED events of a large collection are not a slow client.
  let backlogAllowance = Number.POSITIVE_INFINITY;

  // Where the live part starts: after a snapshot of the current state, or after the given revision.
  let fromRevision: number;
  const synthetic = initialEvents || (sendInitial === null && (rvParam === '' || rvParam === '0'));
  if (synthetic) {
    const minimum = rvParam && rvParam !== '0' ? Number(rvParam) : 0;
    const snapshot = await ctx.kv.list(prefix);
    lastRevision = Math.max(snapshot.revision, minimum);
    for (const kv of snapshot.items) {
      const o = decode(kv);
      if (selection.matches(o)) emit('ADDED', o);
    }
    if (initialEvents) queue.push(bookmark({ 'k8s.io/initial-events-end': 'true' }));
    fromRevision = snapshot.revision + 1;
    backlogAllowance = queue.size;
  } else if (rvParam === '' || rvParam === '0') {
    backlogAllowance = 0;
    // sendInitialEvents=false without a version: changes from now on.
    lastRevision = await ctx.kv.currentRevision();
    fromRevision = lastRevision + 1;
  } else {
    // Replayed history counts: a client far behind that cannot keep up is cut off too.
    backlogAllowance = 0;
    lastRevision = Number(rvParam);
    fromRevision = lastRevision + 1;
  }

  const onEvent = (ev: KvEvent) => {
    lastRevision = ev.kv.modRevision;
    if (ev.type === 'DELETE') {
      if (!ev.prevKv) return;
      const o = decode(ev.prevKv);
      o.metadata.resourceVersion = String(ev.kv.modRevision);
      if (selection.matches(o)) emit('DELETED', o);
      return;
    }
    const o = decode(ev.kv);
    const now = selection.matches(o);
    if (!ev.prevKv) {
      if (now) emit('ADDED', o);
      return;
    }
    const before = selection.filtering ? selection.matches(decode(ev.prevKv)) : true;
    if (now && before) emit('MODIFIED', o);
    else if (now) emit('ADDED', o);
    else if (before) emit('DELETED', o);
  };

  let watcher;
  try {
    watcher = await ctx.kv.watch(prefix, fromRevision, onEvent);
  } catch (err) {
    if (isBerthError(err, 'Gone')) {
      const current = await ctx.kv.currentRevision().catch(() => 0);
      queue.push(goneEvent(`too old resource version: ${rvParam} (${current})`));
      queue.end();
      return queue;
    }
    throw err;
  }
  const timers: NodeJS.Timeout[] = [];
  if (timeoutS > 0) timers.push(setTimeout(() => queue.end(), timeoutS * 1000));
  if (bookmarks) timers.push(setInterval(() => queue.push(bookmark()), ctx.bookmarkIntervalMs));
  const onAbort = () => queue.end();
  const stopCrdListener = served.crd ? ctx.registry.onCrdRemoved(served.crd.serving.crdName, () => queue.end()) : () => {};
  p.signal.addEventListener('abort', onAbort, { once: true });
  if (p.signal.aborted) queue.end();
  void watcher.ended.then((err: BerthError | null) => {
    if (err) queue.push(err.code === 'Gone' ? goneEvent(`too old resource version: ${lastRevision}`) : { type: 'ERROR', object: statusOf(err) });
    queue.end();
  });
  queue.onClose(() => {
    for (const t of timers) clearTimeout(t);
    p.signal.removeEventListener('abort', onAbort);
    stopCrdListener();
    watcher.close();
  });
  return queue;
}
