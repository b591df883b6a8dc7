/**
 * Writing answers: objects as JSON (or text/bytes when the apiserver hands those), errors as
 * metav1.Status, and watches as a chunked stream of one JSON WatchEvent per line.
 * Watch rules (from what kubectl and helm do): headers are flushed before the first event
 * (kubectl wait hangs otherwise); the stream ends when the client goes away (res 'close'), at
 * `timeoutSeconds`, or when the apiserver's events end; a failure mid-stream becomes an ERROR
 * event, since the status line is already sent.
 */
import type http from 'node:http';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { ApiResponse, WatchEventObject } from '../../orchestrator/apiserver/types.js';
import { statusFromError } from './status.js';

const JSON_TYPE = 'application/json';
/** Like kube-apiserver, large answers are gzipped for clients that accept it (OpenAPI documents, big lists). */
export const GZIP_MIN_BYTES = 128 * 1024;
const gzip = promisify(zlib.gzip);

function acceptsGzip(acceptEncoding: string | undefined): boolean {
  return (acceptEncoding ?? '').split(',').some((e) => {
    const [name, ...params] = e.trim().toLowerCase().split(';');
    return name === 'gzip' && !params.some((p) => /^\s*q=0(\.0*)?\s*$/.test(p));
  });
}

function headerValue(headers: Record<string, string> | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === name) return v;
  return undefined;
}

function isAsyncIterable(v: unknown): v is AsyncIterable<unknown> {
  return typeof v === 'object' && v !== null && typeof (v as Record<symbol, unknown>)[Symbol.asyncIterator] === 'function';
}

export function sendStatus(res: http.ServerResponse, err: unknown, head: boolean): number {
  const status = statusFromError(err);
  if (res.headersSent) {
    // Too late for a status line: cut the connection so the client sees a failure, not a short body.
    res.destroy();
    return status.code;
  }
  const body = JSON.stringify(status);
  const headers: Record<string, string | number> = { 'Content-Type': JSON_TYPE, 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-cache, private' };
  if (status.code === 401) headers['WWW-Authenticate'] = 'Bearer realm="berth"';
  res.writeHead(status.code, headers);
  res.end(head ? undefined : body);
  return status.code;
}

/** Writes chunks, waiting for 'drain' when the socket is full; false once the client is gone. */
async function writeChunk(res: http.ServerResponse, chunk: string | Buffer, closed: Promise<void>): Promise<boolean> {
  if (res.destroyed || res.writableEnded) return false;
  if (res.write(chunk)) return true;
  await Promise.race([new Promise<void>((r) => res.once('drain', () => r())), closed]);
  return !res.destroyed && !res.writableEnded;
}

export async function sendObject(res: http.ServerResponse, r: Extract<ApiResponse, { kind: 'object' }>, head: boolean, closed: Promise<void>, acceptEncoding?: string): Promise<void> {
  const extra = { ...(r.headers ?? {}) };
  const type = headerValue(extra, 'content-type');
  for (const k of Object.keys(extra)) if (k.toLowerCase() === 'content-type') delete extra[k];
  const headers: Record<string, string | number> = { 'Cache-Control': 'no-cache, private', ...extra };
  if (isAsyncIterable(r.body)) {
    // A stream of text or bytes (e.g. followed logs): chunked, headers flushed at once.
    res.writeHead(r.status, { ...headers, 'Content-Type': type ?? 'text/plain' });
    res.flushHeaders();
    for await (const chunk of r.body) {
      const data = typeof chunk === 'string' || Buffer.isBuffer(chunk) ? chunk : JSON.stringify(chunk);
      if (!(await writeChunk(res, data, closed))) return;
    }
    res.end();
    return;
  }
  let body: string | Buffer;
  if (Buffer.isBuffer(r.body)) body = r.body;
  else if (typeof r.body === 'string') body = r.body;
  else body = JSON.stringify(r.body ?? {});
  const contentType = type ?? (typeof r.body === 'string' || Buffer.isBuffer(r.body) ? 'text/plain' : JSON_TYPE);
  if (Buffer.byteLength(body) >= GZIP_MIN_BYTES && acceptsGzip(acceptEncoding) && headerValue(extra, 'content-encoding') === undefined) {
    body = await gzip(body);
    headers['Content-Encoding'] = 'gzip';
    headers.Vary = 'Accept-Encoding';
  }
  res.writeHead(r.status, { ...headers, 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body) });
  res.end(head ? undefined : body);
}

export async function sendWatch(
  res: http.ServerResponse,
  r: Extract<ApiResponse, { kind: 'watch' }>,
  opts: { closed: Promise<void>; stop: () => void; timeoutSeconds?: number; log: (m: string) => void },
): Promise<void> {
  const extra = { ...(r.headers ?? {}) };
  const type = headerValue(extra, 'content-type') ?? JSON_TYPE;
  for (const k of Object.keys(extra)) if (k.toLowerCase() === 'content-type') delete extra[k];
  res.writeHead(200, { 'Cache-Control': 'no-cache, private', ...extra, 'Content-Type': type, 'Transfer-Encoding': 'chunked' });
  res.flushHeaders();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<void>((resolve) => {
    if (opts.timeoutSeconds !== undefined && opts.timeoutSeconds > 0) timer = setTimeout(resolve, opts.timeoutSeconds * 1000);
  });
  const ended = Promise.race([opts.closed, timedOut]).then(() => 'ended' as const);
  const it = r.events[Symbol.asyncIterator]();
  try {
    for (;;) {
      const next = await Promise.race([it.next(), ended]);
      if (next === 'ended' || next.done) break;
      const ev: WatchEventObject = next.value;
      if (!(await writeChunk(res, `${JSON.stringify(ev)}\n`, opts.closed))) break;
    }
  } catch (err) {
    const status = statusFromError(err);
    opts.log(`kube-api: watch failed: ${status.message}`);
    await writeChunk(res, `${JSON.stringify({ type: 'ERROR', object: status })}\n`, opts.closed).catch(() => false);
  } finally {
    if (timer) clearTimeout(timer);
    // Tell the apiserver to stop producing, then let the iterator clean up without waiting on it.
    opts.stop();
    Promise.resolve()
      .then(() => it.return?.())
      .catch(() => {});
    if (!res.writableEnded && !res.destroyed) res.end();
  }
}
