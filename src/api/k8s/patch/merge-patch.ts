/**
 * RFC 7386 JSON Merge Patch: objects merge recursively, `null` deletes, anything else (arrays
 * included) replaces. The inputs are never mutated.
 */
import { cloneJson, getOwn, isPlainObject, setOwn } from '../types.js';

export function applyMergePatch(doc: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return cloneJson(patch);
  const out: Record<string, unknown> = isPlainObject(doc) ? cloneJson(doc) : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else setOwn(out, k, applyMergePatch(getOwn(out, k), v));
  }
  return out;
}

/** The merge patch that turns `from` into `to` (used for dry comparisons and tests). */
export function createMergePatch(from: unknown, to: unknown): unknown {
  if (!isPlainObject(from) || !isPlainObject(to)) return cloneJson(to);
  const out: Record<string, unknown> = {};
  const has = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);
  for (const k of Object.keys(from)) if (!has(to, k)) setOwn(out, k, null);
  for (const [k, v] of Object.entries(to)) {
    const fk = getOwn(from, k);
    if (!has(from, k)) setOwn(out, k, cloneJson(v));
    else if (JSON.stringify(fk) !== JSON.stringify(v)) {
      setOwn(out, k, isPlainObject(v) && isPlainObject(fk) ? createMergePatch(fk, v) : cloneJson(v));
    }
  }
  return out;
}
