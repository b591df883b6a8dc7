/**
 * Shared pieces of the Kubernetes API benchmarks: a real `berth server` per backend (SQLite under
 * its data dir, or a real etcd on loopback that the benchmark starts), closed-loop drivers,
 * percentiles, a watch-stream reader and table printing. The server is a separate process so the
 * benchmark's own client work does not share its event loop.
 */
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { startBerthServer, type BerthServerProcess } from '../test/kube/helpers/berth-server-process.js';
import { startEtcd, type EtcdProcess } from '../test/storage/helpers/etcd-process.js';

export type Backend = 'sqlite' | 'etcd';

export interface BenchServer extends BerthServerProcess {
  backend: Backend;
  close(): Promise<void>;
}

export function benchRoot(label: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `berth-${label}-`));
}

/** A fresh `berth server` (sources under tsx, like the tests) on the backend; close() removes everything. */
export async function startBenchServer(backend: Backend, label: string): Promise<BenchServer> {
  const root = benchRoot(`${label}-${backend}`);
  let etcd: EtcdProcess | undefined;
  if (backend === 'etcd') etcd = await startEtcd(path.join(root, 'etcd'));
  const server = await startBerthServer(path.join(root, 'server'), etcd ? { datastoreEndpoint: etcd.endpoint } : {});
  return {
    ...server,
    backend,
    close: async () => {
      await server.stop();
      await etcd?.stop();
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}

export { pct, drive, type Rate } from './measure.js';

/** Fails loudly on an unexpected status: a benchmark of errors is worthless. */
export function expectStatus(r: { status: number; body: string }, ok: number[], what: string): void {
  if (!ok.includes(r.status)) throw new Error(`${what}: HTTP ${r.status} ${r.body.slice(0, 300)}`);
}

export interface WatchStream {
  /** Resolves when the response headers arrived (the watch is registered). */
  ready: Promise<void>;
  close(): void;
}

/**
 * A watch over its own HTTPS connection; onEvent gets each parsed JSON event line. Bookmarks are
 * passed through too (callers filter on type).
 */
export function openWatch(server: Pick<BerthServerProcess, 'url' | 'creds'>, reqPath: string, onEvent: (e: { type: string; object: { metadata: { name: string; resourceVersion: string } } }) => void): WatchStream {
  const u = new URL(server.url);
  let req: ReturnType<typeof https.request> | undefined;
  const ready = new Promise<void>((resolve, reject) => {
    req = https.request({ host: u.hostname, port: u.port, path: reqPath, agent: false, ca: server.creds.ca, cert: server.creds.cert, key: server.creds.key }, (res) => {
      if (res.statusCode !== 200) {
        reject(new Error(`watch ${reqPath}: HTTP ${res.statusCode}`));
        res.resume();
        return;
      }
      resolve();
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => {
        buf += d;
        for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + 1);
          if (line.trim()) onEvent(JSON.parse(line));
        }
      });
      res.on('error', () => {});
    });
    req.on('error', reject);
    req.end();
  });
  ready.catch(() => {});
  return { ready, close: () => req?.destroy() };
}

export function header(title: string): void {
  console.log(`\n${title}\n${new Date().toISOString()}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
}

/** A markdown table: easy to paste into docs/benchmarks.md. */
export function table(head: string[], rows: Array<Array<string | number>>): void {
  console.log(`| ${head.join(' | ')} |`);
  console.log(`|${head.map(() => '---').join('|')}|`);
  for (const r of rows) console.log(`| ${r.join(' | ')} |`);
}

export const ms = (n: number) => n.toFixed(n < 10 ? 2 : 1);
