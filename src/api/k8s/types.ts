/** Shared wire-level types of the Kubernetes API machinery (pure data, no behaviour). */

/** A group/version/kind; the core group is the empty string. */
export interface Gvk {
  group: string;
  version: string;
  kind: string;
}

/** One parsed label-selector requirement (the same shape for strings and LabelSelector objects). */
export interface LabelRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Equals' | 'NotEquals' | 'Gt' | 'Lt';
  values: string[];
}

/** A parsed label selector: every requirement must hold (logical AND). Empty selects everything. */
export interface LabelSelector {
  requirements: LabelRequirement[];
  /** True for a selector that matches nothing (a nil metav1.LabelSelector object is "select nothing" in some contexts). */
  matchesNothing?: boolean;
}

export interface FieldRequirement {
  /** Dotted path, e.g. metadata.name or involvedObject.uid */
  field: string;
  operator: 'Equals' | 'NotEquals';
  value: string;
}

export interface FieldSelector {
  requirements: FieldRequirement[];
}

/** A JSON value as it appears in API objects. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** Formats a GVK the way kube prints it in messages: apps/v1, Kind=Deployment */
export function gvkString(gvk: Gvk): string {
  return `${gvk.group ? `${gvk.group}/` : ''}${gvk.version}, Kind=${gvk.kind}`;
}

/** apiVersion ("apps/v1" or "v1") → group and version. */
export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.indexOf('/');
  return i < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Deep structural equality of JSON values (key order ignored). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => deepEqual(x, b[i]));
  }
  if (isPlainObject(a)) {
    if (!isPlainObject(b)) return false;
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

/** Deep copy of a JSON value (structuredClone would also copy non-JSON things we never want). */
export function cloneJson<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}

/**
 * Own-property access for keys that come from requests. A key such as "__proto__" is legal data
 * (a ConfigMap key, for one); plain `obj[k]` would read or replace the prototype instead.
 */
export function getOwn(obj: Record<string, unknown>, k: string): unknown {
  return Object.prototype.hasOwnProperty.call(obj, k) ? obj[k] : undefined;
}

export function setOwn(obj: Record<string, unknown>, k: string, v: unknown): void {
  Object.defineProperty(obj, k, { value: v, enumerable: true, writable: true, configurable: true });
}
