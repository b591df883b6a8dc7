/** berth's own version, read from package.json (one small file read; no JSON import on the hot path). */
import fs from 'node:fs';

/** Set by the CLI bundle's build (scripts/setup.sh), where import.meta does not exist. */
declare const BERTH_BUNDLED_VERSION: string | undefined;

let cached: string | undefined;

export function berthVersion(): string {
  if (cached) return cached;
  if (typeof BERTH_BUNDLED_VERSION === 'string') return (cached = BERTH_BUNDLED_VERSION);
  try {
    const pkg = JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
    cached = pkg.version ?? '0.0.0';
  } catch {
    cached = '0.0.0';
  }
  return cached;
}
