/**
 * The bundled Kubernetes swagger 2.0 spec (see data/README.md), loaded lazily on first use and kept:
 * definitions, paths, and a GVK → definition index. Everything else (SMP, SSA, v3 documents,
 * schemaFor) reads from here.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { Gvk } from '../types.js';
import { applyOverlay } from './overlay.js';
import { dataFilePath } from '../data-file.js';
import type { OpenApiSchema } from './schema.js';
import { getOwn, isPlainObject } from '../types.js';

export type { OpenApiSchema } from './schema.js';

export interface SwaggerSpec {
  swagger: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, any>>;
  definitions: Record<string, OpenApiSchema>;
  security?: unknown;
  securityDefinitions?: unknown;
}

/** The Kubernetes release the bundled schemas come from. */
export const BUNDLED_KUBE_VERSION = 'v1.22.0';

let cached: { spec: SwaggerSpec; byGvk: Map<string, string> } | undefined;

const gvkKey = (g: Gvk) => `${g.group}/${g.version}/${g.kind}`;

/** autoscaling/v2 is autoscaling/v2beta2 renamed (GA in 1.23 with the same schema). */
function deriveAutoscalingV2(spec: SwaggerSpec): void {
  const from = 'io.k8s.api.autoscaling.v2beta2.';
  const to = 'io.k8s.api.autoscaling.v2.';
  const rename = (text: string) => text.split(from).join(to).split('autoscaling/v2beta2').join('autoscaling/v2')
    .split('AutoscalingV2beta2').join('AutoscalingV2').split('autoscaling_v2beta2').join('autoscaling_v2')
    .split('"version":"v2beta2"').join('"version":"v2"');
  for (const [name, def] of Object.entries(spec.definitions)) {
    if (name.startsWith(from)) spec.definitions[to + name.slice(from.length)] = JSON.parse(rename(JSON.stringify(def)));
  }
  for (const [p, item] of Object.entries(spec.paths)) {
    if (p.startsWith('/apis/autoscaling/v2beta2/')) spec.paths[rename(p)] = JSON.parse(rename(JSON.stringify(item)));
  }
}

/** kubectl (client-go's QueryParamVerifier) looks for this parameter on PATCH/POST/PUT to use server-side validation. */
const FIELD_VALIDATION_PARAM = {
  description: 'fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) containing unknown or duplicate fields. Valid values are: - Ignore: This will ignore any unknown fields that are silently dropped from the object, and will ignore all but the last duplicate field that the decoder encounters. - Warn: This will send a warning via the standard warning response header for each unknown field that is dropped from the object, and for each duplicate field that is encountered. - Strict: This will fail the request with a BadRequest error if any unknown fields would be dropped from the object, or if any duplicate fields are present. The error returned from the server will contain all unknown and duplicate fields encountered.',
  in: 'query',
  name: 'fieldValidation',
  type: 'string',
  uniqueItems: true,
};

function addFieldValidation(spec: SwaggerSpec): void {
  for (const item of Object.values(spec.paths)) {
    for (const method of ['post', 'put', 'patch']) {
      const op = item[method];
      if (!op) continue;
      const params: any[] = (op.parameters ??= []);
      if (!params.some((p) => p.name === 'fieldValidation')) params.push({ ...FIELD_VALIDATION_PARAM });
    }
  }
}

function load(): { spec: SwaggerSpec; byGvk: Map<string, string> } {
  if (cached) return cached;
  const raw = gunzipSync(readFileSync(dataFilePath(import.meta.url, './data/swagger-1.22.json.gz')));
  const spec = JSON.parse(raw.toString('utf8')) as SwaggerSpec;
  spec.info = { title: 'Kubernetes', version: BUNDLED_KUBE_VERSION };
  applyOverlay(spec.definitions);
  deriveAutoscalingV2(spec);
  addFieldValidation(spec);
  const byGvk = new Map<string, string>();
  for (const [name, def] of Object.entries(spec.definitions)) {
    for (const g of def['x-kubernetes-group-version-kind'] ?? []) byGvk.set(gvkKey(g), name);
  }
  cached = { spec, byGvk };
  return cached;
}

export function swaggerSpec(): SwaggerSpec {
  return load().spec;
}

/** The definition name (e.g. io.k8s.api.apps.v1.Deployment) of a built-in kind, or undefined. */
export function definitionNameFor(gvk: Gvk): string | undefined {
  return load().byGvk.get(gvkKey(gvk));
}

export function definition(name: string): OpenApiSchema | undefined {
  return getOwn(load().spec.definitions, name) as OpenApiSchema | undefined;
}

/** Follows $ref (v2 "#/definitions/x" or v3 "#/components/schemas/x") and a single-element allOf. */
export function resolveSchema(s: OpenApiSchema | undefined): OpenApiSchema | undefined {
  let cur = s;
  for (let depth = 0; cur && depth < 16; depth++) {
    if (cur.$ref) {
      const name = cur.$ref.replace(/^#\/(definitions|components\/schemas)\//, '');
      const target = definition(name);
      // Keep list/patch extensions written beside the $ref on the referring property.
      cur = target ? { ...target, ...withoutRef(cur) } : undefined;
      continue;
    }
    if (cur.allOf && cur.allOf.length === 1 && !cur.properties && !cur.type) {
      const { allOf, ...rest } = cur;
      cur = { ...allOf[0]!, ...rest };
      continue;
    }
    return cur;
  }
  return cur;
}

function withoutRef(s: OpenApiSchema): OpenApiSchema {
  const { $ref: _r, description: _d, ...rest } = s;
  return rest;
}

/** The schema of property `name` of an object schema (resolved), or undefined. */
export function propertySchema(s: OpenApiSchema | undefined, name: string): OpenApiSchema | undefined {
  const r = resolveSchema(s);
  if (!r) return undefined;
  const p = r.properties ? (getOwn(r.properties, name) as OpenApiSchema | undefined) : undefined;
  if (p) return p;
  if (isPlainObject(r.additionalProperties)) return r.additionalProperties as OpenApiSchema;
  return undefined;
}

/** The schema of the items of an array schema (unresolved; callers resolve when descending). */
export function itemsSchema(s: OpenApiSchema | undefined): OpenApiSchema | undefined {
  return resolveSchema(s)?.items;
}

/** The kind's swagger definition (refs unresolved, "#/definitions/…"), or null for unknown kinds (CRDs). */
export function swaggerSchemaFor(gvk: Gvk): OpenApiSchema | null {
  const name = definitionNameFor(gvk);
  return name ? definition(name) ?? null : null;
}
