/**
 * The storage contract: one narrow, revisioned key-value interface with etcd's semantics (kine's idea).
 * The Kubernetes-compatible apiserver is built on it; SQLite and etcd implement it.
 *
 * Words used here:
 * - key: a non-empty UTF-8 string of at most MAX_KEY_BYTES bytes. Keys sort by their bytes (memcmp order).
 * - prefix: lists and watches select every key that starts with the prefix; "" selects all keys.
 * - revision: ONE global counter for the whole store, strictly increasing. Every successful write
 *   (create, update, delete, expiry of a TTL) gets the next revision; reads never change it.
 *   A store that has never been written reports revision 1 (as etcd does).
 * - createRevision: the revision at which the key was (last) created; a delete followed by a create
 *   starts a new life with a new createRevision.
 * - modRevision: the revision of the key's latest write. It is the optimistic-concurrency token:
 *   update/delete take the modRevision the caller last saw and fail with Conflict if it moved.
 * - version: how many writes this life of the key has had (1 after create, +1 per update).
 * - compaction: forgetting history. compact(R) drops every version that was superseded at or before
 *   R, and every deleted key whose deletion is older than R. Afterwards reading (list) at a revision
 *   below R, or watching from a revision below R, fails with a Gone BerthError. The latest version
 *   of every live key is always kept, whatever its age.
 * - TTL: a key created/updated with ttlSeconds is deleted by the store (a normal DELETE event)
 *   roughly ttlSeconds later unless updated again; an update without ttlSeconds makes it permanent.
 *
 * Errors are BerthErrors (src/base/errors.ts): InvalidArgument (bad key, bad revision), NotFound,
 * AlreadyExists, Conflict, ResourceExhausted (value or key too large), Gone (compacted revision),
 * Unavailable (the datastore cannot be reached), FailedPrecondition (e.g. a closed store).
 */
import type { BerthError } from '../base/errors.js';

/** One version of one key. */
export interface KeyValue {
  key: string;
  value: Buffer;
  createRevision: number;
  modRevision: number;
  version: number;
}

/** What delete returns: the key's last value before the delete, plus the revision of the delete itself. */
export interface DeletedKeyValue extends KeyValue {
  deleteRevision: number;
}

export interface ListOptions {
  /** Read the state as of this past revision (0 or absent: the current state). Gone if compacted. */
  revision?: number;
  /** At most this many items (0 or absent: no limit). */
  limit?: number;
  /** Resume a paged list strictly AFTER this key (pass the last key of the previous page). */
  continueFrom?: string;
}

export interface ListResult {
  /** Live keys in key order. */
  items: KeyValue[];
  /** The revision the items reflect: pass it back as `revision` to page consistently. */
  revision: number;
  /** True if more keys match after the last item. */
  more: boolean;
}

export interface WriteOptions {
  /** Delete the key automatically after this many seconds (a lease in etcd). Whole seconds, ≥ 1. */
  ttlSeconds?: number;
}

export type WatchEventType = 'PUT' | 'DELETE';

/**
 * One change. For PUT, kv is the new version and prevKv the version it replaced (null on create).
 * For DELETE, kv is a tombstone (key, empty value, modRevision = the delete's revision, other
 * numbers 0, as in etcd) and prevKv is the deleted version.
 */
export interface WatchEvent {
  type: WatchEventType;
  kv: KeyValue;
  prevKv: KeyValue | null;
}

/** A running watch. Events reach the callback one at a time, in revision order, without gaps. */
export interface Watcher {
  /** Stops the watch; no events are delivered after close() returns. Idempotent. */
  close(): void;
  /**
   * Settles when the watch ends: with null after close(), or with the BerthError that ended it
   * (Gone if the watcher fell behind a compaction, Unavailable if the datastore went away,
   * Internal if the callback threw). After an error the caller re-lists and watches again.
   */
  readonly ended: Promise<BerthError | null>;
}

export interface SnapshotInfo {
  /** Bytes written to the snapshot file. */
  bytes: number;
  /** The store's revision when the snapshot began (the snapshot holds at least this). */
  revision: number;
}

export interface KV {
  /** The current version of key, or null if it does not exist. */
  get(key: string): Promise<KeyValue | null>;
  list(prefix: string, opts?: ListOptions): Promise<ListResult>;
  /** Number of live keys under prefix at the current revision. */
  count(prefix: string): Promise<number>;
  /** Creates key. AlreadyExists if it exists. */
  create(key: string, value: Buffer | string, opts?: WriteOptions): Promise<KeyValue>;
  /** Replaces key's value if its modRevision is still expectedModRevision. NotFound if absent, Conflict if it moved. */
  update(key: string, value: Buffer | string, expectedModRevision: number, opts?: WriteOptions): Promise<KeyValue>;
  /** Deletes key (if given, only while its modRevision is expectedModRevision: Conflict otherwise). NotFound if absent. */
  delete(key: string, expectedModRevision?: number): Promise<DeletedKeyValue>;
  /**
   * Watches every key under prefix. fromRevision is the first revision delivered: history from
   * there is replayed, then live changes follow. 0 means "changes after now". Rejects with Gone if
   * fromRevision is below the compacted revision.
   */
  watch(prefix: string, fromRevision: number, onEvent: (event: WatchEvent) => void): Promise<Watcher>;
  currentRevision(): Promise<number>;
  /** Forgets history before revision (see "compaction" above). No-op if already compacted that far. */
  compact(revision: number): Promise<void>;
  /** Writes a consistent, self-contained copy of the whole store to file (replacing it). */
  snapshot(file: string): Promise<SnapshotInfo>;
  /** Ends watches, stops background work, releases the datastore. Idempotent. */
  close(): Promise<void>;
}
