/** A bare HTTPS client for transport tests: one request, a fresh connection, the raw answer. */
import https from 'node:https';

export interface Creds { ca: string; cert?: string; key?: string; token?: string }
export interface Answer { status: number; headers: Record<string, string | string[] | undefined>; raw: Buffer; text: string; json(): any }

export function request(url: string, path: string, creds: Creds, opts: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {}): Promise<Answer> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = https.request({
      host: u.hostname.replace(/^\[|\]$/g, ''),
      port: u.port,
      path,
      method: opts.method ?? 'GET',
      ca: creds.ca,
      ...(creds.cert ? { cert: creds.cert, key: creds.key } : {}),
      headers: { ...(creds.token ? { Authorization: `Bearer ${creds.token}` } : {}), ...(opts.body !== undefined ? { 'Content-Length': String(Buffer.byteLength(opts.body)) } : {}), ...(opts.headers ?? {}) },
      agent: false,
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const raw = Buffer.concat(chunks);
        const text = raw.toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, raw, text, json: () => JSON.parse(text) });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}
