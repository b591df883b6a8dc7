/**
 * /openapi/v2 and /openapi/v3 from part 3's documents, with CRD group-versions added to the v3
 * index and served as their own documents (schemas tagged with x-kubernetes-group-version-kind and
 * PATCH operations declaring fieldValidation, which is what kubectl apply/explain look for).
 */
import { createHash } from 'node:crypto';
import type { ResourceRegistry } from './registry.js';
import { openapiV2, openapiV3GroupVersion, openapiV3Index } from './machinery.js';

const hash = (o: unknown) => createHash('sha512').update(JSON.stringify(o)).digest('hex').slice(0, 128).toUpperCase();

function crdGroupVersions(registry: ResourceRegistry): Array<{ group: string; version: string }> {
  const out: Array<{ group: string; version: string }> = [];
  for (const g of registry.groups()) {
    for (const v of g.versions) if (registry.resources(g.group, v).some((s) => s.crd)) out.push({ group: g.group, version: v });
  }
  return out;
}

export function openapiV3Root(registry: ResourceRegistry): object {
  const base = openapiV3Index() as { paths?: Record<string, unknown> };
  const paths: Record<string, unknown> = { ...(base.paths ?? {}) };
  for (const { group, version } of crdGroupVersions(registry)) {
    const doc = crdDocument(registry, group, version);
    paths[`apis/${group}/${version}`] = { serverRelativeURL: `/openapi/v3/apis/${group}/${version}?hash=${hash(doc)}` };
  }
  return { ...base, paths };
}

/** `api/v1`, `apis/apps/v1`, ... (without /openapi/v3/ and query). */
export function openapiV3Doc(registry: ResourceRegistry, gvPath: string): object | null {
  const m = gvPath.match(/^apis\/([^/]+)\/([^/]+)$/);
  if (m && registry.resources(m[1]!, m[2]!).some((s) => s.crd)) return crdDocument(registry, m[1]!, m[2]!);
  return openapiV3GroupVersion(gvPath);
}

export function openapiV2Doc(): object {
  return openapiV2();
}

function crdDocument(registry: ResourceRegistry, group: string, version: string): object {
  const schemas: Record<string, unknown> = {};
  const paths: Record<string, unknown> = {};
  const reversed = group.split('.').reverse().join('.');
  for (const s of registry.resources(group, version)) {
    if (!s.crd) continue;
    const { info } = s;
    const name = `${reversed}.${version}.${info.kind}`;
    const gvk = [{ group, version, kind: info.kind }];
    const schema = JSON.parse(JSON.stringify(s.crd.version.schema ?? { type: 'object', 'x-kubernetes-preserve-unknown-fields': true })) as Record<string, unknown>;
    const props = (schema.properties ?? (schema.properties = {})) as Record<string, unknown>;
    props.apiVersion = { type: 'string', description: 'APIVersion defines the versioned schema of this representation of an object.' };
    props.kind = { type: 'string', description: 'Kind is a string value representing the REST resource this object represents.' };
    props.metadata = { $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' };
    schemas[name] = { ...schema, 'x-kubernetes-group-version-kind': gvk };
    schemas[`${name}List`] = {
      type: 'object',
      required: ['items'],
      properties: { apiVersion: { type: 'string' }, kind: { type: 'string' }, items: { type: 'array', items: { $ref: `#/components/schemas/${name}` } }, metadata: { $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta' } },
      'x-kubernetes-group-version-kind': [{ group, version, kind: `${info.kind}List` }],
    };
    const base = info.namespaced ? `/apis/${group}/${version}/namespaces/{namespace}/${info.plural}` : `/apis/${group}/${version}/${info.plural}`;
    const ref = { $ref: `#/components/schemas/${name}` };
    const content = { 'application/json': { schema: ref } };
    const op = (action: string, extra: Record<string, unknown> = {}) => ({
      'x-kubernetes-action': action,
      'x-kubernetes-group-version-kind': gvk[0],
      operationId: `${action}${info.kind}`,
      parameters: [{ name: 'fieldValidation', in: 'query', schema: { type: 'string', uniqueItems: true } }, { name: 'dryRun', in: 'query', schema: { type: 'string', uniqueItems: true } }, { name: 'fieldManager', in: 'query', schema: { type: 'string', uniqueItems: true } }],
      responses: { '200': { description: 'OK', content } },
      ...extra,
    });
    paths[base] = { get: op('list'), post: op('post', { requestBody: { content } }) };
    paths[`${base}/{name}`] = { get: op('get'), put: op('put', { requestBody: { content } }), patch: op('patch', { requestBody: { content: { 'application/merge-patch+json': { schema: { type: 'object' } }, 'application/apply-patch+yaml': { schema: { type: 'object' } } } } }), delete: op('delete') };
  }
  // ObjectMeta/ListMeta come from the core document so refs resolve inside this one.
  const core = openapiV3GroupVersion('api/v1') as { components?: { schemas?: Record<string, unknown> } } | null;
  for (const [k, v] of Object.entries(core?.components?.schemas ?? {})) if (k.startsWith('io.k8s.apimachinery.pkg.apis.meta.v1.') && !(k in schemas)) schemas[k] = v;
  return { openapi: '3.0.0', info: { title: 'Kubernetes CRD Swagger', version: 'v0.1.0' }, paths, components: { schemas } };
}
