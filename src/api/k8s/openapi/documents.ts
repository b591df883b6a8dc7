/**
 * The OpenAPI documents the API server serves, built from the bundled spec (spec.ts):
 *  - GET /openapi/v2            → openapiV2(): swagger 2.0, as kube-apiserver serves it;
 *  - GET /openapi/v3            → openapiV3Index(): {paths: {"apis/apps/v1": {serverRelativeURL: "/openapi/v3/apis/apps/v1?hash=…"}}};
 *  - GET /openapi/v3/<gv path>  → openapiV3GroupVersion("apis/apps/v1" | "apps/v1" | "api/v1" | "v1"): OpenAPI 3.0 with
 *    the group-version's paths (PATCH operations carry x-kubernetes-group-version-kind and the
 *    fieldValidation parameter kubectl looks for) and every schema they reach in components.schemas.
 * Documents are built on first request and cached. The hash is derived from the bundled spec's bytes
 * and this module's format version, so it changes exactly when the content can.
 */
import { createHash } from 'node:crypto';
import { swaggerSpec, definitionNameFor, definition, type OpenApiSchema } from './spec.js';
import type { Gvk } from '../types.js';
import { isPlainObject } from '../types.js';

const FORMAT_VERSION = '1';

export function openapiV2(): object {
  return swaggerSpec();
}

/** "apis/apps/v1", "apps/v1", "api/v1" or "v1" → the URL path prefix "/apis/apps/v1" or "/api/v1". */
function gvPrefix(gv: string): string | null {
  const clean = gv.replace(/^\/+|\/+$/g, '');
  if (clean === 'api/v1' || clean === 'v1') return '/api/v1';
  const m = /^(?:apis\/)?([a-z0-9.-]+)\/([a-z0-9]+)$/.exec(clean);
  return m ? `/apis/${m[1]}/${m[2]}` : null;
}

let groupVersions: string[] | undefined;
/** Every group-version the bundled spec has paths for, as index keys ("api/v1", "apis/apps/v1", …). */
export function builtinGroupVersionPaths(): string[] {
  if (groupVersions) return groupVersions;
  const set = new Set<string>();
  for (const p of Object.keys(swaggerSpec().paths)) {
    const core = /^\/api\/v1\//.exec(p);
    if (core) { set.add('api/v1'); continue; }
    const m = /^\/apis\/([^/]+)\/([^/]+)\//.exec(p);
    if (m) set.add(`apis/${m[1]}/${m[2]}`);
  }
  groupVersions = [...set].sort();
  return groupVersions;
}

let specHash: string | undefined;
function hashFor(gvPath: string): string {
  specHash ??= createHash('sha512').update(JSON.stringify(swaggerSpec().info)).update(String(Object.keys(swaggerSpec().definitions).length)).digest('hex');
  return createHash('sha512').update(`${FORMAT_VERSION}\n${specHash}\n${gvPath}`).digest('hex').toUpperCase();
}

/** Extra group-versions (custom resources) the caller serves itself, with the hash of their document. */
export interface ExtraGroupVersion { gvPath: string; hash: string }

export function openapiV3Index(extra: ExtraGroupVersion[] = []): object {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const gv of builtinGroupVersionPaths()) paths[gv] = { serverRelativeURL: `/openapi/v3/${gv}?hash=${hashFor(gv)}` };
  for (const e of extra) paths[e.gvPath] = { serverRelativeURL: `/openapi/v3/${e.gvPath}?hash=${e.hash}` };
  return { paths };
}

const v3Cache = new Map<string, object>();

export function openapiV3GroupVersion(gv: string): object | null {
  const prefix = gvPrefix(gv);
  if (!prefix) return null;
  const cached = v3Cache.get(prefix);
  if (cached) return cached;
  const spec = swaggerSpec();
  const paths: Record<string, unknown> = {};
  const refs = new Set<string>();
  for (const [p, item] of Object.entries(spec.paths)) {
    if (p !== `${prefix}/` && !p.startsWith(`${prefix}/`)) continue;
    paths[p] = convertPathItem(item, refs);
  }
  if (Object.keys(paths).length === 0) return null;
  const doc = {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: spec.info.version },
    paths,
    components: { schemas: closureOfSchemas(refs), securitySchemes: { BearerToken: { type: 'apiKey', description: 'Bearer Token authentication', name: 'authorization', in: 'header' } } },
    security: [{ BearerToken: [] }],
  };
  v3Cache.set(prefix, doc);
  return doc;
}

/** The OpenAPI v3 schema of a built-in kind (refs as "#/components/schemas/…"), or null (custom resources). */
export function schemaFor(gvk: Gvk): object | null {
  const name = definitionNameFor(gvk);
  const def = name ? definition(name) : undefined;
  return def ? (toV3Schema(def, new Set()) as object) : null;
}

/** Rewrites a v2 schema for v3: refs move to components, a $ref with siblings becomes allOf (as kube writes v3). */
function toV3Schema(s: unknown, refs: Set<string>): unknown {
  if (Array.isArray(s)) return s.map((x) => toV3Schema(x, refs));
  if (!isPlainObject(s)) return s;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(s)) {
    if (k === '$ref' && typeof v === 'string') continue;
    out[k] = toV3Schema(v, refs);
  }
  const ref = s.$ref;
  if (typeof ref === 'string') {
    const name = ref.replace(/^#\/definitions\//, '');
    refs.add(name);
    const target = `#/components/schemas/${name}`;
    if (Object.keys(out).length === 0) return { $ref: target };
    return { allOf: [{ $ref: target }], ...out };
  }
  return out;
}

function closureOfSchemas(start: Set<string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const queue = [...start];
  while (queue.length > 0) {
    const name = queue.pop()!;
    if (name in out) continue;
    const def = definition(name);
    if (!def) continue;
    const found = new Set<string>();
    out[name] = toV3Schema(def, found);
    for (const f of found) if (!(f in out)) queue.push(f);
  }
  return Object.fromEntries(Object.keys(out).sort().map((k) => [k, out[k]]));
}

function convertParam(p: any, refs: Set<string>): any {
  const { type, uniqueItems, items, format, ...rest } = p;
  const schema: Record<string, unknown> = {};
  if (type) schema.type = type;
  if (format) schema.format = format;
  if (uniqueItems) schema.uniqueItems = uniqueItems;
  if (items) schema.items = toV3Schema(items, refs);
  return { ...rest, schema };
}

function convertPathItem(item: Record<string, any>, refs: Set<string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [method, op] of Object.entries(item)) {
    if (method === 'parameters') { out.parameters = (op as any[]).map((p) => convertParam(p, refs)); continue; }
    if (!isPlainObject(op)) continue;
    const { parameters = [], consumes = ['*/*'], produces = ['application/json'], responses = {}, schemes: _schemes, ...rest } = op as any;
    const conv: Record<string, unknown> = { ...rest };
    const params: any[] = [];
    for (const p of parameters as any[]) {
      if (p.in === 'body') {
        conv.requestBody = {
          content: Object.fromEntries((consumes as string[]).map((c) => [c, { schema: toV3Schema(p.schema, refs) }])),
          required: !!p.required,
        };
      } else {
        params.push(convertParam(p, refs));
      }
    }
    if (params.length > 0) conv.parameters = params;
    conv.responses = Object.fromEntries(Object.entries(responses as Record<string, any>).map(([code, r]) => [code, {
      description: r.description ?? '',
      ...(r.schema ? { content: Object.fromEntries((produces as string[]).map((c) => [c, { schema: toV3Schema(r.schema, refs) }])) } : {}),
    }]));
    out[method] = conv;
  }
  return out;
}

/**
 * A v3 document for a custom resource's group-version (CRDs), shaped like the built-in ones so kubectl
 * explain and its field-validation probe work: one path per resource with GET/PUT/PATCH/DELETE carrying
 * the GVK, and the given schemas (structural schemas from the CRD) under components.schemas.
 */
export function customGroupVersionDocument(group: string, version: string, resources: Array<{ kind: string; plural: string; namespaced: boolean; schema?: OpenApiSchema }>): { document: object; hash: string } {
  const paths: Record<string, unknown> = {};
  const schemas: Record<string, unknown> = {};
  const rev = group.split('.').reverse().join('.');
  for (const r of resources) {
    const gvk = { group, version, kind: r.kind };
    const name = `${rev}.${version}.${r.kind}`;
    schemas[name] = { ...(r.schema ?? { type: 'object', 'x-kubernetes-preserve-unknown-fields': true }), 'x-kubernetes-group-version-kind': [gvk] };
    const base = r.namespaced ? `/apis/${group}/${version}/namespaces/{namespace}/${r.plural}` : `/apis/${group}/${version}/${r.plural}`;
    const ref = { $ref: `#/components/schemas/${name}` };
    const op = (action: string, extra: Record<string, unknown> = {}) => ({
      'x-kubernetes-action': action, 'x-kubernetes-group-version-kind': gvk,
      responses: { 200: { description: 'OK', content: { 'application/json': { schema: ref } } } }, ...extra,
    });
    const fv = [{ name: 'fieldValidation', in: 'query', schema: { type: 'string', uniqueItems: true } }];
    paths[`${base}/{name}`] = {
      get: op('get'),
      put: op('put', { parameters: fv, requestBody: { content: { '*/*': { schema: ref } }, required: true } }),
      patch: op('patch', { parameters: fv, requestBody: { content: Object.fromEntries(['application/json-patch+json', 'application/merge-patch+json', 'application/apply-patch+yaml'].map((c) => [c, { schema: { type: 'object' } }])), required: true } }),
      delete: op('delete'),
      parameters: [{ name: 'name', in: 'path', required: true, schema: { type: 'string', uniqueItems: true } }, ...(r.namespaced ? [{ name: 'namespace', in: 'path', required: true, schema: { type: 'string', uniqueItems: true } }] : [])],
    };
    paths[base] = { get: op('list'), post: op('post', { parameters: fv, requestBody: { content: { '*/*': { schema: ref } }, required: true } }) };
  }
  const document = { openapi: '3.0.0', info: { title: 'Kubernetes CRD Swagger', version: 'v0.1.0' }, paths, components: { schemas } };
  return { document, hash: createHash('sha512').update(JSON.stringify(document)).digest('hex').toUpperCase() };
}
