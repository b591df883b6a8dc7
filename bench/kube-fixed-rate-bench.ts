/**
 * Mutating latency at a fixed offered load through the real daemon (not a test):
 *   node --import tsx bench/kube-fixed-rate-bench.ts [--rate 500] [--seconds 20] [--backend sqlite|etcd]
 * Open loop: request i is due at t0 + i/rate whether or not earlier ones finished, and its latency
 * counts from when it was DUE (so a stall is not hidden by the client waiting: no coordinated
 * omission). The writes cycle create / merge-patch / delete of ConfigMaps. Issue 5's goal:
 * p99 ≤ 50 ms at 500 writes/s on SQLite.
 */
import { performance } from 'node:perf_hooks';
import { adminClient } from '../test/kube/helpers/berth-server-process.js';
import { expectStatus, header, ms, pct, startBenchServer, table, type Backend } from './kube-bench-lib.js';

const arg = (name: string) => (process.argv.indexOf(name) > 0 ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const RATE = Number(arg('--rate') ?? 500);
const SECONDS = Number(arg('--seconds') ?? 20);
const BACKENDS: Backend[] = arg('--backend') ? [arg('--backend') as Backend] : ['sqlite'];
const CM = '/api/v1/namespaces/default/configmaps';
const POOL = 100; // pre-created objects the patches go to

const rows: Array<Array<string | number>> = [];
header(`Fixed-rate mutations through berth server: ${RATE} writes/s for ${SECONDS} s (create / merge-patch / delete)`);
for (const backend of BACKENDS) {
  const server = await startBenchServer(backend, 'kube-fixed-rate');
  try {
    const client = adminClient(server, 512);
    const { call } = client;
    const body = (name: string) => JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels: { bench: 'rate' } }, data: { k: 'v'.repeat(400) } });
    for (let p = 0; p < POOL; p++) expectStatus(await call('POST', CM, body(`pool-${p}`)), [201], 'pool create');
    const total = RATE * SECONDS;
    const byOp: Record<string, number[]> = { create: [], 'merge-patch': [], delete: [] };
    const service: number[] = [];
    const inflight: Promise<void>[] = [];
    let maxLate = 0;
    const t0 = performance.now();
    const createdNames: string[] = []; // acknowledged creates, oldest first: what the deletes remove
    let i = 0;
    while (i < total) {
      const now = performance.now();
      // Issue every request that is due by now (catching up after a timer that fired late).
      for (; i < total && t0 + (i * 1000) / RATE <= now; i++) {
        const due = t0 + (i * 1000) / RATE;
        maxLate = Math.max(maxLate, now - due);
        const n = i;
        // A delete needs an acknowledged create to remove; before the first one it is a patch.
        const victim = n % 3 === 2 ? createdNames.shift() : undefined;
        const op = n % 3 === 0 ? 'create' : victim ? 'delete' : 'merge-patch';
        const sent = performance.now();
        const req = op === 'create' ? call('POST', CM, body(`rate-${n}`)).then((r) => (expectStatus(r, [201], `create rate-${n}`), createdNames.push(`rate-${n}`)))
          : op === 'delete' ? call('DELETE', `${CM}/${victim}`).then((r) => expectStatus(r, [200, 202], `delete ${victim}`))
          : call('PATCH', `${CM}/pool-${n % POOL}`, `{"data":{"n":"${n}"}}`, 'application/merge-patch+json').then((r) => expectStatus(r, [200], 'patch'));
        inflight.push(req.then(() => {
          const end = performance.now();
          byOp[op]!.push(end - due);
          service.push(end - sent);
        }));
      }
      await new Promise((r) => setTimeout(r, 1));
    }
    await Promise.all(inflight);
    const wall = (performance.now() - t0) / 1000;
    client.close();
    const all = Object.values(byOp).flat().sort((a, b) => a - b);
    service.sort((a, b) => a - b);
    const row = (op: string, lat: number[]) => rows.push([backend, op, lat.length, (lat.length / wall).toFixed(0), ms(pct(lat, 50)), ms(pct(lat, 90)), ms(pct(lat, 99)), ms(lat[lat.length - 1] ?? 0)]);
    row('all writes', all);
    for (const [op, lat] of Object.entries(byOp)) row(op, lat.sort((a, b) => a - b));
    rows.push([backend, 'service time (from send)', service.length, '', ms(pct(service, 50)), ms(pct(service, 90)), ms(pct(service, 99)), ms(service[service.length - 1] ?? 0)]);
    console.log(`${backend}: offered ${RATE}/s, completed ${total} in ${wall.toFixed(1)} s; the client issued requests at most ${maxLate.toFixed(1)} ms late`);
  } finally {
    await server.close();
  }
}
table(['backend', 'op', 'n', 'done/s', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms'], rows);
