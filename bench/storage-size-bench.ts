/**
 * The SQLite file stays bounded after a million writes (not a test):
 *   node --import tsx bench/storage-size-bench.ts [--writes 1000000] [--keys 1000]
 * Straight on the KV (src/storage) rather than through the Kubernetes API — the API does about a
 * thousand writes a second here, so a million would take ~20 minutes; the file's growth depends only
 * on the KV and its compaction, which is exactly what `berth server` opens (openStorage with the
 * default policy: compact every 2,000 writes / 5 minutes, keep the last 1,000 revisions).
 * The workload is Kubernetes-like churn with 1 KiB values: updates of a working set of keys
 * (status, leases), with every 10th write a delete or re-create (objects coming and going).
 * Prints the store's size (db + WAL + shm) every 100k writes, its peak and its final size.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { isBerthError } from '../src/base/errors.js';
import { openStorage, sqlitePath, sqliteStoreBytes, type KeyValue } from '../src/storage/index.js';

const arg = (name: string) => (process.argv.indexOf(name) > 0 ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const WRITES = Number(arg('--writes') ?? 1_000_000);
const KEYS = Number(arg('--keys') ?? 1000);
const WORKERS = 100;
const VALUE = Buffer.alloc(1024, 'x');

const MiB = (n: number) => (n / 2 ** 20).toFixed(1);
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-size-bench-'));
const file = sqlitePath(root);
const kv = await openStorage({ dataDir: root }); // the server's default compaction policy
try {
  const live = new Map<number, KeyValue | null>();
  for (let k = 0; k < KEYS; k++) live.set(k, await kv.create(`/registry/bench/k${k}`, VALUE));
  let written = KEYS;
  let peak = 0;
  const samples: string[] = [];
  const t0 = performance.now();
  // Each worker owns the keys k ≡ worker (mod WORKERS): no two writers race on one key.
  await Promise.all(Array.from({ length: WORKERS }, async (_, w) => {
    for (let n = 0; ; n++) {
      if (written >= WRITES) return;
      const k = w + WORKERS * (n % Math.ceil(KEYS / WORKERS));
      if (k >= KEYS) continue;
      const key = `/registry/bench/k${k}`;
      const cur = live.get(k);
      const mine = ++written;
      if (!cur) live.set(k, await kv.create(key, VALUE));
      else if (n % 10 === 9) {
        await kv.delete(key, cur.modRevision);
        live.set(k, null);
      } else live.set(k, await kv.update(key, VALUE, cur.modRevision));
      if (mine % 10_000 === 0) {
        const b = sqliteStoreBytes(file);
        peak = Math.max(peak, b);
        if (mine % 100_000 === 0) {
          samples.push(`${mine.toLocaleString('en')} writes: ${MiB(b)} MiB (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
          console.error(samples[samples.length - 1]);
        }
      }
    }
  })).catch((err) => {
    if (!isBerthError(err)) throw err;
    throw new Error(`KV refused a write: ${err.message}`);
  });
  const secs = (performance.now() - t0) / 1000;
  const before = sqliteStoreBytes(file);
  // What the background compactor does next anyway, run now to see where the file settles.
  await (kv as unknown as { compactNow(): Promise<void> }).compactNow();
  const after = sqliteStoreBytes(file);
  const part = (suffix: string) => (fs.existsSync(file + suffix) ? MiB(fs.statSync(file + suffix).size) : '0');
  const parts = `db ${part('')} + WAL ${part('-wal')} + shm ${part('-shm')} MiB`;
  console.log(`\nSQLite file size under ${WRITES.toLocaleString('en')} writes (${KEYS} keys, 1 KiB values, ${WORKERS} writers), ${new Date().toISOString()}, ${os.cpus().length} CPUs`);
  for (const s of samples) console.log(`  ${s}`);
  console.log(`peak ${MiB(peak)} MiB; at the end ${MiB(before)} MiB, after one more compaction ${MiB(after)} MiB (${parts}); ${(WRITES / secs).toFixed(0)} writes/s; revision ${await kv.currentRevision()}`);
  console.log(`uncompacted, the history alone would be ~${MiB(WRITES * 2 * VALUE.length)} MiB (value + old value per write)`);
} finally {
  await kv.close();
  fs.rmSync(root, { recursive: true, force: true });
}
