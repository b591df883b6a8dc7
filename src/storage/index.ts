/**
 * The storage layer's public face: the contract (types.ts) and openStorage, which picks the backend.
 * No endpoint: SQLite at `<dataDir>/state.db`. An http(s):// endpoint: an etcd v3 cluster member.
 */
import path from 'node:path';
import { invalidArgument } from '../base/errors.js';
import type { CompactionPolicy } from './compactor.js';
import { EtcdKV } from './etcd/etcd-kv.js';
import { SqliteKV } from './sqlite/sqlite-kv.js';
import type { EtcdTls } from './etcd/gateway.js';
import type { KV } from './types.js';

export type * from './types.js';
export type { CompactionPolicy } from './compactor.js';
export type { EtcdTls } from './etcd/gateway.js';
export { DEFAULT_COMPACTION } from './compactor.js';
export { MAX_KEY_BYTES, MAX_VALUE_BYTES } from './validate.js';
export { SqliteKV } from './sqlite/sqlite-kv.js';
export { sqliteStoreBytes } from './sqlite/store-bytes.js';
export { EtcdKV } from './etcd/etcd-kv.js';
export { restoreSnapshot as restoreSqliteSnapshot, snapshotStoreFile as snapshotSqliteStore, verifySnapshot as verifySqliteSnapshot } from './sqlite/snapshot.js';

export const SQLITE_FILE_NAME = 'state.db';

export interface OpenStorageOptions {
  /** berth's data directory; the SQLite store lives in it. */
  dataDir: string;
  /** `http://host:port` (or https) of an etcd v3 member; absent: SQLite. */
  endpoint?: string;
  /** For https etcd endpoints: CA and client certificate/key files (PEM). */
  tls?: EtcdTls;
  /** Background compaction (every 5 min or 2,000 writes, keep 1,000 revisions); false turns it off. */
  compaction?: CompactionPolicy | false;
}

export function sqlitePath(dataDir: string): string {
  return path.join(path.resolve(dataDir), SQLITE_FILE_NAME);
}

export async function openStorage(opts: OpenStorageOptions): Promise<KV> {
  if (!opts || typeof opts.dataDir !== 'string' || opts.dataDir === '') throw invalidArgument('openStorage needs a data directory');
  if (opts.endpoint === undefined || opts.endpoint === '') {
    return SqliteKV.open({ file: sqlitePath(opts.dataDir), ...(opts.compaction !== undefined ? { compaction: opts.compaction } : {}) });
  }
  return EtcdKV.connect({
    endpoint: opts.endpoint,
    ...(opts.tls ? { tls: opts.tls } : {}),
    ...(opts.compaction !== undefined ? { compaction: opts.compaction } : {}),
  });
}
