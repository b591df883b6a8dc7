/**
 * etcd v3 over its JSON gRPC gateway (`/v3/kv/range`, `/v3/kv/txn`, `/v3/watch`, ...), served by
 * every etcd ≥ 3.4 on its client port. Why the gateway and not gRPC (the `etcd3` npm package):
 * no new dependencies (grpc-js, protobufjs), one plain HTTP/1.1 code path we can read end to end,
 * and errors we map ourselves; loopback JSON costs well under a millisecond per call. We use
 * node:http rather than fetch because fetch's body timeout would cut idle watch streams.
 *
 * On the wire: keys and values are base64, int64s are decimal strings, and fields holding their
 * zero value (false, 0, PUT) are omitted.
 */
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { BerthError, invalidArgument, resourceExhausted, unavailable } from '../../base/errors.js';

export interface WireKv {
  key?: string;
  value?: string;
  create_revision?: string;
  mod_revision?: string;
  version?: string;
  lease?: string;
}
export interface WireHeader {
  revision?: string;
}

export const b64 = (s: string | Buffer): string => (typeof s === 'string' ? Buffer.from(s, 'utf8') : s).toString('base64');
export const num = (s: string | number | undefined): number => (s === undefined ? 0 : Number(s));

/** The etcd gateway's error body: `{"error": "...", "code": <grpc code>, "message": "..."}`. */
export function etcdError(endpoint: string, status: number, body: string): BerthError {
  let message = body;
  let code = 0;
  try {
    const j = JSON.parse(body) as { error?: string; message?: string; code?: number };
    message = j.message ?? j.error ?? body;
    code = j.code ?? 0;
  } catch {
    // not JSON: keep the raw text
  }
  const m = message.replace(/^etcdserver: /, '');
  if (/required revision has been compacted/.test(m)) return new BerthError('Gone', `etcd ${endpoint}: ${m}`);
  if (/future revision/.test(m)) return invalidArgument(`etcd ${endpoint}: ${m}`);
  if (/request is too large|message larger than max|exceeds maximum/.test(m)) return resourceExhausted(`etcd ${endpoint}: ${m}`);
  if (code === 14 || /no leader|timed out|leader changed|not capable|too many requests/.test(m)) return unavailable(`etcd ${endpoint}: ${m}`);
  return new BerthError('Internal', `etcd ${endpoint} answered HTTP ${status}: ${m}`);
}

/** TLS for https endpoints (k3s's --datastore-cafile/-certfile/-keyfile): PEM file paths. */
export interface EtcdTls {
  caFile?: string;
  certFile?: string;
  keyFile?: string;
}

function readPem(what: string, file: string | undefined): Buffer | undefined {
  if (file === undefined) return undefined;
  try {
    return fs.readFileSync(file);
  } catch (err) {
    throw invalidArgument(`cannot read the datastore ${what} ${file}: ${(err as Error).message}`);
  }
}

/** Connection errors that prove the request never reached etcd, so any call may go to another member. */
const NEVER_SENT = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

export class Gateway {
  /** The cluster members (the endpoint may list several, comma-separated, as k3s allows). */
  private readonly urls: URL[];
  /** The member requests go to; moves on when that member refuses connections. */
  private current = 0;
  private readonly agent: http.Agent;
  /** Streams (watch, snapshot) hold their connection for their whole life: never from the unary pool. */
  private readonly streamAgent: http.Agent;
  private readonly mod: typeof http | typeof https;

  constructor(readonly endpoint: string, tls: EtcdTls = {}) {
    const parts = endpoint.split(',').map((e) => e.trim()).filter(Boolean);
    if (parts.length === 0) throw invalidArgument('datastore endpoint is empty (expected http://host:port)');
    this.urls = parts.map((e) => {
      let url: URL;
      try {
        url = new URL(e);
      } catch {
        throw invalidArgument(`datastore endpoint "${e}" is not a URL (expected http://host:port)`);
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        throw invalidArgument(`datastore endpoint "${e}" must be http:// or https://`);
      }
      return url;
    });
    const protocol = this.urls[0]!.protocol;
    if (this.urls.some((u) => u.protocol !== protocol)) throw invalidArgument(`datastore endpoints "${endpoint}" mix http:// and https://`);
    this.mod = protocol === 'https:' ? https : http;
    if ((tls.caFile || tls.certFile || tls.keyFile) && protocol !== 'https:') {
      throw invalidArgument(`datastore TLS files were given but endpoint "${endpoint}" is not https://`);
    }
    if (Boolean(tls.certFile) !== Boolean(tls.keyFile)) throw invalidArgument('datastore client certificate and key must be given together');
    const tlsOpts = protocol === 'https:'
      ? { ca: readPem('CA file', tls.caFile), cert: readPem('certificate file', tls.certFile), key: readPem('key file', tls.keyFile) }
      : {};
    this.agent = new this.mod.Agent({ keepAlive: true, maxSockets: 128, ...tlsOpts });
    this.streamAgent = new this.mod.Agent({ keepAlive: false, ...tlsOpts });
  }

  /** Opens a POST whose response is read by the caller; `stream` for long-lived responses. */
  open(path: string, body: unknown, stream = false): { req: http.ClientRequest; response: Promise<http.IncomingMessage> } {
    const payload = Buffer.from(JSON.stringify(body));
    const member = this.current;
    const url = this.urls[member]!;
    const req = this.mod.request(new URL(path, url), {
      method: 'POST',
      agent: stream ? this.streamAgent : this.agent,
      headers: { 'content-type': 'application/json', 'content-length': payload.length },
    });
    const response = new Promise<http.IncomingMessage>((resolve, reject) => {
      req.on('response', resolve);
      req.on('error', (err: NodeJS.ErrnoException) => {
        const neverSent = NEVER_SENT.has(err.code ?? '');
        // Later requests try the next member; only if no one moved on already.
        if (neverSent && this.current === member) this.current = (member + 1) % this.urls.length;
        reject(unavailable(`etcd ${url.origin} unreachable: ${err.message}`, Object.assign(err, { neverSent })));
      });
    });
    req.end(payload);
    return { req, response };
  }

  /** One unary call; resolves with the parsed JSON answer, rejects with a mapped BerthError. */
  async call<T>(path: string, body: unknown): Promise<T> {
    let res: http.IncomingMessage | undefined;
    // A request that never reached a member may go to the next one (safe even for writes).
    for (let attempt = 0; ; attempt++) {
      try {
        res = await this.open(path, body).response;
        break;
      } catch (err) {
        const neverSent = ((err as Error).cause as { neverSent?: boolean } | undefined)?.neverSent === true;
        if (!neverSent || attempt + 1 >= this.urls.length) throw err;
      }
    }
    const chunks: Buffer[] = [];
    try {
      for await (const c of res) chunks.push(c as Buffer);
    } catch (err) {
      throw unavailable(`etcd ${this.endpoint}: connection lost during ${path}`, err);
    }
    const text = Buffer.concat(chunks).toString('utf8');
    if (res.statusCode !== 200) throw etcdError(this.endpoint, res.statusCode ?? 0, text);
    try {
      return JSON.parse(text) as T;
    } catch {
      throw unavailable(`etcd ${this.endpoint}: ${path} answered with something that is not JSON (is this an etcd v3 endpoint?): ${text.slice(0, 120)}`);
    }
  }

  close(): void {
    this.agent.destroy();
    this.streamAgent.destroy();
  }
}

/**
 * Splits a streamed gateway response into its newline-delimited JSON messages, calling onMessage
 * for each in order; resolves when the stream ends.
 */
export function readMessages(res: http.IncomingMessage, onMessage: (m: Record<string, unknown>) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    let buf = '';
    res.setEncoding('utf8');
    // A bad message or a throwing handler ends the stream instead of escaping as an uncaught error.
    res.on('data', (chunk: string) => {
      buf += chunk;
      try {
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl).trim();
          buf = buf.slice(nl + 1);
          if (line) onMessage(JSON.parse(line) as Record<string, unknown>);
        }
      } catch (err) {
        res.destroy();
        reject(err);
      }
    });
    res.on('end', () => {
      try {
        const line = buf.trim();
        if (line) onMessage(JSON.parse(line) as Record<string, unknown>);
        resolve();
      } catch (err) {
        reject(err);
      }
    });
    res.on('error', reject);
    res.on('aborted', () => reject(new Error('stream aborted')));
  });
}
