/**
 * Reads the request body of a hijacked request (exec start sends JSON with Content-Length along
 * with `Upgrade: tcp`): the first bytes may already sit in Node's `head` buffer, the rest on the
 * socket. Bytes past the body are put back for the stream that follows.
 */
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { invalidArgument, resourceExhausted } from '../../base/errors.js';
import { MAX_JSON_BODY } from './body.js';

export function readHijackBody(req: http.IncomingMessage, socket: Duplex, head: Buffer, limit = MAX_JSON_BODY): Promise<Buffer> {
  if (req.headers['transfer-encoding']) return Promise.reject(invalidArgument('chunked bodies are not supported on hijacked requests: send Content-Length'));
  const length = Number(req.headers['content-length'] ?? 0);
  if (!Number.isSafeInteger(length) || length < 0) return Promise.reject(invalidArgument('invalid Content-Length'));
  if (length > limit) return Promise.reject(resourceExhausted(`request body of ${length} bytes is larger than the ${limit}-byte limit`));
  if (head.length >= length) {
    if (head.length > length) socket.unshift(head.subarray(length));
    return Promise.resolve(head.subarray(0, length));
  }
  return new Promise((resolve, reject) => {
    let buf = head;
    const cleanup = () => {
      socket.off('data', onData);
      socket.off('end', onEnd);
      socket.off('error', onEnd);
    };
    const onData = (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      if (buf.length < length) return;
      cleanup();
      socket.pause();
      if (buf.length > length) socket.unshift(buf.subarray(length));
      resolve(buf.subarray(0, length));
    };
    const onEnd = () => {
      cleanup();
      reject(invalidArgument('connection closed before the request body was complete'));
    };
    socket.on('data', onData);
    socket.once('end', onEnd);
    socket.once('error', onEnd);
  });
}
