/**
 * The SQLite layout, in kine's spirit: ONE table `kv` where every row is one write, and the row's id
 * IS the global revision. Reading the latest row per name gives the current state; reading the
 * latest row per name with id ≤ R gives the state at revision R; reading rows with id > R in order
 * gives the watch stream after R. A small `meta` table holds the compacted revision.
 *
 * Columns of kv:
 *   id              the revision of this write (explicitly assigned: there is one writer process)
 *   name            the key, as bytes (BLOB compares with memcmp, the same order as etcd)
 *   created         1 if this write created the key (no live predecessor)
 *   deleted         1 if this write deleted the key (a tombstone; value is empty)
 *   create_revision the revision that created this life of the key
 *   prev_revision   the id of the row this write superseded (0 if none)
 *   version         writes in this life (on a tombstone: the version that was deleted)
 *   lease_expires   ms since the epoch when a TTL deletes the key (0: no TTL); cleared on superseded rows
 *   value           the new value (empty on tombstones)
 *   old_value       the superseded value (so watch events carry prevKv even after compaction)
 *
 * Durability and size (k3s#5033, #10396: SQLite files that grow to gigabytes):
 *   WAL + synchronous=FULL: a write is acknowledged only after its commit is fsynced.
 *   auto_vacuum=INCREMENTAL: pages freed by compaction are returned to the file system by
 *   `PRAGMA incremental_vacuum` after each compaction; journal_size_limit truncates the WAL after
 *   checkpoints so it cannot stay large either.
 */
import type Database from 'better-sqlite3';

export const SCHEMA_VERSION = 1;
/** The WAL is truncated back to this size after checkpoints (SQLite's journal_size_limit). */
export const WAL_SIZE_LIMIT_BYTES = 16 * 1024 * 1024;

export function openPragmas(db: Database.Database): void {
  // auto_vacuum only takes effect before the first table exists (new files); harmless otherwise.
  db.pragma('auto_vacuum = INCREMENTAL');
  const mode = db.pragma('journal_mode = WAL', { simple: true });
  if (String(mode).toLowerCase() !== 'wal') throw new Error(`SQLite refused WAL mode (got ${String(mode)})`);
  db.pragma('synchronous = FULL');
  db.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT_BYTES}`);
  db.pragma('busy_timeout = 5000');
}

export function createSchema(db: Database.Database): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS kv (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      name BLOB NOT NULL,
      created INTEGER NOT NULL,
      deleted INTEGER NOT NULL,
      create_revision INTEGER NOT NULL,
      prev_revision INTEGER NOT NULL,
      version INTEGER NOT NULL,
      lease_expires INTEGER NOT NULL DEFAULT 0,
      value BLOB NOT NULL,
      old_value BLOB
    );
    CREATE INDEX IF NOT EXISTS kv_name_id ON kv (name, id);
    CREATE INDEX IF NOT EXISTS kv_lease ON kv (lease_expires) WHERE lease_expires > 0;
    CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
  `);
  const seeded = db.prepare(`SELECT value FROM meta WHERE key = 'schema_version'`).get() as { value: number } | undefined;
  if (!seeded) {
    // A fresh store reports revision 1 like a fresh etcd, so the first write is revision 2.
    db.transaction(() => {
      db.prepare(`INSERT INTO meta (key, value) VALUES ('schema_version', ?), ('compact_revision', 0)`).run(SCHEMA_VERSION);
      db.prepare(`INSERT INTO sqlite_sequence (name, seq) SELECT 'kv', 1 WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'kv')`).run();
    })();
  } else if (seeded.value !== SCHEMA_VERSION) {
    throw new Error(`unsupported storage schema version ${seeded.value} (this berth knows ${SCHEMA_VERSION})`);
  }
}

/** True if the file at hand looks like a berth store (used to validate a snapshot before restoring it). */
export function looksLikeBerthStore(db: Database.Database): boolean {
  const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as Array<{ name: string }>;
  const names = new Set(tables.map((t) => t.name));
  if (!names.has('kv') || !names.has('meta')) return false;
  const v = db.prepare(`SELECT value FROM meta WHERE key = 'schema_version'`).get() as { value: number } | undefined;
  return v?.value === SCHEMA_VERSION;
}
