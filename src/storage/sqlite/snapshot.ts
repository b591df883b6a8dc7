/**
 * SQLite snapshot and restore. A snapshot is SQLite's online backup of the live database: a
 * consistent, self-contained database file. Restore replaces a stopped store's file with one.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { BerthError, asBerthError, failedPrecondition, invalidArgument, notFound } from '../../base/errors.js';
import { liveOwner } from './owner-lock.js';
import { looksLikeBerthStore } from './schema.js';

function fsyncPath(p: string): void {
  const fd = fs.openSync(p, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Backs `db` up to `file` atomically (temp file, fsync, rename). Returns the file's size. */
export async function backupTo(db: Database.Database, file: string): Promise<number> {
  const dest = path.resolve(file);
  const dir = path.dirname(dest);
  if (!fs.existsSync(dir)) throw notFound(`snapshot directory ${dir} does not exist`);
  const tmp = `${dest}.tmp-${process.pid}`;
  try {
    await db.backup(tmp);
    // A snapshot is one file: fold any WAL the backup left into it and make it a rollback-journal db.
    const copy = new Database(tmp);
    copy.pragma('journal_mode = DELETE');
    copy.close();
    fsyncPath(tmp);
    fs.renameSync(tmp, dest);
    fsyncPath(dir);
    return fs.statSync(dest).size;
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw asBerthError(err);
  }
}

/** Snapshot of a store on disk that this process does not own (the CLI while a server runs). */
export async function snapshotStoreFile(dbFile: string, file: string): Promise<{ bytes: number; revision: number }> {
  if (!fs.existsSync(dbFile)) throw notFound(`datastore ${dbFile} does not exist`);
  const db = new Database(dbFile, { fileMustExist: true });
  try {
    if (!looksLikeBerthStore(db)) throw invalidArgument(`${dbFile} is not a berth datastore`);
    const row = db.prepare(`SELECT seq FROM sqlite_sequence WHERE name = 'kv'`).get() as { seq: number } | undefined;
    const bytes = await backupTo(db, file);
    return { bytes, revision: row?.seq ?? 1 };
  } finally {
    db.close();
  }
}

/** Checks that file is an intact berth SQLite snapshot; returns its revision. */
export function verifySnapshot(file: string): number {
  if (!fs.existsSync(file)) throw notFound(`snapshot ${file} does not exist`);
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (err) {
    throw invalidArgument(`snapshot ${file} is not an SQLite database: ${err instanceof Error ? err.message : String(err)}`);
  }
  try {
    const ok = db.pragma('quick_check', { simple: true });
    if (ok !== 'ok') throw invalidArgument(`snapshot ${file} is damaged: ${String(ok)}`);
    if (!looksLikeBerthStore(db)) throw invalidArgument(`snapshot ${file} is not a berth datastore snapshot`);
    const row = db.prepare(`SELECT seq FROM sqlite_sequence WHERE name = 'kv'`).get() as { seq: number } | undefined;
    return row?.seq ?? 1;
  } catch (err) {
    if (err instanceof BerthError) throw err;
    throw invalidArgument(`snapshot ${file} is not a usable SQLite database: ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    db.close();
  }
}

/**
 * Replaces the store at dbFile with the snapshot. The store must not be open (stop the server
 * first): FailedPrecondition otherwise. Clients that watched the old store must re-list.
 */
export function restoreSnapshot(snapshotFile: string, dbFile: string): { revision: number } {
  const src = path.resolve(snapshotFile);
  const dest = path.resolve(dbFile);
  const revision = verifySnapshot(src);
  const owner = liveOwner(dest);
  if (owner !== null) throw failedPrecondition(`datastore ${dest} is in use by process ${owner}; stop the server before restoring`);
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  const tmp = `${dest}.restore-${process.pid}`;
  try {
    fs.copyFileSync(src, tmp);
    fsyncPath(tmp);
    // The old WAL must go before the new file arrives: SQLite would replay it onto the wrong database.
    for (const suffix of ['-wal', '-shm']) fs.rmSync(dest + suffix, { force: true });
    fs.renameSync(tmp, dest);
    fsyncPath(path.dirname(dest));
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw asBerthError(err);
  }
  return { revision };
}
