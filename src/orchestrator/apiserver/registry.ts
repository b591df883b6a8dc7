/**
 * What is served right now: the built-in catalog plus the resources of established CRDs. Lookups
 * by group/version/plural (requests), by group/plural (storage-level work such as GC and namespace
 * cleanup, which is version-independent) and by group/kind (ownerReferences).
 */
import { BUILTIN_GROUP_VERSIONS, BUILTIN_RESOURCES, type ResourceInfo } from '../../api/k8s/resources/index.js';
import type { CrdServing, CrdVersion } from './crd-definition.js';

export interface Served { info: ResourceInfo; crd?: { serving: CrdServing; version: CrdVersion } }

export class ResourceRegistry {
  private readonly crds = new Map<string, CrdServing>();
  private readonly removalListeners = new Map<string, Set<() => void>>();

  setCrd(serving: CrdServing): void {
    this.crds.set(serving.crdName, serving);
  }

  removeCrd(crdName: string): void {
    this.crds.delete(crdName);
    for (const cb of this.removalListeners.get(crdName) ?? []) cb();
  }

  /** Calls back when the CRD stops being served (watches of its resources end, as in kube). */
  onCrdRemoved(crdName: string, cb: () => void): () => void {
    const set = this.removalListeners.get(crdName) ?? new Set();
    set.add(cb);
    this.removalListeners.set(crdName, set);
    return () => {
      set.delete(cb);
      if (set.size === 0) this.removalListeners.delete(crdName);
    };
  }

  crd(crdName: string): CrdServing | undefined {
    return this.crds.get(crdName);
  }

  lookup(group: string, version: string, plural: string): Served | undefined {
    const builtin = BUILTIN_RESOURCES.find((r) => r.group === group && r.version === version && r.plural === plural);
    if (builtin) return { info: builtin };
    for (const serving of this.crds.values()) {
      if (serving.group !== group) continue;
      const info = serving.infos.find((i) => i.version === version && i.plural === plural);
      if (info) return { info, crd: { serving, version: serving.versions.get(version)! } };
    }
    return undefined;
  }

  /** One entry per stored (group, plural): the preferred version's info. */
  storedResources(): Served[] {
    const out: Served[] = [];
    const seen = new Set<string>();
    for (const info of BUILTIN_RESOURCES) {
      const id = `${info.group}/${info.plural}`;
      if (info.virtual || info.storage || seen.has(id)) continue;
      seen.add(id);
      out.push({ info: this.preferred(info.group, info.plural) ?? info });
    }
    for (const serving of this.crds.values()) {
      const info = serving.infos.find((i) => i.version === serving.storageVersion) ?? serving.infos[0];
      if (info) out.push({ info, crd: { serving, version: serving.versions.get(info.version)! } });
    }
    return out;
  }

  byGroupPlural(group: string, plural: string): Served | undefined {
    return this.storedResources().find((s) => s.info.group === group && s.info.plural === plural);
  }

  /** For ownerReferences: apiVersion + kind → the resource that stores such objects. */
  byApiVersionKind(apiVersion: string, kind: string): Served | undefined {
    const slash = apiVersion.indexOf('/');
    const group = slash < 0 ? '' : apiVersion.slice(0, slash);
    return this.storedResources().find((s) => s.info.group === group && s.info.kind === kind);
  }

  private preferred(group: string, plural: string): ResourceInfo | undefined {
    const versions = BUILTIN_GROUP_VERSIONS.find((g) => g.group === group)?.versions ?? [];
    for (const v of versions) {
      const info = BUILTIN_RESOURCES.find((r) => r.group === group && r.version === v && r.plural === plural);
      if (info) return info;
    }
    return undefined;
  }

  /** Groups with versions in preference order (built-ins first, then CRD groups). */
  groups(): Array<{ group: string; versions: string[] }> {
    const out = BUILTIN_GROUP_VERSIONS.map((g) => ({ group: g.group, versions: [...g.versions] }));
    for (const serving of this.crds.values()) {
      let entry = out.find((g) => g.group === serving.group);
      if (!entry) out.push((entry = { group: serving.group, versions: [] }));
      for (const info of serving.infos) if (!entry.versions.includes(info.version)) entry.versions.push(info.version);
    }
    for (const g of out) if (g.group !== '' && !BUILTIN_GROUP_VERSIONS.some((b) => b.group === g.group)) g.versions.sort(compareKubeVersions);
    return out.filter((g) => g.versions.length > 0);
  }

  resources(group: string, version: string): Served[] {
    const out: Served[] = BUILTIN_RESOURCES.filter((r) => r.group === group && r.version === version).map((info) => ({ info }));
    for (const serving of this.crds.values()) {
      if (serving.group !== group) continue;
      for (const info of serving.infos) if (info.version === version) out.push({ info, crd: { serving, version: serving.versions.get(version)! } });
    }
    return out;
  }
}

/** Kube's version priority: GA > beta > alpha, higher numbers first (v2 > v1 > v1beta2 > v1beta1 > v1alpha1). */
export function compareKubeVersions(a: string, b: string): number {
  const rank = (v: string): [number, number, number] => {
    const m = v.match(/^v(\d+)(?:(alpha|beta)(\d+))?$/);
    if (!m) return [0, 0, 0];
    const stage = m[2] === 'alpha' ? 1 : m[2] === 'beta' ? 2 : 3;
    return [stage, Number(m[1]), Number(m[3] ?? 0)];
  };
  const [sa, ma, na] = rank(a);
  const [sb, mb, nb] = rank(b);
  return sb - sa || mb - ma || nb - na;
}
