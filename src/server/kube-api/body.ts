/**
 * Request bodies: read with a hard size limit (3 MiB, kube-apiserver's), then decoded by
 * Content-Type into what the apiserver contract expects:
 *  - POST/PUT: an object, from JSON, YAML (one document) or Kubernetes protobuf;
 *  - PATCH: the patch document as text (JSON patch, merge patch, strategic merge patch, or an apply
 *    configuration in YAML/JSON); the apiserver parses it with the patch type;
 *  - DELETE: DeleteOptions, when a body is sent.
 * Malformed bodies are 400 BadRequest, unknown media types 415, oversized bodies 413.
 */
import type http from 'node:http';
import YAML from 'yaml';
import { BerthError } from '../../base/errors.js';
import { decodeProtobufBody } from './protobuf.js';

export const MAX_BODY_BYTES = 3 * 1024 * 1024;
/** Deeper bodies are refused: no Kubernetes object comes close, and recursive code later would overflow the stack. */
export const MAX_BODY_DEPTH = 1000;

export const PATCH_TYPES = [
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
  'application/apply-patch+yaml',
] as const;

const badRequest = (message: string) => new BerthError('InvalidArgument', message);
const unsupported = (message: string) => new BerthError('InvalidArgument', message, { details: { reason: 'UnsupportedMediaType' } });

/** The bare media type of a Content-Type header, lower-cased ("" when absent). */
export function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0]!.trim().toLowerCase();
}

export function tooLarge(limit: number): BerthError {
  return new BerthError('ResourceExhausted', `the request body is larger than the limit of ${limit} bytes`, { details: { reason: 'RequestEntityTooLarge' } });
}

/** Reads the whole body, failing with 413 as soon as it passes `limit` (without buffering more). */
export function readBody(req: http.IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(tooLarge(limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on('data', (c: Buffer) => {
      if (done) return;
      size += c.length;
      if (size > limit) {
        done = true;
        req.pause();
        reject(tooLarge(limit));
        return;
      }
      chunks.push(c);
    });
    req.once('end', () => {
      if (!done) (done = true), resolve(Buffer.concat(chunks));
    });
    req.once('error', (err) => {
      if (!done) (done = true), reject(badRequest(`cannot read the request body: ${err.message}`));
    });
    req.once('aborted', () => {
      if (!done) (done = true), reject(badRequest('the client aborted the request body'));
    });
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw badRequest(`the request body is not valid JSON: ${(err as Error).message}`);
  }
}

function parseYaml(text: string): unknown {
  const docs = YAML.parseAllDocuments(text);
  const list = Array.isArray(docs) ? docs : [docs];
  const real = list.filter((d) => d.contents !== null || d.errors.length > 0);
  if (real.length !== 1) throw badRequest(`the request body must be exactly one YAML document (found ${real.length})`);
  const doc = real[0]!;
  if (doc.errors.length > 0) throw badRequest(`the request body is not valid YAML: ${doc.errors[0]!.message.split('\n')[0]}`);
  try {
    return doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    throw badRequest(`the request body is not valid YAML: ${(err as Error).message}`);
  }
}

/** The nesting depth of a JSON value, measured without recursion (so hostile input cannot overflow the stack here). */
export function jsonDepth(value: unknown, stopAt = Infinity): number {
  let max = 0;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (d > max) max = d;
    if (max > stopAt) return max;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, d + 1]);
  }
  return max;
}

function checkDepth(value: unknown): void {
  if (jsonDepth(value, MAX_BODY_DEPTH) > MAX_BODY_DEPTH) throw badRequest(`the request body is nested more than ${MAX_BODY_DEPTH} levels deep`);
}

function decodeUtf8(raw: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(raw);
  } catch {
    throw badRequest('the request body is not valid UTF-8');
  }
}

/** An object body (POST/PUT/DELETE options) from its bytes. */
export function decodeObject(raw: Buffer, contentType: string | undefined): Record<string, unknown> {
  const type = mediaType(contentType);
  let value: unknown;
  // No Content-Type: kube clients always send one; curl-style callers get JSON.
  if (type === 'application/json' || type === '' || type === '*/*') value = parseJson(decodeUtf8(raw));
  else if (type === 'application/yaml' || type === 'application/x-yaml' || type === 'text/yaml') value = parseYaml(decodeUtf8(raw));
  else if (type === 'application/vnd.kubernetes.protobuf') value = decodeProtobufBody(raw);
  else throw unsupported(`the body media type "${type}" is not supported: use application/json, application/yaml or application/vnd.kubernetes.protobuf`);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw badRequest(`the request body must be an object, not ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}`);
  }
  checkDepth(value);
  return value as Record<string, unknown>;
}

/** A PATCH body: checked media type, UTF-8 text handed on unparsed. */
export function decodePatch(raw: Buffer, contentType: string | undefined): { text: string; contentType: string } {
  const type = mediaType(contentType);
  if (type === 'application/apply-patch+cbor') {
    throw unsupported('apply patches in CBOR (application/apply-patch+cbor) are not supported: send application/apply-patch+yaml');
  }
  if (!(PATCH_TYPES as readonly string[]).includes(type)) {
    throw unsupported(`the patch media type "${type || '(none)'}" is not supported: use one of ${PATCH_TYPES.join(', ')}`);
  }
  if (raw.length === 0) throw badRequest('the patch body is empty');
  const text = decodeUtf8(raw);
  // The apiserver parses the patch; refuse pathological nesting here, before any recursive code sees it.
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    // Apply configurations are YAML (kubectl and helm send JSON, which is YAML too).
    if (type !== 'application/apply-patch+yaml') throw badRequest(`the patch body is not valid JSON: ${(err as Error).message}`);
    parsed = parseYaml(text);
  }
  checkDepth(parsed);
  return { text, contentType: type };
}
