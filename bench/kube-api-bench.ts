/**
 * Kubernetes API throughput and latency through the whole stack (HTTPS + client certificate →
 * transport → apiserver → storage), on SQLite and on a real etcd on loopback (not a test):
 *   node --import tsx bench/kube-api-bench.ts [--ops N]
 * Measures ConfigMap create / get / list (100 items) / merge-patch over keep-alive HTTPS at 1 and
 * 10 concurrent clients, and the wall time of whole `kubectl get` and `kubectl apply` runs
 * (kubectl 1.34, discovery cached). No upstream kube-apiserver is installable here to compare
 * against, so the figures are absolute; SQLite vs etcd is the comparison.
 */
import https from 'node:https';
import { performance } from 'node:perf_hooks';
import { ensurePki } from '../src/server/kube-api/index.js';
import { kubeClients, runCli } from '../test/kube/helpers/clients.js';
import { startKubeServer, type Backend, type KubeServer } from '../test/kube/helpers/kube-server.js';

const opsArg = process.argv.indexOf('--ops');
const OPS = opsArg > 0 ? Number(process.argv[opsArg + 1]) : 1000;
const NS = '/api/v1/namespaces/default/configmaps';

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? 0;
}

function client(server: KubeServer, clients: number) {
  const pki = ensurePki(server.dataDir, ['127.0.0.1']);
  const u = new URL(server.url);
  const agent = new https.Agent({ keepAlive: true, maxSockets: clients, ca: server.caCertPem, cert: pki.admin.certPem, key: pki.admin.keyPem });
  return (method: string, path: string, body?: string, type = 'application/json') =>
    new Promise<number>((resolve, reject) => {
      const req = https.request({ host: u.hostname, port: u.port, method, path, agent, headers: body ? { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) } : {} }, (res) => {
        res.resume();
        res.on('end', () => (res.statusCode! < 300 ? resolve(res.statusCode!) : reject(new Error(`${method} ${path}: ${res.statusCode}`))));
      });
      req.on('error', reject);
      req.end(body);
    });
}

async function drive(clients: number, total: number, fn: (i: number) => Promise<unknown>): Promise<{ opsPerSec: number; p50: number; p99: number }> {
  const lat: number[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: clients }, async () => {
    for (let i = next++; i < total; i = next++) {
      const s = performance.now();
      await fn(i);
      lat.push(performance.now() - s);
    }
  }));
  lat.sort((a, b) => a - b);
  return { opsPerSec: total / ((performance.now() - t0) / 1000), p50: pct(lat, 50), p99: pct(lat, 99) };
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

async function benchBackend(backend: Backend): Promise<void> {
  const server = await startKubeServer(backend);
  try {
    for (const clients of [1, 10]) {
      const call = client(server, clients);
      const prefix = `b${clients}-`;
      const cm = (i: number) => JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `${prefix}${i}`, labels: { bench: `c${clients}` } }, data: { k: 'v'.repeat(400) } });
      const rows: Array<[string, Awaited<ReturnType<typeof drive>>]> = [];
      rows.push(['create', await drive(clients, OPS, (i) => call('POST', NS, cm(i)))]);
      rows.push(['get', await drive(clients, OPS, (i) => call('GET', `${NS}/${prefix}${i % OPS}`))]);
      rows.push(['list 100', await drive(clients, Math.max(50, OPS / 10), () => call('GET', `${NS}?limit=100&labelSelector=bench%3Dc${clients}`))]);
      rows.push(['merge-patch', await drive(clients, OPS, (i) => call('PATCH', `${NS}/${prefix}${i % OPS}`, `{"data":{"n":"${i}"}}`, 'application/merge-patch+json'))]);
      for (const [op, r] of rows) {
        console.log(`${backend.padEnd(6)} ${op.padEnd(12)} clients=${String(clients).padEnd(3)} ${r.opsPerSec.toFixed(0).padStart(6)} ops/s  p50 ${r.p50.toFixed(2)} ms  p99 ${r.p99.toFixed(2)} ms`);
      }
    }
    const { kubectl } = kubeClients();
    await runCli(kubectl, ['get', 'configmaps', '-n', 'default', '--limit=1'], { env: server.env }); // fills the discovery cache
    const get = await median(15, () => runCli(kubectl, ['get', 'configmap', 'b1-1', '-n', 'default'], { env: server.env }));
    const manifest = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: applied\n  namespace: default\ndata:\n  a: "1"\n';
    let n = 0;
    const apply = await median(15, () => runCli(kubectl, ['apply', '-f', '-'], { env: server.env, input: manifest.replace('"1"', `"${n++}"`) }));
    console.log(`${backend.padEnd(6)} kubectl get one configmap: median ${get.toFixed(0)} ms; kubectl apply (configured): median ${apply.toFixed(0)} ms`);
  } finally {
    await server.close();
  }
}

for (const backend of ['sqlite', 'etcd'] as const) await benchBackend(backend);
