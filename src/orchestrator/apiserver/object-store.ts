/**
 * Kubernetes objects in the revisioned KV: one key per object at
 * `/registry/<group or core>/<resource>/<namespace>/<name>` (no namespace segment for cluster-scoped
 * kinds), stored as JSON without resourceVersion; on the way out resourceVersion is the key's
 * modRevision, so optimistic concurrency is the KV's own compare-and-swap.
 */
import type { KeyValue, KV } from '../../storage/types.js';
import { asBerthError, isBerthError } from '../../base/errors.js';
import type { ResourceInfo } from '../../api/k8s/resources/index.js';
import { kubeAlreadyExists, kubeConflict, kubeNotFound } from './kube-errors.js';
import type { KObject } from './object-meta.js';
import { fromStorage, toStorage } from './conversion.js';

export function groupSegment(info: Pick<ResourceInfo, 'group'>): string {
  return info.group === '' ? 'core' : info.group;
}

type Located = Pick<ResourceInfo, 'group' | 'plural'> & { storage?: ResourceInfo['storage'] };

/** Where a resource's objects live (its own place, or the resource whose storage it shares). */
function storedAs(info: Located): Pick<ResourceInfo, 'group' | 'plural'> {
  return info.storage ?? info;
}

export function resourcePrefix(info: Located, namespace?: string): string {
  const at = storedAs(info);
  const base = `/registry/${groupSegment(at)}/${at.plural}/`;
  return namespace ? `${base}${namespace}/` : base;
}

export function objectKey(info: Located & Pick<ResourceInfo, 'namespaced'>, namespace: string | undefined, name: string): string {
  return info.namespaced ? `${resourcePrefix(info)}${namespace ?? ''}/${name}` : `${resourcePrefix(info)}${name}`;
}

/** Splits a storage key back into group segment, plural, namespace and name. */
export function parseKey(key: string): { groupSegment: string; plural: string; namespace?: string; name: string } | null {
  const parts = key.split('/');
  if (parts[1] !== 'registry' || parts.length < 5) return null;
  if (parts.length === 5) return { groupSegment: parts[2]!, plural: parts[3]!, name: parts[4]! };
  return { groupSegment: parts[2]!, plural: parts[3]!, namespace: parts[4]!, name: parts.slice(5).join('/') };
}

/** A decoded object with the revision numbers of the KV entry it came from. */
export interface Stored { obj: KObject; modRevision: number; key: string }

export function decodeObject(kv: KeyValue): KObject {
  const obj = JSON.parse(kv.value.toString('utf8')) as KObject;
  obj.metadata = obj.metadata ?? {};
  obj.metadata.resourceVersion = String(kv.modRevision);
  return obj;
}

/** A stored entry as the given resource serves it (converted when it shares another's storage). */
export function decodeFor(info: ResourceInfo, kv: KeyValue): KObject {
  return fromStorage(info, decodeObject(kv));
}

function encode(obj: KObject): string {
  const copy: KObject = { ...obj, metadata: { ...obj.metadata } };
  delete copy.metadata.resourceVersion;
  return JSON.stringify(copy);
}

export class ObjectStore {
  /** eventTtlSeconds: Events expire like kube's --event-ttl (the store deletes them; watchers see DELETED). */
  constructor(readonly kv: KV, private readonly eventTtlSeconds = 3600) {}

  private writeOptions(info: ResourceInfo): { ttlSeconds: number } | undefined {
    const at = info.storage ?? info;
    return at.group === '' && at.plural === 'events' ? { ttlSeconds: this.eventTtlSeconds } : undefined;
  }

  async get(info: ResourceInfo, namespace: string | undefined, name: string): Promise<Stored | null> {
    const key = objectKey(info, namespace, name);
    const kv = await this.kv.get(key);
    return kv ? { obj: decodeFor(info, kv), modRevision: kv.modRevision, key } : null;
  }

  async mustGet(info: ResourceInfo, namespace: string | undefined, name: string): Promise<Stored> {
    const found = await this.get(info, namespace, name);
    if (!found) throw kubeNotFound({ group: info.group, plural: info.plural, name });
    return found;
  }

  async create(info: ResourceInfo, obj: KObject): Promise<KObject> {
    const key = objectKey(info, obj.metadata.namespace, obj.metadata.name!);
    try {
      const kv = await this.kv.create(key, encode(toStorage(info, obj)), this.writeOptions(info));
      return { ...obj, metadata: { ...obj.metadata, resourceVersion: String(kv.modRevision) } };
    } catch (err) {
      if (isBerthError(err, 'AlreadyExists')) throw kubeAlreadyExists({ group: info.group, plural: info.plural, name: obj.metadata.name! });
      throw asBerthError(err);
    }
  }

  async update(info: ResourceInfo, obj: KObject, expectedModRevision: number): Promise<KObject> {
    const key = objectKey(info, obj.metadata.namespace, obj.metadata.name!);
    try {
      const kv = await this.kv.update(key, encode(toStorage(info, obj)), expectedModRevision, this.writeOptions(info));
      return { ...obj, metadata: { ...obj.metadata, resourceVersion: String(kv.modRevision) } };
    } catch (err) {
      throw this.mapWriteError(info, obj.metadata.name!, err);
    }
  }

  /** Removes the object; the returned revision is the delete's own (what a DELETED watch event carries). */
  async remove(info: ResourceInfo, namespace: string | undefined, name: string, expectedModRevision?: number): Promise<number> {
    try {
      const d = await this.kv.delete(objectKey(info, namespace, name), expectedModRevision);
      return d.deleteRevision;
    } catch (err) {
      throw this.mapWriteError(info, name, err);
    }
  }

  private mapWriteError(info: ResourceInfo, name: string, err: unknown) {
    if (isBerthError(err, 'NotFound')) return kubeNotFound({ group: info.group, plural: info.plural, name });
    if (isBerthError(err, 'Conflict')) return kubeConflict({ group: info.group, plural: info.plural, name });
    return asBerthError(err);
  }
}
