/** The SQLite store on disk: reopening, one owner at a time, and restore's safety checks. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { isBerthError, type ErrorCode } from '../../src/base/errors.js';
import { openStorage, restoreSqliteSnapshot, snapshotSqliteStore, sqlitePath, SqliteKV } from '../../src/storage/index.js';
import { scratchDir } from '../helpers/test-image.js';

const is = (code: ErrorCode) => (e: unknown) => isBerthError(e, code);

test('data and revisions persist across close and reopen', async () => {
  const dataDir = path.join(scratchDir('kv-reopen'), 'data');
  const kv = await openStorage({ dataDir });
  const a = await kv.create('/p/a', 'one');
  const d = await kv.delete('/p/a');
  const b = await kv.create('/p/b', 'two');
  await kv.close();
  const again = await openStorage({ dataDir });
  try {
    assert.equal(await again.currentRevision(), b.modRevision);
    assert.deepEqual(await again.get('/p/b'), b);
    assert.equal(await again.get('/p/a'), null);
    const old = await again.list('/p/', { revision: a.modRevision });
    assert.deepEqual(old.items.map((i) => i.key), ['/p/a']);
    assert.ok(d.deleteRevision < b.modRevision);
    assert.ok((await again.create('/p/c', 'x')).modRevision > b.modRevision);
  } finally {
    await again.close();
  }
});

test('a store has one owner; restore refuses a store in use and bad snapshots', async () => {
  const root = scratchDir('kv-owner');
  const dataDir = path.join(root, 'data');
  const kv = await openStorage({ dataDir });
  try {
    await kv.create('/o/a', 'live data');
    await assert.rejects(openStorage({ dataDir }), is('FailedPrecondition'));
    const snap = path.join(root, 'snap.db');
    await kv.snapshot(snap);
    assert.throws(() => restoreSqliteSnapshot(snap, sqlitePath(dataDir)), (e: unknown) =>
      is('FailedPrecondition')(e) && /stop the server/.test((e as Error).message));
    // Not a database / not a berth store / missing: InvalidArgument or NotFound, and nothing changes.
    const junk = path.join(root, 'junk.db');
    fs.writeFileSync(junk, 'this is not a database '.repeat(100));
    assert.throws(() => restoreSqliteSnapshot(junk, path.join(root, 'other', 'state.db')), is('InvalidArgument'));
    assert.throws(() => restoreSqliteSnapshot(path.join(root, 'missing.db'), path.join(root, 'other', 'state.db')), is('NotFound'));
    assert.equal(fs.existsSync(path.join(root, 'other', 'state.db')), false);
    // Another process's view (the CLI while a server runs) can still take a consistent snapshot.
    const cliSnap = path.join(root, 'cli-snap.db');
    const info = await snapshotSqliteStore(sqlitePath(dataDir), cliSnap);
    assert.equal(info.revision, await kv.currentRevision());
    const foreign = SqliteKV.open({ file: path.join(root, 'restored', 'state.db'), compaction: false });
    await foreign.close();
    restoreSqliteSnapshot(cliSnap, path.join(root, 'restored', 'state.db'));
    const r = await openStorage({ dataDir: path.join(root, 'restored') });
    assert.equal((await r.get('/o/a'))?.value.toString(), 'live data');
    await r.close();
  } finally {
    await kv.close();
  }
  // Once closed, restore works and replaces the data (an older snapshot wins over newer writes).
  const kv2 = await openStorage({ dataDir });
  const snap2 = path.join(root, 'snap2.db');
  await kv2.snapshot(snap2);
  await kv2.create('/o/after', 'gone after restore');
  await kv2.close();
  assert.deepEqual(restoreSqliteSnapshot(snap2, sqlitePath(dataDir)).revision > 1, true);
  const kv3 = await openStorage({ dataDir });
  try {
    assert.equal(await kv3.get('/o/after'), null);
    assert.equal((await kv3.get('/o/a'))?.value.toString(), 'live data');
  } finally {
    await kv3.close();
  }
});

test('background compaction follows its policy', async () => {
  const kv = SqliteKV.open({ file: sqlitePath(scratchDir('kv-policy')), compaction: { everyWrites: 100, retainRevisions: 50 } });
  try {
    const first = await kv.create('/c/k', '0');
    let cur = first;
    for (let i = 1; i <= 300; i++) cur = await kv.update('/c/k', String(i), cur.modRevision);
    await new Promise((r) => setTimeout(r, 50));
    await assert.rejects(kv.list('/c/', { revision: first.modRevision }), is('Gone'));
    assert.equal((await kv.list('/c/', { revision: cur.modRevision - 40 })).items.length, 1);
    assert.equal((await kv.get('/c/k'))?.value.toString(), '300');
  } finally {
    await kv.close();
  }
});

test('a damaged or foreign state.db is refused clearly and released', async () => {
  const dataDir = scratchDir('kv-damaged');
  fs.writeFileSync(sqlitePath(dataDir), 'definitely not SQLite '.repeat(400));
  await assert.rejects(openStorage({ dataDir }), (e: unknown) => is('Unavailable')(e) && /state\.db/.test((e as Error).message));
  assert.equal(fs.existsSync(`${sqlitePath(dataDir)}.owner`), false, 'a failed open leaves no owner behind');
  // A path that cannot be a directory.
  const blocker = path.join(scratchDir('kv-blocked'), 'file');
  fs.writeFileSync(blocker, 'x');
  await assert.rejects(openStorage({ dataDir: path.join(blocker, 'data') }), is('Unavailable'));
});
