/**
 * The SQLite backend of the storage contract (types.ts). Layout and durability: schema.ts.
 * One process owns a store (owner-lock.ts); it assigns revisions itself, commits writes in groups
 * (write-batcher.ts) and feeds watches in-process (watch-hub.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { BerthError, alreadyExists, conflict, internal, invalidArgument, notFound, unavailable } from '../../base/errors.js';
import { Compactor, type CompactionPolicy } from '../compactor.js';
import type { DeletedKeyValue, KV, KeyValue, ListOptions, ListResult, SnapshotInfo, Watcher, WatchEvent, WriteOptions } from '../types.js';
import { checkKey, checkLimit, checkPrefix, checkRevision, checkTtl, closedError, listStart, prefixEnd, toValue } from '../validate.js';
import { acquireOwner, releaseOwner } from './owner-lock.js';
import { rowToKv, type Row } from './rows.js';
import { createSchema, openPragmas } from './schema.js';
import { backupTo } from './snapshot.js';
import { WatchHub } from './watch-hub.js';
import { WriteBatcher } from './write-batcher.js';

/** An SQLite failure as a BerthError naming the store: a full disk is ResourceExhausted, a lock Unavailable. */
function sqliteFailure(file: string, what: string, err: unknown): BerthError {
  if (err instanceof BerthError) return err;
  const code = String((err as { code?: unknown })?.code ?? '');
  const message = `datastore ${file}: ${what} failed: ${err instanceof Error ? err.message : String(err)}`;
  if (code.startsWith('SQLITE_FULL')) return new BerthError('ResourceExhausted', message, { cause: err });
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return new BerthError('Unavailable', message, { cause: err });
  if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_PERM')) return new BerthError('PermissionDenied', message, { cause: err });
  return internal(message, err);
}

/** UTF-8 never contains 0xff, so this sorts after every key: the upper bound of an open range. */
const AFTER_ALL_KEYS = Buffer.from([0xff]);
/** Rows deleted per compaction step; the event loop gets a turn between steps. */
const COMPACT_STEP = 5000;

export interface SqliteKVOptions {
  /** The database file (created if missing, with its directory). */
  file: string;
  /** Background compaction (compactor.ts); false turns it off (tests that need all history). */
  compaction?: CompactionPolicy | false;
  /** How often expired TTL keys are deleted (default 1 s). */
  ttlSweepMs?: number;
}

export class SqliteKV implements KV {
  private readonly db: Database.Database;
  private readonly batcher: WriteBatcher;
  private readonly hub: WatchHub;
  private readonly compactor: Compactor | null;
  private readonly sweeper: NodeJS.Timeout;
  /** The last committed revision. */
  private rev: number;
  /** The revision the next write in the current transaction gets (rev + 1 outside transactions). */
  private nextRev: number;
  private compactRev: number;
  private closed = false;
  private readonly stmt: ReturnType<SqliteKV['prepare']>;

  private constructor(readonly file: string, opts: SqliteKVOptions) {
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
    } catch (err) {
      throw unavailable(`cannot create the datastore directory ${path.dirname(file)}: ${err instanceof Error ? err.message : String(err)}`, err);
    }
    acquireOwner(file);
    let db: Database.Database | undefined;
    try {
      db = new Database(file);
      this.db = db;
      openPragmas(db);
      createSchema(db);
      this.stmt = this.prepare();
      this.rev = (this.stmt.seq.get() as { seq: number }).seq;
      this.compactRev = (this.stmt.getMeta.get('compact_revision') as { value: number }).value;
    } catch (err) {
      try {
        db?.close();
      } catch {
        // nothing more to release
      }
      releaseOwner(file);
      throw unavailable(`cannot open datastore ${file}: ${err instanceof Error ? err.message : String(err)}`, err);
    }
    this.nextRev = this.rev + 1;
    this.hub = new WatchHub({
      rowsSince: (from, start, end, limit) => this.stmt.since.all(from, start, end ?? AFTER_ALL_KEYS, limit) as Row[],
      compactRevision: () => this.compactRev,
    });
    this.batcher = new WriteBatcher(
      this.db,
      (results) => this.committed(results as Row[]),
      (err) => {
        this.nextRev = this.rev + 1;
        return sqliteFailure(this.file, 'write', err);
      },
    );
    this.compactor = opts.compaction === false ? null : new Compactor(this, opts.compaction ?? {});
    this.sweeper = setInterval(() => this.sweepExpired(), opts.ttlSweepMs ?? 1000);
    this.sweeper.unref();
  }

  static open(opts: SqliteKVOptions): SqliteKV {
    return new SqliteKV(path.resolve(opts.file), opts);
  }

  private prepare() {
    const db = this.db;
    return {
      seq: db.prepare(`SELECT seq FROM sqlite_sequence WHERE name = 'kv'`),
      minId: db.prepare(`SELECT MIN(id) AS id FROM kv`),
      getMeta: db.prepare(`SELECT value FROM meta WHERE key = ?`),
      setMeta: db.prepare(`UPDATE meta SET value = ? WHERE key = ?`),
      latest: db.prepare(`SELECT * FROM kv WHERE name = ? ORDER BY id DESC LIMIT 1`),
      insert: db.prepare(`INSERT INTO kv (id, name, created, deleted, create_revision, prev_revision, version, lease_expires, value, old_value)
        VALUES (@id, @name, @created, @deleted, @create_revision, @prev_revision, @version, @lease_expires, @value, @old_value)`),
      clearLease: db.prepare(`UPDATE kv SET lease_expires = 0 WHERE id = ?`),
      // The latest row per name with id ≤ rev, within [start, end), live ones only, in key order.
      // Written as a correlated lookup so SQLite walks the (name, id) index in key order and stops
      // at LIMIT: a page costs O(page), not O(every key under the prefix).
      list: db.prepare(`SELECT * FROM kv AS k WHERE k.name >= @start AND k.name < @end AND k.deleted = 0
          AND k.id = (SELECT MAX(n.id) FROM kv AS n WHERE n.name = k.name AND n.id <= @rev)
        ORDER BY k.name LIMIT @limit`),
      count: db.prepare(`SELECT COUNT(*) AS n FROM kv JOIN (
          SELECT MAX(id) AS id FROM kv WHERE name >= ? AND name < ? GROUP BY name
        ) AS m ON kv.id = m.id WHERE kv.deleted = 0`),
      since: db.prepare(`SELECT * FROM kv WHERE id >= ? AND name >= ? AND name < ? ORDER BY id LIMIT ?`),
      expired: db.prepare(`SELECT id, name FROM kv WHERE lease_expires > 0 AND lease_expires <= ? AND deleted = 0 LIMIT 500`),
      compactStep: db.prepare(`DELETE FROM kv WHERE id >= ? AND id < ? AND (deleted = 1 OR EXISTS (
          SELECT 1 FROM kv AS newer WHERE newer.name = kv.name AND newer.id > kv.id AND newer.id <= ?))`),
    };
  }

  private check(): void {
    if (this.closed) throw closedError(`datastore ${this.file}`);
  }

  /** Runs SQLite work outside the write batcher; a failure (I/O error, corruption) becomes a BerthError naming the store. */
  private guard<T>(what: string, fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      throw sqliteFailure(this.file, what, err);
    }
  }

  private latestRow(name: Buffer): Row | undefined {
    return this.stmt.latest.get(name) as Row | undefined;
  }

  private committed(rows: Row[]): void {
    if (rows.length === 0) return;
    this.rev = rows[rows.length - 1]!.id;
    this.nextRev = this.rev + 1;
    this.hub.notify(rows);
    this.compactor?.noteWrites(rows.length);
  }

  private insert(row: Omit<Row, 'id'>): Row {
    const full: Row = { id: this.nextRev++, ...row };
    this.stmt.insert.run(full);
    return full;
  }

  async get(key: string): Promise<KeyValue | null> {
    this.check();
    const name = Buffer.from(checkKey(key), 'utf8');
    const row = this.guard(`get "${key}"`, () => this.latestRow(name));
    return row && !row.deleted ? rowToKv(row) : null;
  }

  async list(prefix: string, opts: ListOptions = {}): Promise<ListResult> {
    this.check();
    checkPrefix(prefix);
    const limit = checkLimit(opts.limit);
    let revision = checkRevision('list revision', opts.revision ?? 0);
    if (revision === 0) revision = this.rev;
    else this.checkReadable(revision);
    const start = listStart(prefix, opts.continueFrom);
    const end = prefixEnd(Buffer.from(prefix, 'utf8')) ?? AFTER_ALL_KEYS;
    const rows = this.guard(`list "${prefix}"`, () => this.stmt.list.all({ start, end, rev: revision, limit: limit > 0 ? limit + 1 : -1 }) as Row[]);
    const more = limit > 0 && rows.length > limit;
    return { items: (more ? rows.slice(0, limit) : rows).map(rowToKv), revision, more };
  }

  private checkReadable(revision: number): void {
    if (revision < this.compactRev) {
      throw new BerthError('Gone', `storage revision ${revision} has been compacted (compacted up to ${this.compactRev})`);
    }
    if (revision > this.rev) throw invalidArgument(`storage revision ${revision} is in the future (current revision is ${this.rev})`);
  }

  async count(prefix: string): Promise<number> {
    this.check();
    checkPrefix(prefix);
    const p = Buffer.from(prefix, 'utf8');
    return this.guard(`count "${prefix}"`, () => (this.stmt.count.get(p, prefixEnd(p) ?? AFTER_ALL_KEYS) as { n: number }).n);
  }

  private leaseExpiry(key: string, opts?: WriteOptions): number {
    const ttl = checkTtl(key, opts?.ttlSeconds);
    return ttl > 0 ? Date.now() + ttl * 1000 : 0;
  }

  async create(key: string, value: Buffer | string, opts?: WriteOptions): Promise<KeyValue> {
    this.check();
    checkKey(key);
    const val = toValue(key, value);
    const lease = this.leaseExpiry(key, opts);
    const name = Buffer.from(key, 'utf8');
    const row = await this.batcher.submit(() => {
      const prev = this.latestRow(name);
      if (prev && !prev.deleted) throw alreadyExists(`storage key "${key}" already exists`);
      const id = this.nextRev;
      return this.insert({
        name, created: 1, deleted: 0, create_revision: id, prev_revision: prev?.id ?? 0, version: 1,
        lease_expires: lease, value: val, old_value: null,
      });
    });
    return rowToKv(row);
  }

  async update(key: string, value: Buffer | string, expectedModRevision: number, opts?: WriteOptions): Promise<KeyValue> {
    this.check();
    checkKey(key);
    checkRevision(`expected revision for storage key "${key}"`, expectedModRevision);
    const val = toValue(key, value);
    const lease = this.leaseExpiry(key, opts);
    const name = Buffer.from(key, 'utf8');
    const row = await this.batcher.submit(() => {
      const prev = this.liveRowAt(name, key, expectedModRevision);
      if (prev.lease_expires) this.stmt.clearLease.run(prev.id);
      return this.insert({
        name, created: 0, deleted: 0, create_revision: prev.create_revision, prev_revision: prev.id,
        version: prev.version + 1, lease_expires: lease, value: val, old_value: prev.value,
      });
    });
    return rowToKv(row);
  }

  async delete(key: string, expectedModRevision?: number): Promise<DeletedKeyValue> {
    this.check();
    checkKey(key);
    if (expectedModRevision !== undefined) checkRevision(`expected revision for storage key "${key}"`, expectedModRevision);
    const name = Buffer.from(key, 'utf8');
    const row = await this.batcher.submit(() => this.deleteNow(name, key, expectedModRevision));
    return { ...rowToKv({ ...row, id: row.prev_revision, value: row.old_value ?? Buffer.alloc(0) }), deleteRevision: row.id };
  }

  /** Inside a write transaction: the live latest row of key, checked against the expected revision. */
  private liveRowAt(name: Buffer, key: string, expected: number | undefined): Row {
    const prev = this.latestRow(name);
    if (!prev || prev.deleted) throw notFound(`storage key "${key}" not found`);
    if (expected !== undefined && prev.id !== expected) {
      throw conflict(`storage key "${key}" was modified: expected revision ${expected}, current revision is ${prev.id}`);
    }
    return prev;
  }

  private deleteNow(name: Buffer, key: string, expected: number | undefined): Row {
    const prev = this.liveRowAt(name, key, expected);
    if (prev.lease_expires) this.stmt.clearLease.run(prev.id);
    return this.insert({
      name, created: 0, deleted: 1, create_revision: prev.create_revision, prev_revision: prev.id,
      version: prev.version, lease_expires: 0, value: Buffer.alloc(0), old_value: prev.value,
    });
  }

  /** Deletes keys whose TTL passed; a concurrent update (new modRevision) wins over the expiry. */
  private sweepExpired(): void {
    if (this.closed) return;
    let due: Array<{ id: number; name: Buffer }>;
    try {
      due = this.stmt.expired.all(Date.now()) as Array<{ id: number; name: Buffer }>;
    } catch {
      return; // a failing disk shows up on the next write, as an error to its caller
    }
    for (const { id, name } of due) {
      const key = name.toString('utf8');
      this.batcher.submit(() => this.deleteNow(name, key, id)).catch(() => {
        // updated or deleted meanwhile: nothing to expire
      });
    }
  }

  async watch(prefix: string, fromRevision: number, onEvent: (event: WatchEvent) => void): Promise<Watcher> {
    this.check();
    checkPrefix(prefix);
    checkRevision('watch revision', fromRevision);
    if (typeof onEvent !== 'function') throw invalidArgument('storage watch needs an event callback');
    if (fromRevision !== 0 && fromRevision < this.compactRev) {
      throw new BerthError('Gone', `storage revision ${fromRevision} has been compacted (compacted up to ${this.compactRev}); list again and watch from the list's revision`);
    }
    return this.hub.add(prefix, fromRevision === 0 ? this.rev + 1 : fromRevision, onEvent);
  }

  async currentRevision(): Promise<number> {
    this.check();
    return this.rev;
  }

  async compact(revision: number): Promise<void> {
    this.check();
    checkRevision('compact revision', revision);
    if (revision > this.rev) throw invalidArgument(`cannot compact storage to revision ${revision}: it is in the future (current revision is ${this.rev})`);
    if (revision <= this.compactRev) return;
    // Start at the oldest row, not the previous compaction: versions kept then may be superseded now.
    const from = this.guard('compact', () => (this.stmt.minId.get() as { id: number | null }).id ?? revision);
    // Published first: from now on reads below `revision` are Gone rather than half-compacted.
    this.guard('compact', () => this.stmt.setMeta.run(revision, 'compact_revision'));
    this.compactRev = Math.max(this.compactRev, revision);
    for (let lo = from; lo < revision; lo += COMPACT_STEP) {
      const hi = Math.min(lo + COMPACT_STEP, revision);
      this.guard('compact', () => this.stmt.compactStep.run(lo, hi, revision));
      if (hi < revision) await new Promise((r) => setImmediate(r));
      if (this.closed) return;
    }
    // Give freed pages back to the file system and shrink the WAL (see schema.ts).
    this.guard('vacuum after compaction', () => {
      this.db.pragma('incremental_vacuum');
      this.db.pragma('wal_checkpoint(TRUNCATE)');
    });
  }

  /** Runs the background compactor's pass now (for tests and `berth datastore compact`). */
  async compactNow(): Promise<void> {
    await this.compactor?.runOnce();
  }

  async snapshot(file: string): Promise<SnapshotInfo> {
    this.check();
    const revision = this.rev;
    const bytes = await backupTo(this.db, file);
    return { bytes, revision };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.sweeper);
    await this.compactor?.stop();
    this.batcher.drain(closedError(`datastore ${this.file}`));
    this.hub.closeAll(null);
    try {
      this.db.pragma('wal_checkpoint(TRUNCATE)');
    } catch {
      // e.g. a full disk: the WAL stays and is folded in on the next open; nothing is lost
    }
    try {
      this.db.close();
    } finally {
      releaseOwner(this.file);
    }
  }
}
