/**
 * Small typed readers for untrusted JSON: each names the offending field in its InvalidArgument
 * error, so a bad request says exactly what was wrong and nothing downstream sees a bad value.
 */
import { invalidArgument } from '../../base/errors.js';

export type Json = Record<string, unknown>;

export function asObject(v: unknown, field: string): Json {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw invalidArgument(`${field} must be a JSON object`);
  return v as Json;
}

export function optObject(v: unknown, field: string): Json | undefined {
  return v === undefined || v === null ? undefined : asObject(v, field);
}

export function optString(v: unknown, field: string): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw invalidArgument(`${field} must be a string`);
  return v;
}

export function optBool(v: unknown, field: string): boolean | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw invalidArgument(`${field} must be a boolean`);
  return v;
}

export function optInt(v: unknown, field: string, min = -Infinity): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw invalidArgument(`${field} must be an integer`);
  if (v < min) throw invalidArgument(`${field} must be at least ${min}, got ${v}`);
  return v;
}

export function optStringArray(v: unknown, field: string): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || v.some((s) => typeof s !== 'string')) throw invalidArgument(`${field} must be an array of strings`);
  return v as string[];
}

/** Docker accepts Cmd/Entrypoint as a string too (meaning one element). */
export function optCommand(v: unknown, field: string): string[] | undefined {
  if (typeof v === 'string') return [v];
  return optStringArray(v, field);
}

export function optStringMap(v: unknown, field: string): Record<string, string> | undefined {
  const o = optObject(v, field);
  if (!o) return undefined;
  for (const [k, val] of Object.entries(o)) if (typeof val !== 'string') throw invalidArgument(`${field}.${k} must be a string`);
  return o as Record<string, string>;
}

/** Query-string booleans as Docker reads them: "1", "true", "True" are true; "", "0", "false" false. */
export function queryBool(v: string | null | undefined, fallback = false): boolean {
  if (v === null || v === undefined || v === '') return fallback;
  const s = v.toLowerCase();
  if (s === '1' || s === 'true') return true;
  if (s === '0' || s === 'false') return false;
  throw invalidArgument(`invalid boolean value "${v}" in query`);
}

export function queryInt(v: string | null | undefined, field: string, fallback?: number): number | undefined {
  if (v === null || v === undefined || v === '') return fallback;
  if (!/^-?\d+$/.test(v)) throw invalidArgument(`${field} must be an integer, got "${v}"`);
  return Number(v);
}

/** A ConsoleSize: [rows, cols]; [0, 0] (the client has no terminal) means unset. */
export function optConsoleSize(v: unknown, field: string): [number, number] | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || v.length !== 2 || !v.every((n) => Number.isSafeInteger(n) && n >= 0 && n <= 65535)) {
    throw invalidArgument(`${field} must be [height, width]`);
  }
  return v[0] > 0 && v[1] > 0 ? [v[0], v[1]] : undefined;
}
