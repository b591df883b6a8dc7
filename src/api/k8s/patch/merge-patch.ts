/**
 * RFC 7386 JSON Merge Patch: objects merge recursively, `null` deletes, anything else (arrays
 * included) replaces. The inputs are never mutated.
 */
import { cloneJson, isPlainObject } from '../types.js';

export function applyMergePatch(doc: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return cloneJson(patch);
  const out: Record<string, unknown> = isPlainObject(doc) ? cloneJson(doc) : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = applyMergePatch(out[k], v);
  }
  return out;
}

/** The merge patch that turns `from` into `to` (used for dry comparisons and tests). */
export function createMergePatch(from: unknown, to: unknown): unknown {
  if (!isPlainObject(from) || !isPlainObject(to)) return cloneJson(to);
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(from)) if (!(k in to)) out[k] = null;
  for (const [k, v] of Object.entries(to)) {
    if (!(k in from)) out[k] = cloneJson(v);
    else if (JSON.stringify(from[k]) !== JSON.stringify(v)) {
      out[k] = isPlainObject(v) && isPlainObject(from[k]) ? createMergePatch(from[k], v) : cloneJson(v);
    }
  }
  return out;
}
