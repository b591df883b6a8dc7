/**
 * A full disk: writes fail with ResourceExhausted naming the store, nothing crashes, acknowledged
 * data stays, and the store works again once space is freed. Needs root (mounts a 2 MiB tmpfs).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { isBerthError } from '../../src/base/errors.js';
import { SqliteKV } from '../../src/storage/index.js';
import { scratchDir } from '../helpers/test-image.js';

test('disk full: ResourceExhausted, then recovery', async () => {
  const mnt = path.join(scratchDir('kv-full'), 'mnt');
  fs.mkdirSync(mnt);
  const opened: Array<() => Promise<void>> = [];
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', mnt]);
  try {
    const filler = path.join(mnt, 'filler');
    fs.writeFileSync(filler, Buffer.alloc(512 * 1024));
    const file = path.join(mnt, 'state.db');
    let kv = SqliteKV.open({ file, compaction: false });
    opened.push(() => kv.close());
    const acked: string[] = [];
    let failure: unknown;
    for (let i = 0; i < 200 && !failure; i++) {
      try {
        await kv.create(`/full/${i}`, Buffer.alloc(32 * 1024, i));
        acked.push(`/full/${i}`);
      } catch (err) {
        failure = err;
      }
    }
    assert.ok(isBerthError(failure, 'ResourceExhausted'), `expected ResourceExhausted, got ${String(failure)}`);
    assert.match((failure as Error).message, /state\.db/);
    assert.ok(acked.length > 5, `wrote ${acked.length} values before the disk filled`);
    assert.equal((await kv.get(acked[0]!))?.value.length, 32 * 1024, 'reads still work');
    fs.rmSync(filler);
    const after = await kv.create('/full/after', 'space again');
    assert.ok(after.modRevision > 0);
    await kv.close();
    kv = SqliteKV.open({ file, compaction: false });
    try {
      const stored = new Set((await kv.list('/full/')).items.map((i) => i.key));
      assert.deepEqual(acked.filter((k) => !stored.has(k)), []);
      assert.ok(stored.has('/full/after'));
    } finally {
      await kv.close();
    }
  } finally {
    for (const close of opened) await close(); // idempotent; frees the mount after a failure
    execFileSync('umount', [mnt]);
  }
});
