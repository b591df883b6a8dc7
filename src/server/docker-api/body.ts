/** Request bodies: JSON capped in size (413 beyond), malformed JSON → 400. */
import type http from 'node:http';
import { invalidArgument, resourceExhausted } from '../../base/errors.js';

export const MAX_JSON_BODY = 1024 * 1024;

export async function readBody(req: http.IncomingMessage, limit = MAX_JSON_BODY): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) {
    req.resume(); // drain so the connection can answer
    throw resourceExhausted(`request body of ${declared} bytes is larger than the ${limit}-byte limit`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      req.resume();
      throw resourceExhausted(`request body is larger than the ${limit}-byte limit`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

export function parseJson(buf: Buffer, what = 'request body'): unknown {
  if (buf.length === 0) return undefined;
  try {
    return JSON.parse(buf.toString('utf8'));
  } catch (err) {
    throw invalidArgument(`${what} is not valid JSON: ${(err as Error).message}`);
  }
}

/** Reads a JSON body; an empty body gives `fallback`. */
export async function readJson(req: http.IncomingMessage, fallback: unknown = undefined): Promise<unknown> {
  const parsed = parseJson(await readBody(req));
  return parsed === undefined ? fallback : parsed;
}
