/**
 * The Kubernetes API over HTTPS: TLS with optional client certificates, authentication, body
 * decoding, then the apiserver (src/orchestrator/apiserver) answers; its plain-object answers and
 * BerthErrors become JSON and metav1.Status here. Every request runs in its own try/catch, and bad
 * TLS or bad HTTP is answered or dropped, so no client can take the server down.
 * HTTP/1.1 only (keep-alive); client-go offers h2 by ALPN and falls back to HTTP/1.1 when the
 * server does not pick it.
 */
import https from 'node:https';
import type http from 'node:http';
import type { ApiRequest, ApiServer } from '../../orchestrator/apiserver/types.js';
import { BerthError } from '../../base/errors.js';
import { apiServerTokenUser, authenticate } from './authn.js';
import { decodeObject, decodePatch, MAX_BODY_BYTES, readBody } from './body.js';
import { impersonate } from './impersonation.js';
import { sendObject, sendStatus, sendWatch } from './respond.js';
import type { TokenFile } from './tokens.js';

export interface KubeHttpsOptions {
  apiServer: ApiServer;
  tokens: TokenFile;
  caCertPem: string;
  serverCertPem: string;
  serverKeyPem: string;
  log: (m: string) => void;
  maxBodyBytes?: number;
}

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE']);

function headersOf(req: http.IncomingMessage): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(req.headers)) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

function parseTarget(raw: string | undefined): URL {
  // Only origin-form targets ("/path?query"); anything else is a malformed request.
  if (!raw || !raw.startsWith('/')) throw new BerthError('InvalidArgument', `invalid request target "${String(raw).slice(0, 100)}"`);
  try {
    return new URL(raw, 'https://berth.invalid');
  } catch {
    throw new BerthError('InvalidArgument', `invalid request target "${raw.slice(0, 100)}"`);
  }
}

function timeoutSeconds(q: URLSearchParams): number | undefined {
  const t = q.get('timeoutSeconds');
  if (t === null) return undefined;
  const n = Number(t);
  if (!Number.isInteger(n) || n < 0) throw new BerthError('InvalidArgument', `invalid timeoutSeconds "${t.slice(0, 50)}": must be a non-negative integer`);
  return n;
}

export function createKubeHttpsServer(o: KubeHttpsOptions): { server: https.Server; abortAll(): void } {
  const inflight = new Set<AbortController>();
  const limit = o.maxBodyBytes ?? MAX_BODY_BYTES;
  const server = https.createServer({
    key: o.serverKeyPem,
    cert: o.serverCertPem,
    ca: o.caCertPem,
    // Ask for a client certificate but let the request through without one: tokens also log in,
    // and anonymous requests get a 401 Status rather than a TLS alert kubectl cannot explain.
    requestCert: true,
    rejectUnauthorized: false,
    requestTimeout: 120_000,
    headersTimeout: 60_000,
    keepAliveTimeout: 65_000,
  });

  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    const abort = new AbortController();
    inflight.add(abort);
    const closed = new Promise<void>((resolve) => res.once('close', () => resolve()));
    // res 'close' (not req 'close', which fires once the body is read) means the client left.
    void closed.then(() => {
      abort.abort();
      inflight.delete(abort);
    });
    const head = req.method === 'HEAD';
    void (async () => {
      try {
        const authenticated = authenticate(req, o.tokens) ?? (await apiServerTokenUser(req, o.apiServer));
        if (!authenticated) throw new BerthError('Unauthenticated', 'Unauthorized');
        const user = impersonate(req, authenticated);
        const method = req.method ?? '';
        if (!METHODS.has(method)) throw new BerthError('NotImplemented', `the method ${method.slice(0, 20)} is not supported`);
        const url = parseTarget(req.url);
        const apiReq: ApiRequest = {
          method: method as ApiRequest['method'],
          path: url.pathname,
          query: url.searchParams,
          headers: headersOf(req),
          user,
          body: undefined,
          signal: abort.signal,
        };
        if (method === 'POST' || method === 'PUT' || method === 'PATCH' || method === 'DELETE') {
          const raw = await readBody(req, limit);
          if (method === 'PATCH') {
            const p = decodePatch(raw, req.headers['content-type']);
            apiReq.body = p.text;
            apiReq.contentType = p.contentType;
          } else if (raw.length > 0) {
            apiReq.body = decodeObject(raw, req.headers['content-type']);
          }
        } else {
          req.resume();
        }
        const answer = await o.apiServer.handle(apiReq);
        if (answer.kind === 'watch') {
          await sendWatch(res, answer, { closed, stop: () => abort.abort(), timeoutSeconds: timeoutSeconds(url.searchParams), log: o.log });
        } else {
          await sendObject(res, answer, head, closed, req.headers['accept-encoding']);
        }
      } catch (err) {
        let code = 500;
        try {
          code = sendStatus(res, err, head);
        } catch (sendErr) {
          // The connection broke while answering: nothing more can be told to this client.
          res.destroy();
          o.log(`kube-api: cannot answer ${req.method} ${String(req.url).slice(0, 200)}: ${(sendErr as Error).message}`);
        }
        if (code >= 500) o.log(`kube-api: ${req.method} ${String(req.url).slice(0, 200)}: ${(err as Error)?.stack ?? String(err)}`);
        if (code === 413) {
          // The rest of an oversized body is not read: close the connection once the answer is out.
          res.once('finish', () => req.socket.destroy());
        }
      }
    })();
  });

  server.on('clientError', (err, socket) => {
    o.log(`kube-api: bad HTTP from client: ${String(err).slice(0, 200)}`);
    if (socket.writable && !socket.destroyed) {
      const body = JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'malformed HTTP request', reason: 'BadRequest', code: 400 });
      socket.end(`HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`);
    } else socket.destroy();
  });
  // Plain HTTP or garbage on the TLS port, failed handshakes: the connection is dropped, nothing else.
  server.on('tlsClientError', () => {});

  return {
    server,
    abortAll: () => {
      for (const a of inflight) a.abort();
    },
  };
}
