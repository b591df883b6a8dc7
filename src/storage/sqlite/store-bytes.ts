import fs from 'node:fs';

/** Bytes a SQLite store takes on disk: the database plus its write-ahead log and shared-memory file. */
export function sqliteStoreBytes(file: string): number {
  let n = 0;
  for (const suffix of ['', '-wal', '-shm']) {
    try {
      n += fs.statSync(file + suffix).size;
    } catch {
      // absent: nothing to count
    }
  }
  return n;
}
