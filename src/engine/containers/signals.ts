/** Signal names and numbers as users give them: "KILL", "SIGKILL", "sigterm", "9". */
import os from 'node:os';
import { invalidArgument } from '../../base/errors.js';

const table = os.constants.signals as Record<string, number>;

export function parseSignal(input: string | undefined, fallback = 'SIGKILL'): number {
  const raw = (input ?? '').trim() || fallback;
  if (/^\d+$/.test(raw)) {
    const n = Number(raw);
    if (n >= 1 && n <= 64) return n;
    throw invalidArgument(`invalid signal "${raw}"`);
  }
  const upper = raw.toUpperCase();
  const name = upper.startsWith('SIG') ? upper : `SIG${upper}`;
  const n = table[name];
  if (n === undefined) throw invalidArgument(`invalid signal "${raw}"`);
  return n;
}
