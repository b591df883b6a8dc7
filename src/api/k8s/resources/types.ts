/**
 * One served resource as discovery describes it: where it lives (group/version/plural), what its
 * objects are called (kind, listKind, singular, shortNames), its scope and verbs, and its
 * subresources. Built-in kinds come from catalog.ts; CRDs produce the same shape at run time.
 */
export interface SubresourceInfo {
  /** "status", "scale", "eviction", "log", ... */
  name: string;
  /** The kind the subresource accepts/returns (Scale, Eviction, or the parent's own kind). */
  kind: string;
  /** Set when the subresource kind lives in another group-version (autoscaling/v1 Scale, policy/v1 Eviction). */
  group?: string;
  version?: string;
  verbs: string[];
}

export interface ResourceInfo {
  group: string; // "" for core
  version: string;
  kind: string;
  listKind: string;
  plural: string;
  singular: string;
  shortNames: string[];
  namespaced: boolean;
  verbs: string[];
  categories: string[];
  subresources: SubresourceInfo[];
  /** Virtual resources (reviews, bindings) are never stored: create answers and forgets. */
  virtual?: boolean;
  /** Objects live in another resource's storage and are converted (events.k8s.io Events are core Events). */
  storage?: { group: string; plural: string };
}

export const READ_WRITE_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
export const STATUS_VERBS = ['get', 'patch', 'update'];
