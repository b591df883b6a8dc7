/** Turning rows of the kv table (see schema.ts) into the contract's KeyValues and WatchEvents. */
import type { KeyValue, WatchEvent } from '../types.js';

export interface Row {
  id: number;
  name: Buffer;
  created: number;
  deleted: number;
  create_revision: number;
  prev_revision: number;
  version: number;
  lease_expires: number;
  value: Buffer;
  old_value: Buffer | null;
}

export function rowToKv(row: Row): KeyValue {
  return {
    key: row.name.toString('utf8'),
    value: row.value,
    createRevision: row.create_revision,
    modRevision: row.id,
    version: row.version,
  };
}

/** The version this row replaced, rebuilt from the row itself (so it survives compaction). */
export function rowToPrevKv(row: Row): KeyValue | null {
  if (row.created && !row.deleted) return null;
  return {
    key: row.name.toString('utf8'),
    value: row.old_value ?? Buffer.alloc(0),
    createRevision: row.create_revision,
    modRevision: row.prev_revision,
    // A tombstone stores the deleted version's number; an update stores its own (one more).
    version: row.deleted ? row.version : row.version - 1,
  };
}

export function rowToEvent(row: Row): WatchEvent {
  if (row.deleted) {
    return {
      type: 'DELETE',
      kv: { key: row.name.toString('utf8'), value: Buffer.alloc(0), createRevision: 0, modRevision: row.id, version: 0 },
      prevKv: rowToPrevKv(row),
    };
  }
  return { type: 'PUT', kv: rowToKv(row), prevKv: rowToPrevKv(row) };
}
