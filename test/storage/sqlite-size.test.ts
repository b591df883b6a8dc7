/**
 * The SQLite file stays bounded under churn (k3s#5033, #10396): 50,000 updates of a few keys with
 * the default background compaction policy (every 2,000 writes, keep the last 1,000 revisions).
 * Between compactions the table holds at most ~(keys + 1,000 + 2,000) rows; a row with a 1 KiB
 * value and its 1 KiB old_value takes one 4 KiB page, so ~12 MiB plus the WAL.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { isBerthError } from '../../src/base/errors.js';
import { SqliteKV, sqlitePath, sqliteStoreBytes } from '../../src/storage/index.js';
import { scratchDir } from '../helpers/test-image.js';

test('50k updates of a few keys with compaction keep the file small', async () => {
  const file = sqlitePath(path.join(scratchDir('kv-size'), 'data'));
  const kv = SqliteKV.open({ file });
  const keys = 10;
  const updates = 50_000;
  const value = Buffer.alloc(1024, 'x'); // uncompacted, 50k versions of this (plus old_value) would be ~100 MiB
  let peak = 0;
  try {
    await Promise.all(Array.from({ length: keys }, async (_, k) => {
      let cur = await kv.create(`/size/${k}`, value);
      for (let i = 1; i < updates / keys; i++) {
        cur = await kv.update(`/size/${k}`, value, cur.modRevision);
        if (i % 500 === 0) peak = Math.max(peak, sqliteStoreBytes(file));
      }
    }));
    await kv.compactNow();
    const rev = await kv.currentRevision();
    assert.ok(rev >= updates, `revision ${rev}`);
    const bytes = sqliteStoreBytes(file);
    assert.ok(peak < 24 * 1024 * 1024, `store peaked at ${peak} bytes`);
    assert.ok(bytes < 6 * 1024 * 1024, `store is ${bytes} bytes after compaction`);
    // The retained window is readable; older history is Gone; every key's latest version is there.
    assert.equal((await kv.list('/size/', { revision: rev - 500 })).items.length, keys);
    await assert.rejects(kv.list('/size/', { revision: 100 }), (e: unknown) => isBerthError(e, 'Gone'));
    assert.equal(await kv.count('/size/'), keys);
    console.log(`# size test: ${updates} updates, peak ${(peak / 1048576).toFixed(1)} MiB, final ${(bytes / 1048576).toFixed(1)} MiB`);
  } finally {
    await kv.close();
  }
});
