/**
 * Validates a tar entry name (or hardlink target) and splits it into path components.
 * Decision: absolute names are refused (Docker strips the leading `/`; a layer made by a sane
 * tool never has them, so one that does is treated as hostile). `./` prefixes are normal.
 */
import { invalidArgument } from '../../base/errors.js';

export function entryComponents(name: string, maxPathBytes: number, what = 'entry'): string[] {
  const shown = JSON.stringify(name.length > 200 ? name.slice(0, 200) + '…' : name);
  if (name.includes('\0')) throw invalidArgument(`layer ${what} ${shown} contains a NUL byte`);
  if (Buffer.byteLength(name) > maxPathBytes) throw invalidArgument(`layer ${what} ${shown} is longer than ${maxPathBytes} bytes`);
  if (name.startsWith('/')) throw invalidArgument(`layer ${what} ${shown} is an absolute path`);
  const parts = name.split('/').filter((p) => p !== '' && p !== '.');
  for (const p of parts) {
    if (p === '..') throw invalidArgument(`layer ${what} ${shown} contains a ".." component`);
    if (Buffer.byteLength(p) > 255) throw invalidArgument(`layer ${what} ${shown} has a component longer than 255 bytes`);
  }
  return parts;
}
