/** Small readers for cgroup interface files: missing files read as absent, never as a crash. */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';

export async function readText(dir: string, file: string): Promise<string | undefined> {
  try {
    return await fsp.readFile(path.join(dir, file), 'utf8');
  } catch {
    return undefined;
  }
}

export function readTextSync(dir: string, file: string): string | undefined {
  try {
    return fs.readFileSync(path.join(dir, file), 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * A single number; "max" (v2 unlimited) and values beyond JS's safe integers (v1's unlimited
 * 9223372036854771712) come back as Infinity so callers can substitute a meaningful bound.
 */
export function parseNumber(text: string | undefined): number | undefined {
  const t = text?.trim();
  if (t === undefined || t === '') return undefined;
  if (t === 'max') return Infinity;
  if (!/^-?\d+$/.test(t)) return undefined;
  const big = BigInt(t);
  return big > BigInt(Number.MAX_SAFE_INTEGER) ? Infinity : Number(big);
}

/** "key value" lines (memory.stat, cpu.stat, memory.events, memory.oom_control). */
export function parseKeyValues(text: string | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of (text ?? '').split('\n')) {
    const [k, v] = line.trim().split(/\s+/);
    if (!k || v === undefined) continue;
    const n = parseNumber(v);
    if (n !== undefined) out[k] = n;
  }
  return out;
}
