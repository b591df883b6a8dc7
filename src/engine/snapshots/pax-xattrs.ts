/**
 * tar-stream decodes PAX records as UTF-8, which mangles binary xattr values (security.capability
 * is a binary struct). We wrap its PAX decoder once so that, besides the usual records, each
 * `SCHILY.xattr.<name>` also appears under `RAW_XATTR_PREFIX + <name>` as a latin1 string, which
 * round-trips the exact bytes. Additive only: other users of tar-stream see the same records as
 * before plus these extra keys.
 */
import { createRequire } from 'node:module';
import path from 'node:path';

export const RAW_XATTR_PREFIX = '\u0000berth-raw-xattr:';
const XATTR_PREFIX = 'SCHILY.xattr.';

type DecodePax = (buf: Buffer) => Record<string, string>;
let installed = false;

export function installBinaryXattrDecoding(): void {
  if (installed) return;
  installed = true;
  const require = createRequire(import.meta.url);
  const headers = require(path.join(path.dirname(require.resolve('tar-stream')), 'headers.js')) as { decodePax: DecodePax };
  const original = headers.decodePax;
  headers.decodePax = (buf: Buffer) => {
    const result = original(buf);
    let rest = buf;
    while (rest.length) {
      const space = rest.indexOf(32);
      if (space <= 0) break;
      const len = parseInt(rest.subarray(0, space).toString('latin1'), 10);
      if (!len || len > rest.length) break;
      const record = rest.subarray(space + 1, len - 1);
      const eq = record.indexOf(61); // '='
      if (eq > 0) {
        const key = record.subarray(0, eq).toString('utf8');
        if (key.startsWith(XATTR_PREFIX)) result[RAW_XATTR_PREFIX + key.slice(XATTR_PREFIX.length)] = record.subarray(eq + 1).toString('latin1');
      }
      rest = rest.subarray(len);
    }
    return result;
  };
}

/** The xattrs of an entry as exact bytes. */
export function entryXattrs(pax: Record<string, string> | undefined | null): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  if (!pax) return out;
  for (const [k, v] of Object.entries(pax)) {
    if (k.startsWith(RAW_XATTR_PREFIX)) out.set(k.slice(RAW_XATTR_PREFIX.length), Buffer.from(v, 'latin1'));
  }
  return out;
}
