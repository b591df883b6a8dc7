/**
 * Unknown-field detection for built-in kinds (fieldValidation=Strict|Warn), walking the object
 * against the kind's OpenAPI schema from part 3. Kinds without a schema report nothing.
 */
import type { Gvk, OpenApiSchema } from './machinery.js';
import { itemsSchema, propertySchema, resolveSchema, swaggerSchemaFor } from './machinery.js';
import { isPlainObject } from './object-meta.js';

export function unknownBuiltinFields(gvk: Gvk, obj: unknown): string[] {
  const root = swaggerSchemaFor(gvk);
  if (!root) return [];
  const out: string[] = [];
  walk(root, obj, '', out, 0);
  return out;
}

function walk(schema: OpenApiSchema | undefined, value: unknown, path: string, out: string[], depth: number): void {
  const s = resolveSchema(schema);
  if (!s || depth > 64) return;
  if ((s as Record<string, unknown>)['x-kubernetes-preserve-unknown-fields'] === true) return;
  if (isPlainObject(value)) {
    const hasProps = !!s.properties && Object.keys(s.properties).length > 0;
    const additional = isPlainObject(s.additionalProperties);
    if (!hasProps && !additional) return;
    for (const [k, v] of Object.entries(value)) {
      const p = path ? `${path}.${k}` : k;
      const child = propertySchema(s, k);
      if (child) walk(child, v, p, out, depth + 1);
      else out.push(p);
    }
  } else if (Array.isArray(value)) {
    const items = itemsSchema(s);
    if (items) value.forEach((v, i) => walk(items, v, `${path}[${i}]`, out, depth + 1));
  }
}
