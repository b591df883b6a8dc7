/**
 * The one place BerthError codes become Docker HTTP statuses. Bodies are `{"message": …}`, which
 * the docker CLI prints as `Error response from daemon: <message>`.
 */
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { dockerNotFoundMessage } from '../../api/docker/not-found-message.js';
import { asBerthError, type BerthError, type ErrorCode } from '../../base/errors.js';
import type { Logger } from './logger.js';

const STATUS: Record<ErrorCode, number> = {
  NotFound: 404,
  AlreadyExists: 409,
  Conflict: 409,
  FailedPrecondition: 409,
  InvalidArgument: 400,
  NotImplemented: 501,
  ResourceExhausted: 413,
  Unavailable: 503,
  PermissionDenied: 403,
  Unauthenticated: 401,
  Gone: 410,
  Internal: 500,
};

export function httpStatus(err: BerthError): number {
  return STATUS[err.code];
}

function describe(err: unknown, log: Logger, where: string): { status: number; body: string } {
  const e = asBerthError(err);
  const status = httpStatus(e);
  if (status >= 500 && status !== 501) log.error(`${where}: ${e.message}`, { code: e.code, stack: (e.cause as Error | undefined)?.stack ?? e.stack });
  else log.debug(`${where}: ${e.message}`, { code: e.code });
  const message = e.code === 'NotFound' ? dockerNotFoundMessage(e.message) : e.message;
  return { status, body: JSON.stringify({ message }) };
}

/** Answers a request with the error; if a stream already began, ends it (the status is gone). */
export function sendError(res: http.ServerResponse, err: unknown, log: Logger, where: string): void {
  const { status, body } = describe(err, log, where);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

/** The same for a hijack request, before the 101 was written: a plain HTTP/1.1 response on the socket. */
export function sendRawError(socket: Duplex, err: unknown, log: Logger, where: string): void {
  const { status, body } = describe(err, log, where);
  if (socket.destroyed) return;
  socket.end(`HTTP/1.1 ${status} Error\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}
