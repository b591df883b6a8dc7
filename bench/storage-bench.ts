/**
 * Storage throughput and latency (not a test): create / get / list / watch at 1, 10 and 100
 * concurrent clients on SQLite and on a real etcd started on loopback.
 *   node --import tsx bench/storage-bench.ts [--ops N]
 * Prints ops/s and p50/p99 latency per operation; "watch" is the time from a create's call to
 * its event reaching a watcher, with the writers at the given concurrency.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { openStorage, type KV } from '../src/storage/index.js';
import { drive, pct, type Rate } from './measure.js';
import { startEtcd } from '../test/storage/helpers/etcd-process.js';

const opsArg = process.argv.indexOf('--ops');
const OPS = opsArg > 0 ? Number(process.argv[opsArg + 1]) : 2000;
const CLIENTS = [1, 10, 100];
const VALUE = Buffer.alloc(512, 'v'); // about a small Kubernetes object

interface Result { backend: string; op: string; clients: number; opsPerSec: number; p50: number; p99: number }

async function benchBackend(backend: string, kv: KV): Promise<Result[]> {
  const out: Result[] = [];
  const add = (op: string, clients: number, r: Rate) => out.push({ backend, op, clients, ...r });
  for (const c of CLIENTS) {
    const base = `/bench/c${c}/`;
    add('create', c, await drive(c, OPS, (i) => kv.create(`${base}${String(i).padStart(6, '0')}`, VALUE)));
    add('get', c, await drive(c, OPS, (i) => kv.get(`${base}${String((i * 7919) % OPS).padStart(6, '0')}`)));
    add('list 100', c, await drive(c, Math.max(100, OPS / 10), (i) =>
      kv.list(base, { limit: 100, continueFrom: `${base}${String((i * 31) % (OPS - 101)).padStart(6, '0')}` })));
    // watch: delivery latency of each create to one watcher on the prefix.
    const started = new Map<string, number>();
    const lat: number[] = [];
    let done!: () => void;
    const all = new Promise<void>((r) => (done = r));
    const w = await kv.watch(`/bench/w${c}/`, 0, (e) => {
      const s = started.get(e.kv.key);
      if (s !== undefined) lat.push(performance.now() - s);
      if (lat.length === OPS) done();
    });
    const t0 = performance.now();
    await drive(c, OPS, (i) => {
      const key = `/bench/w${c}/${i}`;
      started.set(key, performance.now());
      return kv.create(key, VALUE);
    });
    await all;
    const secs = (performance.now() - t0) / 1000;
    w.close();
    lat.sort((a, b) => a - b);
    add('watch', c, { opsPerSec: OPS / secs, p50: pct(lat, 50), p99: pct(lat, 99) });
  }
  return out;
}

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-storage-bench-'));
const results: Result[] = [];
try {
  const sqlite = await openStorage({ dataDir: path.join(root, 'sqlite'), compaction: false });
  results.push(...(await benchBackend('sqlite', sqlite)));
  await sqlite.close();
  const etcd = await startEtcd(path.join(root, 'etcd'));
  try {
    const kv = await openStorage({ dataDir: root, endpoint: etcd.endpoint, compaction: false });
    results.push(...(await benchBackend('etcd', kv)));
    await kv.close();
  } finally {
    await etcd.stop();
  }
} finally {
  fs.rmSync(root, { recursive: true, force: true });
}

console.log(`storage bench: ${OPS} ops per row, ${VALUE.length}-byte values, ${os.cpus().length} CPUs, ${new Date().toISOString()}`);
console.log(['backend', 'op', 'clients', 'ops/s', 'p50 ms', 'p99 ms'].map((h) => h.padEnd(10)).join(''));
for (const r of results) {
  console.log([r.backend, r.op, String(r.clients), r.opsPerSec.toFixed(0), r.p50.toFixed(2), r.p99.toFixed(2)].map((v) => v.padEnd(10)).join(''));
}
for (const op of ['create', 'get', 'list 100', 'watch']) {
  for (const c of CLIENTS) {
    const s = results.find((r) => r.backend === 'sqlite' && r.op === op && r.clients === c);
    const e = results.find((r) => r.backend === 'etcd' && r.op === op && r.clients === c);
    if (s && e) console.log(`ratio sqlite/etcd ${op} @${c}: ${(s.opsPerSec / e.opsPerSec).toFixed(1)}x throughput`);
  }
}
