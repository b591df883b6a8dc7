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

export class Gateway {
  private readonly url: URL;
  private readonly agent: http.Agent;
  /** Streams (watch, snapshot) hold their connection for their whole life: never from the unary pool. */
  private readonly streamAgent: http.Agent;
  private readonly mod: typeof http | typeof https;

  constructor(readonly endpoint: string, tls: EtcdTls = {}) {
    let url: URL;
    try {
      url = new URL(endpoint);
    } catch {
      throw invalidArgument(`datastore endpoint "${endpoint}" is not a URL (expected http://host:port)`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw invalidArgument(`datastore endpoint "${endpoint}" must be http:// or https://`);
    }
    this.url = url;
    this.mod = url.protocol === 'https:' ? https : http;
    if ((tls.caFile || tls.certFile || tls.keyFile) && url.protocol !== 'https:') {
      throw invalidArgument(`datastore TLS files were given but endpoint "${endpoint}" is not https://`);
    }
    if (Boolean(tls.certFile) !== Boolean(tls.keyFile)) throw invalidArgument('datastore client certificate and key must be given together');
    const tlsOpts = url.protocol === 'https:'
      ? { ca: readPem('CA file', tls.caFile), cert: readPem('certificate file', tls.certFile), key: readPem('key file', tls.keyFile) }
      : {};
    this.agent = new this.mod.Agent({ keepAlive: true, maxSockets: 128, ...tlsOpts });
    this.streamAgent = new this.mod.Agent({ keepAlive: false, ...tlsOpts });
  }

  /** Opens a POST whose response is read by the caller; `stream` for long-lived responses. */
  open(path: string, body: unknown, stream = false): { req: http.ClientRequest; response: Promise<http.IncomingMessage> } {
    const payload = Buffer.from(JSON.stringify(body));
    const req = this.mod.request(new URL(path, this.url), {
      method: 'POST',
      agent: stream ? this.streamAgent : this.agent,
      headers: { 'content-type': 'application/json', 'content-length': payload.length },
    });
    const response = new Promise<http.IncomingMessage>((resolve, reject) => {
      req.on('response', resolve);
      req.on('error', (err) => reject(unavailable(`etcd ${this.endpoint} unreachable: ${err.message}`, err)));
    });
    req.end(payload);
    return { req, response };
  }

  /** One unary call; resolves with the parsed JSON answer, rejects with a mapped BerthError. */
  async call<T>(path: string, body: unknown): Promise<T> {
    const { response } = this.open(path, body);
    const res = await response;
    const chunks: Buffer[] = [];
    try {
      for await (const c of res) chunks.push(c as Buffer);
    } catch (err) {
      throw unavailable(`etcd ${this.endpoint}: connection lost during ${path}`, err);
    }
    const text = Buffer.concat(chunks).toString('utf8');
    if (res.statusCode !== 200) throw etcdError(this.endpoint, res.statusCode ?? 0, text);
    return JSON.parse(text) as T;
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
