/**
 * /openapi/v2 and /openapi/v3 from part 3's documents, with CRD group-versions added to the v3
 * index and served as their own documents (part 3's customGroupVersionDocument over the CRDs'
 * structural schemas), so kubectl apply's field-validation probe and kubectl explain work for them.
 */
import type { ResourceRegistry } from './registry.js';
import { customGroupVersionDocument, openapiV2, openapiV3GroupVersion, openapiV3Index, type OpenApiSchema } from './machinery.js';

function crdGroupVersions(registry: ResourceRegistry): Array<{ group: string; version: string }> {
  const out: Array<{ group: string; version: string }> = [];
  for (const g of registry.groups()) {
    for (const v of g.versions) if (registry.resources(g.group, v).some((s) => s.crd)) out.push({ group: g.group, version: v });
  }
  return out;
}

function crdDocument(registry: ResourceRegistry, group: string, version: string): { document: object; hash: string } {
  const resources = registry.resources(group, version).filter((s) => s.crd).map((s) => ({
    kind: s.info.kind,
    plural: s.info.plural,
    namespaced: s.info.namespaced,
    ...(s.crd!.version.schema ? { schema: s.crd!.version.schema as OpenApiSchema } : {}),
  }));
  return customGroupVersionDocument(group, version, resources);
}

export function openapiV3Root(registry: ResourceRegistry): object {
  return openapiV3Index(crdGroupVersions(registry).map(({ group, version }) => ({ gvPath: `apis/${group}/${version}`, hash: crdDocument(registry, group, version).hash })));
}

/** `api/v1`, `apis/apps/v1`, ... (without /openapi/v3/ and query). */
export function openapiV3Doc(registry: ResourceRegistry, gvPath: string): object | null {
  const m = gvPath.match(/^apis\/([^/]+)\/([^/]+)$/);
  if (m && registry.resources(m[1]!, m[2]!).some((s) => s.crd)) return crdDocument(registry, m[1]!, m[2]!).document;
  return openapiV3GroupVersion(gvPath);
}

export function openapiV2Doc(): object {
  return openapiV2();
}
