/**
 * Test harness for the apiserver: a real SQLite KV in a scratch dir, createApiServer on it, and a
 * small request helper that calls handle() directly (the HTTP transport is part 1's, tested in
 * test/kube). Errors come back as the metav1.Status the transport would send.
 */
import assert from 'node:assert/strict';
import { openStorage, type KV } from '../../../src/storage/index.js';
import { createApiServer, type ApiServer, type ApiResponse, type WatchEventObject } from '../../../src/orchestrator/apiserver/index.js';
import { BerthError } from '../../../src/base/errors.js';
import { scratchDir } from '../../helpers/test-image.js';
import { startEtcd } from '../../storage/helpers/etcd-process.js';
import path from 'node:path';

export interface Harness { api: ApiServer; kv: KV; dir: string; close(): Promise<void> }

/** The backend: SQLite unless BERTH_APISERVER_BACKEND=etcd (etcd.test.ts re-runs the suites that way). */
export async function startApi(label: string, opts: { bookmarkIntervalMs?: number; maxQueuedWatchEvents?: number; eventTtlSeconds?: number } = {}): Promise<Harness> {
  const dir = scratchDir(label);
  const etcd = process.env.BERTH_APISERVER_BACKEND === 'etcd' ? await startEtcd(path.join(dir, 'etcd')) : null;
  const kv = await openStorage({ dataDir: dir, compaction: false, ...(etcd ? { endpoint: etcd.endpoint } : {}) });
  const api = await createApiServer({ kv, ...opts });
  const harness: Harness = {
    api,
    kv,
    dir,
    async close() {
      // The API server may have been replaced by a test that restarts it.
      await harness.api.close();
      await kv.close();
      await etcd?.stop();
    },
  };
  return harness;
}

export interface CallOptions {
  body?: unknown;
  query?: Record<string, string | string[]>;
  accept?: string;
  contentType?: string;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export interface Reply { status: number; body: any; headers: Record<string, string> }

export async function raw(api: ApiServer, method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, o: CallOptions = {}): Promise<ApiResponse> {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(o.query ?? {})) for (const x of Array.isArray(v) ? v : [v]) query.append(k, x);
  const body = method === 'PATCH' && o.body !== undefined && typeof o.body !== 'string' ? JSON.stringify(o.body) : o.body;
  return api.handle({
    method,
    path,
    query,
    headers: { ...(o.accept ? { accept: o.accept } : {}), 'user-agent': 'kubectl/v1.34.5 (linux/amd64) kubernetes/ebfac05', ...(o.headers ?? {}) },
    user: { name: 'admin', groups: ['system:masters', 'system:authenticated'] },
    body,
    ...(o.contentType ? { contentType: o.contentType } : {}),
    signal: o.signal ?? new AbortController().signal,
  });
}

/** A non-watch call: the reply, or the Status of the thrown error (as the transport would answer). */
export async function call(api: ApiServer, method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, o: CallOptions = {}): Promise<Reply> {
  try {
    const res = await raw(api, method, path, o);
    assert.equal(res.kind, 'object', `${method} ${path} answered a watch`);
    if (res.kind !== 'object') throw new Error('unreachable');
    return { status: res.status, body: res.body, headers: res.headers ?? {} };
  } catch (err) {
    if (!(err instanceof BerthError)) throw err;
    const status = err.details?.status as { code?: number } | undefined;
    assert.ok(status, `error without a Status: ${err.code}: ${err.message}`);
    return { status: status.code ?? 500, body: status, headers: {} };
  }
}

/** Asserts a 2xx reply and returns its body. */
export async function ok(api: ApiServer, method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, o: CallOptions = {}): Promise<any> {
  const r = await call(api, method, path, o);
  assert.ok(r.status >= 200 && r.status < 300, `${method} ${path} → ${r.status}: ${JSON.stringify(r.body)}`);
  return r.body;
}

/** Asserts a failure with this HTTP code (and reason, if given); returns the Status. */
export async function fails(api: ApiServer, method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, code: number, o: CallOptions = {}, reason?: string): Promise<any> {
  const r = await call(api, method, path, o);
  assert.equal(r.status, code, `${method} ${path}: expected ${code}, got ${r.status}: ${JSON.stringify(r.body)}`);
  if (reason) assert.equal(r.body.reason, reason);
  assert.equal(r.body.kind, 'Status');
  return r.body;
}

/** Opens a watch and returns a reader that pulls events with a timeout. */
export async function watch(api: ApiServer, path: string, o: CallOptions = {}): Promise<{ next(timeoutMs?: number): Promise<WatchEventObject | null>; close(): void }> {
  const ac = new AbortController();
  const res = await raw(api, 'GET', path, { ...o, signal: ac.signal });
  assert.equal(res.kind, 'watch');
  if (res.kind !== 'watch') throw new Error('unreachable');
  const it = res.events[Symbol.asyncIterator]();
  return {
    async next(timeoutMs = 3000) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), timeoutMs)));
      const r = await Promise.race([it.next(), timeout]);
      clearTimeout(timer);
      if (r === 'timeout') throw new Error(`no watch event within ${timeoutMs} ms on ${path}`);
      return r.done ? null : r.value;
    },
    close() {
      ac.abort();
      void it.return?.();
    },
  };
}

/** Polls until fn returns a truthy value (for the asynchronous garbage collector). */
export async function eventually<T>(fn: () => Promise<T>, what: string, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

export const cm = (name: string, data: Record<string, string> = { a: '1' }, extra: Record<string, unknown> = {}) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...extra }, data });

export function deployment(name: string, extra: { labels?: Record<string, string>; replicas?: number } = {}) {
  const labels = extra.labels ?? { app: name };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: { ...(extra.replicas !== undefined ? { replicas: extra.replicas } : {}), selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } } },
  };
}
