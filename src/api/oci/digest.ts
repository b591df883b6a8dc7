/**
 * Digests (`algorithm:hex`). berth stores and computes sha256 only; other algorithms are
 * recognised syntactically so they can be refused with a clear message.
 */
import { createHash } from 'node:crypto';
import { invalidArgument, notImplemented } from '../../base/errors.js';

export const sha256Pattern = /^sha256:[a-f0-9]{64}$/;
const anyDigestPattern = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;

export function isSha256Digest(d: string): boolean {
  return sha256Pattern.test(d);
}

/** Throws InvalidArgument for malformed digests and NotImplemented for non-sha256 ones. */
export function assertSha256Digest(d: unknown, what = 'digest'): asserts d is string {
  if (typeof d !== 'string' || !anyDigestPattern.test(d)) throw invalidArgument(`${what} ${JSON.stringify(d)} is not a valid digest`);
  if (!d.startsWith('sha256:')) throw notImplemented(`${what} "${d}": only sha256 digests are supported`);
  if (!sha256Pattern.test(d)) throw invalidArgument(`${what} "${d}" is not a valid sha256 digest`);
}

export function sha256Of(data: Buffer | string): string {
  return 'sha256:' + createHash('sha256').update(data).digest('hex');
}

/** The hex part of a sha256 digest (`sha256:abc` → `abc`). */
export function digestHex(d: string): string {
  return d.startsWith('sha256:') ? d.slice(7) : d;
}
