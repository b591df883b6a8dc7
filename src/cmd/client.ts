/**
 * The CLI's connection to the daemon: plain HTTP/1.1 over the unix socket (or tcp://), JSON
 * helpers, and hijacked streams (attach / exec start) that return the raw duplex socket.
 */
import http from 'node:http';
import type net from 'node:net';
import type { Readable } from 'node:stream';

import { ConnectError, DaemonError } from './client-errors.js';

export { ConnectError, DaemonError, DEFAULT_HOST } from './client-errors.js';
const API = '/v1.51';

export interface RequestOptions {
  query?: Record<string, string | number | boolean | string[] | undefined>;
  body?: unknown; // JSON-encoded unless a Buffer or stream
  headers?: Record<string, string>;
}

function queryString(q: RequestOptions['query']): string {
  if (!q) return '';
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) {
    if (v === undefined) continue;
    if (Array.isArray(v)) for (const x of v) p.append(k, x);
    else p.append(k, typeof v === 'boolean' ? (v ? '1' : '0') : String(v));
  }
  const s = p.toString();
  return s ? `?${s}` : '';
}

async function readAll(res: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of res) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

export class DaemonClient {
  private readonly target: { socketPath: string } | { host: string; port: number };

  constructor(readonly host: string) {
    if (host.startsWith('unix://')) this.target = { socketPath: host.slice('unix://'.length) };
    else if (host.startsWith('tcp://')) {
      const u = new URL(host.replace(/^tcp:/, 'http:'));
      this.target = { host: u.hostname, port: Number(u.port || 2375) };
    } else if (host.startsWith('/')) this.target = { socketPath: host };
    else throw new ConnectError(`unsupported host "${host}": use unix:///path/to/berth.sock or tcp://host:port`);
  }

  private connectError(err: NodeJS.ErrnoException): Error {
    if (['ENOENT', 'ECONNREFUSED', 'EACCES', 'ENOTSOCK', 'ECONNRESET'].includes(err.code ?? '')) {
      return new ConnectError(`Cannot connect to the berth daemon at ${this.host}. Is the berth server running?`);
    }
    return err;
  }

  private open(method: string, path: string, opts: RequestOptions, upgrade: boolean): http.ClientRequest {
    const headers: Record<string, string> = { 'User-Agent': 'berth-cli', ...opts.headers };
    if (upgrade) Object.assign(headers, { Connection: 'Upgrade', Upgrade: 'tcp' });
    let payload: Buffer | undefined;
    if (opts.body !== undefined && !isStream(opts.body)) {
      payload = Buffer.isBuffer(opts.body) ? opts.body : Buffer.from(JSON.stringify(opts.body));
      headers['Content-Type'] ??= 'application/json';
      headers['Content-Length'] = String(payload.length);
    }
    // servername '': no TLS here, and without it Node's agent runs net.isIP on the host name,
    // whose regular expressions cost a few ms to compile in a short-lived CLI.
    const options: http.RequestOptions & { servername: string } = { ...this.target, method, path: `${API}${path}${queryString(opts.query)}`, headers, agent: false, servername: '' };
    const req = http.request(options);
    if (isStream(opts.body)) opts.body.pipe(req);
    else req.end(payload);
    return req;
  }

  /** Sends a request; resolves with the response once its headers arrive (errors ≥ 400 rejected). */
  request(method: string, path: string, opts: RequestOptions = {}): Promise<http.IncomingMessage> {
    return new Promise((resolve, reject) => {
      const req = this.open(method, path, opts, false);
      req.once('error', (err) => reject(this.connectError(err)));
      req.once('response', (res) => {
        if ((res.statusCode ?? 500) < 400) return resolve(res);
        readAll(res).then((b) => reject(errorFrom(res.statusCode ?? 500, b)), reject);
      });
    });
  }

  async json<T = unknown>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
    const res = await this.request(method, path, opts);
    const body = await readAll(res);
    if (body.length === 0) return undefined as T;
    return JSON.parse(body.toString('utf8')) as T;
  }

  async get<T = unknown>(path: string, query?: RequestOptions['query']): Promise<T> {
    return this.json<T>('GET', path, query ? { query } : {});
  }

  async post(path: string, opts: RequestOptions = {}): Promise<void> {
    const res = await this.request('POST', path, opts);
    await readAll(res);
  }

  /** A hijacked stream: resolves with the raw socket after `101 UPGRADED`. */
  hijack(path: string, opts: RequestOptions = {}): Promise<{ socket: net.Socket; tty: boolean }> {
    return new Promise((resolve, reject) => {
      const req = this.open('POST', path, opts, true);
      req.once('error', (err) => reject(this.connectError(err)));
      req.once('upgrade', (res, socket, head) => {
        if (head.length) socket.unshift(head);
        resolve({ socket, tty: res.headers['content-type'] === 'application/vnd.docker.raw-stream' });
      });
      req.once('response', (res) => {
        readAll(res).then((b) => reject(errorFrom(res.statusCode ?? 500, b)), reject);
      });
    });
  }
}

function isStream(v: unknown): v is Readable {
  return !!v && typeof (v as Readable).pipe === 'function';
}

function errorFrom(status: number, body: Buffer): DaemonError {
  let message = body.toString('utf8').trim();
  try {
    const parsed = JSON.parse(message) as { message?: string };
    if (parsed.message) message = parsed.message;
  } catch {
    // not JSON: keep the text
  }
  return new DaemonError(status, message || `HTTP ${status}`);
}

export { readAll };
