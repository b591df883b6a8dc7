/**
 * A real etcd for tests: on loopback, free ports, its own data dir, killed afterwards. If etcd is
 * not installed this FAILS (scripts/setup.sh installs etcd-server and etcd-client).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export interface EtcdProcess {
  endpoint: string;
  dataDir: string;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

function which(bin: string): string {
  for (const dir of (process.env.PATH ?? '/usr/bin').split(':')) {
    const p = path.join(dir, bin);
    if (fs.existsSync(p)) return p;
  }
  throw new Error(`${bin} is not installed (apt-get install etcd-server etcd-client; scripts/setup.sh does this)`);
}

/**
 * Starts etcd on dataDir (which may hold a restored snapshot; then pass the same name and peer
 * URL that `etcdctl snapshot restore` was given).
 */
export async function startEtcd(dataDir: string, opts: { name?: string; peerPort?: number } = {}): Promise<EtcdProcess> {
  const etcd = which('etcd');
  const clientPort = await freePort();
  const peerPort = opts.peerPort ?? (await freePort());
  const name = opts.name ?? 'berth-test';
  const peer = `http://127.0.0.1:${peerPort}`;
  const endpoint = `http://127.0.0.1:${clientPort}`;
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const logFile = path.join(path.dirname(dataDir), `${path.basename(dataDir)}.etcd.log`);
  const log = fs.openSync(logFile, 'a');
  const child: ChildProcess = spawn(etcd, [
    '--name', name, '--data-dir', dataDir,
    '--listen-client-urls', endpoint, '--advertise-client-urls', endpoint,
    '--listen-peer-urls', peer, '--initial-advertise-peer-urls', peer,
    '--initial-cluster', `${name}=${peer}`,
    // 2 MiB requests so berth's largest value (1.5 MiB) fits with its envelope.
    '--max-request-bytes', String(2 * 1024 * 1024),
  ], { stdio: ['ignore', log, log] });
  fs.closeSync(log);
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once('exit', () => ((exited = true), resolve())));
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (exited) throw new Error(`etcd exited at start; log:\n${fs.readFileSync(logFile, 'utf8').slice(-3000)}`);
    try {
      const r = await fetch(`${endpoint}/v3/kv/range`, { method: 'POST', body: JSON.stringify({ key: 'AA==' }) });
      if (r.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`etcd did not answer on ${endpoint} within 20 s; log:\n${fs.readFileSync(logFile, 'utf8').slice(-3000)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    endpoint,
    dataDir,
    stop: async () => {
      if (!exited) child.kill('SIGKILL');
      await exit;
    },
  };
}

/** `etcdctl snapshot restore` into a new data dir, then an etcd on it. */
export async function startRestoredEtcd(snapshotFile: string, dataDir: string): Promise<EtcdProcess> {
  const etcdctl = which('etcdctl');
  const peerPort = await freePort();
  const name = 'berth-restored';
  const peer = `http://127.0.0.1:${peerPort}`;
  execFileSync(etcdctl, ['snapshot', 'restore', snapshotFile, '--data-dir', dataDir, '--name', name,
    '--initial-cluster', `${name}=${peer}`, '--initial-advertise-peer-urls', peer], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ETCDCTL_API: '3' } });
  return startEtcd(dataDir, { name, peerPort });
}
