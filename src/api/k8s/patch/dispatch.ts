/**
 * PATCH request bodies by Content-Type, as kube-apiserver accepts them:
 *   application/json-patch+json → RFC 6902, application/merge-patch+json → RFC 7386,
 *   application/strategic-merge-patch+json → strategic merge patch (built-in kinds only),
 *   application/apply-patch+yaml (and +cbor is refused) → server-side apply (see ssa/).
 * Unknown types are 415 UnsupportedMediaType; unparsable bodies are InvalidArgument (400).
 */
import { parse as parseYaml } from 'yaml';
import { BerthError, invalidArgument } from '../../../base/errors.js';
import type { Gvk } from '../types.js';
import { isPlainObject } from '../types.js';
import { applyJsonPatch } from './json-patch.js';
import { applyMergePatch } from './merge-patch.js';
import { applyStrategicMergePatch } from './strategic-merge-patch.js';

export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

const TYPES: Record<string, PatchType> = {
  'application/json-patch+json': 'json',
  'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'strategic',
  'application/apply-patch+yaml': 'apply',
};

export function patchTypeFromContentType(contentType: string | undefined): PatchType {
  const base = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  const t = Object.prototype.hasOwnProperty.call(TYPES, base) ? TYPES[base] : undefined;
  if (t) return t;
  const message = `the body of the request was in an unknown format - accepted media types include: ${Object.keys(TYPES).join(', ')}`;
  throw new BerthError('InvalidArgument', message, {
    details: { status: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: 'UnsupportedMediaType', code: 415 } },
  });
}

/** The patch document: JSON for the three patch types, YAML (a JSON superset) for apply. */
export function parsePatchDocument(body: string | Buffer, type: PatchType): unknown {
  const text = Buffer.isBuffer(body) ? body.toString('utf8') : body;
  let doc: unknown;
  try {
    doc = type === 'apply' ? parseYaml(text, { maxAliasCount: 100 }) : JSON.parse(text);
  } catch (err) {
    throw invalidArgument(`error decoding ${type === 'apply' ? 'YAML' : 'JSON'} patch: ${(err as Error).message.split('\n')[0]}`);
  }
  if (type === 'json' && !Array.isArray(doc)) throw invalidArgument('json patch must be a JSON array of operations');
  if (type !== 'json' && !isPlainObject(doc)) throw invalidArgument(`${type === 'apply' ? 'apply' : type === 'merge' ? 'merge' : 'strategic merge'} patch must be a JSON object`);
  return doc;
}

/** Applies a json, merge or strategic patch (apply patches go through serverSideApply instead). */
export function applyPatch(type: Exclude<PatchType, 'apply'>, live: unknown, patch: unknown, gvk: Gvk): unknown {
  switch (type) {
    case 'json': return applyJsonPatch(live, patch);
    case 'merge': return applyMergePatch(live, patch);
    case 'strategic': return applyStrategicMergePatch(live, patch, gvk);
  }
}
