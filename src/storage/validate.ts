/**
 * Input checks shared by every backend, so both reject the same bad input with the same error
 * before touching the datastore.
 */
import { BerthError, invalidArgument, resourceExhausted } from '../base/errors.js';

/** Keys are short names (Kubernetes keys are ~100 bytes); 1 KiB leaves room and keeps indexes small. */
export const MAX_KEY_BYTES = 1024;
/**
 * Values up to 1.5 MiB: etcd's default --max-request-bytes is 1.5 MiB for the whole request, so a
 * value this size needs an etcd started with a somewhat larger limit; both backends reject anything
 * larger with ResourceExhausted, so behaviour does not depend on the backend.
 */
export const MAX_VALUE_BYTES = 1536 * 1024;
/** Leases longer than a year are surely a unit mistake (ms for s). */
export const MAX_TTL_SECONDS = 365 * 24 * 3600;

export function checkKey(key: unknown): string {
  if (typeof key !== 'string' || key.length === 0) throw invalidArgument('storage key must be a non-empty string');
  // A lone surrogate would silently become U+FFFD in UTF-8: a different key than the caller named.
  if (!(key as string & { isWellFormed(): boolean }).isWellFormed()) throw invalidArgument(`storage key "${key}" is not well-formed Unicode`);
  const n = Buffer.byteLength(key, 'utf8');
  if (n > MAX_KEY_BYTES) throw resourceExhausted(`storage key "${key.slice(0, 64)}…" is ${n} bytes; the limit is ${MAX_KEY_BYTES}`);
  return key;
}

/** Prefixes may be empty (everything) but are otherwise keys. */
export function checkPrefix(prefix: unknown): string {
  if (typeof prefix !== 'string') throw invalidArgument('storage prefix must be a string');
  return prefix === '' ? prefix : checkKey(prefix);
}

export function toValue(key: string, value: unknown): Buffer {
  let buf: Buffer;
  if (Buffer.isBuffer(value)) buf = value;
  else if (typeof value === 'string') buf = Buffer.from(value, 'utf8');
  else throw invalidArgument(`value for storage key "${key}" must be a Buffer or a string`);
  if (buf.length > MAX_VALUE_BYTES) {
    throw resourceExhausted(`value for storage key "${key}" is ${buf.length} bytes; the limit is ${MAX_VALUE_BYTES}`);
  }
  return buf;
}

/** A revision argument: a non-negative safe integer. */
export function checkRevision(what: string, rev: unknown): number {
  if (typeof rev !== 'number' || !Number.isSafeInteger(rev) || rev < 0) {
    throw invalidArgument(`${what} must be a non-negative integer revision, got ${String(rev)}`);
  }
  return rev;
}

export function checkLimit(limit: unknown): number {
  if (limit === undefined) return 0;
  if (typeof limit !== 'number' || !Number.isSafeInteger(limit) || limit < 0) {
    throw invalidArgument(`list limit must be a non-negative integer, got ${String(limit)}`);
  }
  return limit;
}

export function checkTtl(key: string, ttl: unknown): number {
  if (ttl === undefined) return 0;
  if (typeof ttl !== 'number' || !Number.isSafeInteger(ttl) || ttl < 1 || ttl > MAX_TTL_SECONDS) {
    throw invalidArgument(`ttlSeconds for storage key "${key}" must be a whole number of seconds from 1 to ${MAX_TTL_SECONDS}, got ${String(ttl)}`);
  }
  return ttl;
}

/**
 * The first byte string after every string starting with prefix (etcd's "range end"), or null if
 * there is none (prefix empty or all 0xff bytes): then the range is open-ended.
 */
export function prefixEnd(prefix: Buffer): Buffer | null {
  const end = Buffer.from(prefix);
  for (let i = end.length - 1; i >= 0; i--) {
    if (end[i]! < 0xff) {
      end[i] = end[i]! + 1;
      return end.subarray(0, i + 1);
    }
  }
  return null;
}

/** The range start for a paged list: strictly after continueFrom (which must lie under prefix). */
export function listStart(prefix: string, continueFrom: string | undefined): Buffer {
  const p = Buffer.from(prefix, 'utf8');
  if (continueFrom === undefined) return p;
  checkKey(continueFrom);
  if (!continueFrom.startsWith(prefix)) {
    throw invalidArgument(`continueFrom "${continueFrom}" does not lie under the listed prefix "${prefix}"`);
  }
  return Buffer.concat([Buffer.from(continueFrom, 'utf8'), Buffer.from([0])]);
}

export function closedError(what: string): BerthError {
  return new BerthError('FailedPrecondition', `${what} is closed`);
}
