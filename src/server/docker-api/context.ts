/** What every Docker API handler gets, and small response helpers. */
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import type { Engine } from '../../engine/index.js';
import type { Logger } from './logger.js';

export interface DaemonInfo {
  version: string; // berth's version, reported as the engine version
  runtime: 'crun' | 'runc'; // the default OCI runtime
  dataDir: string;
  startedAt: Date;
}

export interface ApiDeps { engine: Engine; log: Logger; daemon: DaemonInfo }

export interface RequestContext {
  req: http.IncomingMessage;
  res: http.ServerResponse;
  params: Record<string, string>;
  query: URLSearchParams;
  deps: ApiDeps;
}

export type Handler = (ctx: RequestContext) => Promise<void>;

/** A hijacked (`Upgrade: tcp`) request: the handler owns the raw socket. */
export interface HijackContext {
  req: http.IncomingMessage;
  socket: Duplex;
  head: Buffer;
  params: Record<string, string>;
  query: URLSearchParams;
  deps: ApiDeps;
}

export type HijackHandler = (ctx: HijackContext) => Promise<void>;

export function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

export function sendEmpty(res: http.ServerResponse, status: number): void {
  res.writeHead(status);
  res.end();
}

/** Starts a long-lived streaming response and flushes its headers at once (clients block on them). */
export function startStream(res: http.ServerResponse, contentType: string): void {
  res.writeHead(200, { 'Content-Type': contentType });
  res.flushHeaders();
}

/** Writes a chunk honouring backpressure; resolves false once the client has gone. */
export function writeChunk(res: http.ServerResponse, data: string | Buffer): Promise<boolean> {
  if (res.destroyed || res.writableEnded) return Promise.resolve(false);
  if (res.write(data)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      res.off('drain', onDrain);
      res.off('close', onClose);
      resolve(ok);
    };
    const onDrain = () => done(true);
    const onClose = () => done(false);
    res.once('drain', onDrain);
    res.once('close', onClose);
  });
}
