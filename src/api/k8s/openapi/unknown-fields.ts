/**
 * Fields an object sets that its schema does not declare — what `fieldValidation=Strict` rejects
 * ("strict decoding error: unknown field \"spec.foo\"") and `Warn` reports. Objects whose schema
 * preserves unknown fields (RawExtension, x-kubernetes-preserve-unknown-fields, untyped) are not
 * descended into; maps (additionalProperties) check their values.
 */
import { resolveSchema, swaggerSchemaFor } from './spec.js';
import type { OpenApiSchema } from './schema.js';
import type { Gvk } from '../types.js';
import { getOwn, isPlainObject } from '../types.js';

/** Paths (kube's format: spec.template.spec.containers[0].foo) of undeclared fields, in document order. */
export function findUnknownFields(obj: unknown, schemaOrGvk: OpenApiSchema | Gvk | null): string[] {
  const schema = schemaOrGvk && 'kind' in schemaOrGvk && 'version' in schemaOrGvk && !('type' in schemaOrGvk) && !('properties' in schemaOrGvk)
    ? swaggerSchemaFor(schemaOrGvk as Gvk)
    : (schemaOrGvk as OpenApiSchema | null);
  const out: string[] = [];
  if (schema) walk(obj, schema, '', out);
  return out;
}

function walk(v: unknown, s: OpenApiSchema | undefined, path: string, out: string[]): void {
  const r = s ? resolveSchema(s) : undefined;
  if (!r || r['x-kubernetes-preserve-unknown-fields'] || r['x-kubernetes-int-or-string']) return;
  if (Array.isArray(v)) {
    if (r.items) v.forEach((e, i) => walk(e, r.items, `${path}[${i}]`, out));
    return;
  }
  if (!isPlainObject(v)) return;
  if (r.properties) {
    for (const [k, x] of Object.entries(v)) {
      const p = path ? `${path}.${k}` : k;
      const child = getOwn(r.properties, k) as OpenApiSchema | undefined;
      if (child) walk(x, child, p, out);
      else if (isPlainObject(r.additionalProperties)) walk(x, r.additionalProperties, p, out);
      else if (r.additionalProperties !== true) out.push(p);
    }
    return;
  }
  if (isPlainObject(r.additionalProperties)) {
    for (const [k, x] of Object.entries(v)) walk(x, r.additionalProperties as OpenApiSchema, path ? `${path}.${k}` : k, out);
  }
}

/** kube's 400 message for fieldValidation=Strict: strict decoding error: unknown field "spec.foo", unknown field "x" */
export function strictDecodingMessage(unknownPaths: string[]): string {
  return `strict decoding error: ${unknownPaths.map((p) => `unknown field "${p}"`).join(', ')}`;
}
