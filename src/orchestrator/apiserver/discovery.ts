/**
 * Discovery documents: legacy (/api APIVersions, /apis APIGroupList, /apis/<g> APIGroup,
 * APIResourceList per group-version with subresources as `plural/sub` entries) and aggregated
 * (apidiscovery.k8s.io v2 / v2beta1 APIGroupDiscoveryList for /api and /apis), from the registry.
 */
import { createHash } from 'node:crypto';
import type { ResourceRegistry, Served } from './registry.js';

export const AGGREGATED_V2 = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';
export const AGGREGATED_V2BETA1 = 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList';

/** Which aggregated discovery version the Accept header asks for (the first one listed wins). */
export function wantsAggregated(accept: string | undefined): 'v2' | 'v2beta1' | null {
  for (const part of (accept ?? '').split(',')) {
    const params = new Map(part.split(';').slice(1).map((kv) => kv.trim().split('=') as [string, string]));
    if (params.get('g') === 'apidiscovery.k8s.io' && params.get('as') === 'APIGroupDiscoveryList') {
      const v = params.get('v');
      if (v === 'v2' || v === 'v2beta1') return v;
    }
  }
  return null;
}

const gv = (group: string, version: string) => (group ? `${group}/${version}` : version);

export function apiVersions(serverAddress: string): object {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
}

function apiGroup(g: { group: string; versions: string[] }): Record<string, unknown> {
  return {
    name: g.group,
    versions: g.versions.map((v) => ({ groupVersion: gv(g.group, v), version: v })),
    preferredVersion: { groupVersion: gv(g.group, g.versions[0]!), version: g.versions[0] },
  };
}

export function apiGroupList(registry: ResourceRegistry): object {
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: registry.groups().filter((g) => g.group !== '').map(apiGroup) };
}

export function apiGroupDoc(registry: ResourceRegistry, group: string): object | null {
  const g = registry.groups().find((x) => x.group === group && group !== '');
  return g ? { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(g) } : null;
}

export function apiResourceList(registry: ResourceRegistry, group: string, version: string): object | null {
  const served = registry.resources(group, version);
  if (served.length === 0) return null;
  const resources: Record<string, unknown>[] = [];
  for (const { info } of served) {
    resources.push({
      name: info.plural,
      singularName: info.singular,
      namespaced: info.namespaced,
      kind: info.kind,
      verbs: info.verbs,
      ...(info.shortNames.length ? { shortNames: info.shortNames } : {}),
      ...(info.categories.length ? { categories: info.categories } : {}),
      storageVersionHash: storageVersionHash(info.group, info.version, info.kind),
    });
    for (const sub of info.subresources) {
      resources.push({
        name: `${info.plural}/${sub.name}`,
        singularName: '',
        namespaced: info.namespaced,
        ...(sub.group !== undefined ? { group: sub.group, version: sub.version } : {}),
        kind: sub.kind,
        verbs: sub.verbs,
      });
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: gv(group, version), resources };
}

/** kube's storageVersionHash: base64 of the first 8 bytes of sha256("<group>/<version>/<kind>"). */
function storageVersionHash(group: string, version: string, kind: string): string {
  return createHash('sha256').update(`${group}/${version}/${kind}`).digest().subarray(0, 8).toString('base64');
}

function discoveryResource(s: Served): Record<string, unknown> {
  const { info } = s;
  return {
    resource: info.plural,
    responseKind: { group: info.group, version: info.version, kind: info.kind },
    scope: info.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: info.singular,
    verbs: info.verbs,
    ...(info.shortNames.length ? { shortNames: info.shortNames } : {}),
    ...(info.categories.length ? { categories: info.categories } : {}),
    ...(info.subresources.length
      ? {
          subresources: info.subresources.map((sub) => ({
            subresource: sub.name,
            responseKind: { group: sub.group ?? info.group, version: sub.version ?? info.version, kind: sub.kind },
            verbs: sub.verbs,
          })),
        }
      : {}),
  };
}

/** /api (core only) or /apis (every other group) as an APIGroupDiscoveryList. */
export function aggregatedDiscovery(registry: ResourceRegistry, which: 'api' | 'apis', version: 'v2' | 'v2beta1'): object {
  const groups = registry.groups().filter((g) => (which === 'api' ? g.group === '' : g.group !== ''));
  return {
    kind: 'APIGroupDiscoveryList',
    apiVersion: `apidiscovery.k8s.io/${version}`,
    metadata: {},
    items: groups.map((g) => ({
      metadata: { name: g.group },
      versions: g.versions.map((v) => ({ version: v, freshness: 'Current', resources: registry.resources(g.group, v).map(discoveryResource) })),
    })),
  };
}

export const VERSION_INFO = {
  major: '1',
  minor: '34',
  emulationMajor: '1',
  emulationMinor: '34',
  minCompatibilityMajor: '1',
  minCompatibilityMinor: '33',
  gitVersion: 'v1.34.0+berth',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2026-01-01T00:00:00Z',
  goVersion: 'go1.24.0',
  compiler: 'gc',
  platform: 'linux/amd64',
};
