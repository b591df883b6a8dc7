/**
 * Unknown-field detection for built-in kinds (fieldValidation=Strict|Warn), against the kind's
 * OpenAPI schema from part 3. Without a schema for the kind nothing is reported.
 */
import type { Gvk } from './machinery.js';
import { schemaFor, resolveSchemaRef } from './machinery.js';
import { isPlainObject } from './object-meta.js';

type Schema = Record<string, unknown>;

export function unknownBuiltinFields(gvk: Gvk, obj: unknown): string[] {
  const root = schemaFor(gvk) as Schema | null;
  if (!root) return [];
  const out: string[] = [];
  walk(root, obj, '', out, 0);
  return out;
}

function walk(schemaIn: Schema, value: unknown, path: string, out: string[], depth: number): void {
  if (depth > 64) return;
  const schema = resolve(schemaIn);
  if (!schema) return;
  if (schema['x-kubernetes-preserve-unknown-fields'] === true) return;
  if (isPlainObject(value)) {
    const props = isPlainObject(schema.properties) ? (schema.properties as Record<string, Schema>) : null;
    const additional = isPlainObject(schema.additionalProperties) ? (schema.additionalProperties as Schema) : null;
    if (!props && !additional) return;
    for (const [k, v] of Object.entries(value)) {
      const p = path ? `${path}.${k}` : k;
      if (props && props[k]) walk(props[k]!, v, p, out, depth + 1);
      else if (additional) walk(additional, v, p, out, depth + 1);
      else if (props) out.push(p);
    }
  } else if (Array.isArray(value) && isPlainObject(schema.items)) {
    value.forEach((v, i) => walk(schema.items as Schema, v, `${path}[${i}]`, out, depth + 1));
  }
}

function resolve(s: Schema): Schema | null {
  let cur: Schema | null = s;
  for (let i = 0; i < 8 && cur; i++) {
    if (typeof cur.$ref === 'string') cur = resolveSchemaRef(cur.$ref) as Schema | null;
    else if (Array.isArray(cur.allOf) && cur.allOf.length === 1 && isPlainObject(cur.allOf[0])) cur = cur.allOf[0] as Schema;
    else return cur;
  }
  return cur;
}
