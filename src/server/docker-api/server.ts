/**
 * The Docker-Engine-shaped HTTP API: routes plain requests and hijacked (`Upgrade: tcp`) ones,
 * strips `/vX.Y` prefixes, and maps every failure once to a status + `{"message"}` body. Each
 * request runs in its own try/catch, so no request can take the daemon down.
 */
import http from 'node:http';
import type { Duplex } from 'node:stream';
import { notFound } from '../../base/errors.js';
import { stripVersion } from './api-version.js';
import { attachExecRoutes, hijackRoutes } from './attach-exec.js';
import { commitRoutes } from './commit.js';
import { containerFsRoutes } from './container-fs.js';
import { containerRoutes } from './containers.js';
import { containerUpdateRoutes } from './container-update.js';
import { EventHub } from './event-hub.js';
import { eventRoutes } from './events.js';
import { observeEngine } from './event-sources.js';
import type { ApiDeps, Handler, HijackHandler } from './context.js';
import { sendError, sendRawError } from './http-errors.js';
import { imageRoutes } from './images.js';
import { networkRoutes } from './networks.js';
import { Router } from './router.js';
import { systemDfRoutes } from './system-df.js';
import { systemRoutes } from './system.js';
import { unsupportedRoutes } from './unsupported.js';
import { volumeRoutes } from './volumes.js';

export type { ApiDeps, DaemonInfo } from './context.js';
export type { Logger } from './logger.js';
export { API_VERSION } from './api-version.js';

function buildRouters(hub: EventHub): { plain: Router<Handler>; hijack: Router<HijackHandler> } {
  const plain = new Router<Handler>();
  systemRoutes(plain);
  eventRoutes(plain, hub);
  systemDfRoutes(plain);
  containerFsRoutes(plain, hub);
  containerUpdateRoutes(plain);
  commitRoutes(plain, hub);
  containerRoutes(plain);
  attachExecRoutes(plain);
  imageRoutes(plain);
  networkRoutes(plain);
  volumeRoutes(plain);
  unsupportedRoutes(plain);
  const hijack = new Router<HijackHandler>();
  hijackRoutes(hijack);
  return { plain, hijack };
}

function parseUrl(raw: string | undefined): URL {
  return new URL(raw ?? '/', 'http://berth');
}

export function createDockerApiServer(given: ApiDeps): http.Server {
  // Handlers get an engine whose image/network/volume changes are reported on /events.
  const hub = new EventHub();
  const deps: ApiDeps = { ...given, engine: observeEngine(given.engine, hub) };
  const { plain, hijack } = buildRouters(hub);
  const server = http.createServer({ requestTimeout: 0, headersTimeout: 60_000 });

  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    const where = `${req.method} ${req.url}`;
    void (async () => {
      try {
        const url = parseUrl(req.url);
        const path = stripVersion(url.pathname);
        const m = plain.match(req.method ?? 'GET', path);
        if (!m) {
          req.resume();
          throw notFound('page not found');
        }
        const started = process.hrtime.bigint();
        res.once('finish', () => deps.log.debug('request', { method: req.method, path, status: res.statusCode, ms: Number(process.hrtime.bigint() - started) / 1e6 }));
        await m.handler({ req, res, params: m.params, query: url.searchParams, deps });
      } catch (err) {
        sendError(res, err, deps.log, where);
      }
    })();
  });

  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    const where = `${req.method} ${req.url} (upgrade)`;
    socket.on('error', (err) => deps.log.debug('hijacked connection error', { error: String(err), where }));
    void (async () => {
      try {
        const url = parseUrl(req.url);
        const path = stripVersion(url.pathname);
        const m = hijack.match(req.method ?? 'GET', path);
        if (!m) throw notFound(plain.match(req.method ?? 'GET', path) ? `${path} cannot be upgraded` : 'page not found');
        const started = process.hrtime.bigint();
        deps.log.debug('hijack', { method: req.method, path });
        await m.handler({ req, socket, head, params: m.params, query: url.searchParams, deps });
        deps.log.debug('hijack ended', { method: req.method, path, ms: Number(process.hrtime.bigint() - started) / 1e6 });
      } catch (err) {
        sendRawError(socket, err, deps.log, where);
      }
    })();
  });

  server.on('clientError', (err, socket) => {
    deps.log.debug('bad HTTP from client', { error: String(err) });
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n{"message":"malformed HTTP request"}');
    else socket.destroy();
  });
  return server;
}
