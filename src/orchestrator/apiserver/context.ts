/** What every request handler and background loop of the apiserver shares. */
import type { KV } from '../../storage/types.js';
import type { ObjectStore } from './object-store.js';
import type { ResourceRegistry } from './registry.js';
import type { ServiceAllocator } from './service-allocator.js';

export interface ApiContext {
  kv: KV;
  store: ObjectStore;
  registry: ResourceRegistry;
  services: ServiceAllocator;
  log: (m: string) => void;
  /** Tells the garbage collector something changed that may need its attention. */
  kickGc: () => void;
  bookmarkIntervalMs: number;
  /** Events a watch may hold for a client that is not reading before it is cut off. */
  maxQueuedWatchEvents: number;
  /** The key that signs and checks service account tokens (service-account-token.ts). */
  tokenKey: { get(): Promise<Buffer> };
}

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

/** Per-write options taken from the query string. */
export interface WriteOptions {
  dryRun: boolean;
  fieldManager: string;
  fieldValidation: FieldValidation;
  /** Warnings to return in `Warning:` headers. */
  warnings: string[];
  /** The authenticated user (for audit-ish annotations, reviews). */
  user: string;
  /** The client's document was already checked for unknown fields (before any defaulting). */
  unknownFieldsChecked?: boolean;
  /** Server-side apply already computed metadata.managedFields: keep them as they are. */
  managedFieldsDone?: boolean;
}
