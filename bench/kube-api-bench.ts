/**
 * Kubernetes API throughput and latency through the real daemon (`berth server` as its own
 * process; HTTPS + admin client certificate → transport → apiserver → storage), on SQLite and on
 * a real etcd on loopback (not a test):
 *   node --import tsx bench/kube-api-bench.ts [--ops N] [--backend sqlite|etcd]
 * ConfigMap create / get / list (first page of 100 of the 1000 in a namespace) / merge-patch / watch at 1, 10 and 100 concurrent
 * keep-alive HTTPS clients; "watch" is the time from a create's call until its ADDED event arrives
 * on a watch stream (one watcher, the writers at the given concurrency). Then the wall time of whole
 * `kubectl get` and `kubectl apply` runs (kubectl 1.34, discovery cached). No upstream
 * kube-apiserver is installable here to compare against: SQLite vs etcd is the comparison.
 */
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { adminClient } from '../test/kube/helpers/berth-server-process.js';
import { kubeClients, runCli } from '../test/kube/helpers/clients.js';
import { drive, expectStatus, header, ms, openWatch, pct, startBenchServer, table, type Backend, type BenchServer, type Rate } from './kube-bench-lib.js';

const arg = (name: string) => (process.argv.indexOf(name) > 0 ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const OPS = Number(arg('--ops') ?? 1000);
const BACKENDS: Backend[] = arg('--backend') ? [arg('--backend') as Backend] : ['sqlite', 'etcd'];
const CLIENTS = [1, 10, 100];

/** Creates at `clients` concurrency while one watcher on their label times each create → ADDED. */
async function watchLatency(server: BenchServer, call: ReturnType<typeof adminClient>['call'], clients: number, NS: string): Promise<Rate> {
  const label = `w${clients}`;
  const started = new Map<string, number>();
  const lat: number[] = [];
  let done!: () => void;
  const all = new Promise<void>((r) => (done = r));
  const w = openWatch(server, `${NS}?watch=1&labelSelector=benchw%3D${label}`, (e) => {
    if (e.type !== 'ADDED') return;
    const s = started.get(e.object.metadata.name);
    if (s !== undefined) lat.push(performance.now() - s);
    if (lat.length === OPS) done();
  });
  await w.ready;
  const t0 = performance.now();
  await drive(clients, OPS, async (i) => {
    const name = `${label}-${i}`;
    started.set(name, performance.now());
    const r = await call('POST', NS, JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels: { benchw: label } }, data: { k: 'v'.repeat(400) } }));
    expectStatus(r, [201], `create ${name}`);
  });
  await all;
  const secs = (performance.now() - t0) / 1000;
  w.close();
  lat.sort((a, b) => a - b);
  return { opsPerSec: OPS / secs, p50: pct(lat, 50), p99: pct(lat, 99) };
}

async function median(n: number, fn: () => Promise<unknown>): Promise<number> {
  const t: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = performance.now();
    await fn();
    t.push(performance.now() - s);
  }
  return pct(t.sort((a, b) => a - b), 50);
}

async function kubectlTimes(server: BenchServer): Promise<string> {
  const home = path.join(server.dir, 'home');
  fs.mkdirSync(home, { recursive: true });
  const env = { PATH: process.env.PATH, HOME: home, KUBECONFIG: server.kubeconfig, KUBECACHEDIR: path.join(home, 'kube-cache') };
  const { kubectl } = kubeClients();
  const ok = async (args: string[], input?: string) => {
    const r = await runCli(kubectl, args, { env, ...(input !== undefined ? { input } : {}) });
    if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')}: ${r.stderr}`);
  };
  await ok(['get', 'configmap', 'c1-1', '-n', 'bench-c1']); // fills the discovery cache
  const get = await median(15, () => ok(['get', 'configmap', 'c1-1', '-n', 'bench-c1']));
  const manifest = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: applied\n  namespace: default\ndata:\n  a: "1"\n';
  let n = 0;
  const apply = await median(15, () => ok(['apply', '-f', '-'], manifest.replace('"1"', `"${n++}"`)));
  return `${server.backend}: kubectl get one configmap median ${get.toFixed(0)} ms; kubectl apply (configured) median ${apply.toFixed(0)} ms`;
}

const rows: Array<Array<string | number>> = [];
const cliLines: string[] = [];
header(`Kubernetes API through berth server, ${OPS} ops per row (list: ${Math.max(50, OPS / 10)})`);
for (const backend of BACKENDS) {
  const server = await startBenchServer(backend, 'kube-api-bench');
  try {
    for (const clients of CLIENTS) {
      const client = adminClient(server, clients);
      const { call } = client;
      // One namespace per row group: lists page through this group's objects only.
      expectStatus(await call('POST', '/api/v1/namespaces', JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: `bench-c${clients}` } })), [201], 'namespace');
      const NS = `/api/v1/namespaces/bench-c${clients}/configmaps`;
      const name = (i: number) => `c${clients}-${i}`;
      const body = (i: number) => JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: name(i), labels: { bench: `c${clients}` } }, data: { k: 'v'.repeat(400) } });
      // Open (TLS-handshake) every connection first: the rows measure requests, not handshakes.
      await drive(clients, clients * 3, async () => expectStatus(await call('GET', '/api/v1/namespaces/default'), [200], 'warm-up'));
      const add = (op: string, r: Rate) => rows.push([backend, op, clients, r.opsPerSec.toFixed(0), ms(r.p50), ms(r.p99)]);
      add('create', await drive(clients, OPS, async (i) => expectStatus(await call('POST', NS, body(i)), [201], `create ${name(i)}`)));
      add('get', await drive(clients, OPS, async (i) => expectStatus(await call('GET', `${NS}/${name((i * 7919) % OPS)}`), [200], 'get')));
      add('list 100', await drive(clients, Math.max(50, OPS / 10), async () => expectStatus(await call('GET', `${NS}?limit=100`), [200], 'list')));
      add('merge-patch', await drive(clients, OPS, async (i) => expectStatus(await call('PATCH', `${NS}/${name(i)}`, `{"data":{"n":"${i}"}}`, 'application/merge-patch+json'), [200], 'patch')));
      add('watch (create→event)', await watchLatency(server, call, clients, NS));
      client.close();
      console.error(`${backend} @${clients} done`);
    }
    cliLines.push(await kubectlTimes(server));
  } finally {
    await server.close();
  }
}
table(['backend', 'op', 'clients', 'ops/s', 'p50 ms', 'p99 ms'], rows);
for (const l of cliLines) console.log(l);
