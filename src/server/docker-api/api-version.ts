/**
 * Docker API version prefixes: clients call `/v1.50/containers/json` (or unprefixed paths, meaning
 * the server's version). berth advertises 1.51 and accepts 1.24 … 1.51.
 */
import { invalidArgument } from '../../base/errors.js';

export const API_VERSION = '1.51';
export const MIN_API_VERSION = '1.24';

function cmp(a: string, b: string): number {
  const [am, an] = a.split('.').map(Number);
  const [bm, bn] = b.split('.').map(Number);
  return am! - bm! || an! - bn!;
}

/** Returns the path without its `/vX.Y` prefix; rejects versions outside the supported range. */
export function stripVersion(path: string): string {
  const m = /^\/v(\d+\.\d+)(\/.*)?$/.exec(path);
  if (!m) return path;
  const v = m[1]!;
  if (cmp(v, MIN_API_VERSION) < 0) throw invalidArgument(`client version ${v} is too old. Minimum supported API version is ${MIN_API_VERSION}, please upgrade your client to a newer version`);
  if (cmp(v, API_VERSION) > 0) throw invalidArgument(`client version ${v} is too new. Maximum supported API version is ${API_VERSION}`);
  return m[2] ?? '/';
}
