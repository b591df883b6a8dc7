/**
 * A real etcd for tests: on loopback, free ports, its own data dir, killed afterwards. If etcd is
 * not installed this FAILS (scripts/setup.sh installs etcd-server and etcd-client).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Gateway } from '../../../src/storage/etcd/gateway.js';

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
export interface EtcdTlsFiles {
  ca: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
}

/** A throwaway CA with a server certificate for 127.0.0.1 and a client certificate (openssl). */
export function makeTlsFiles(dir: string): EtcdTlsFiles {
  fs.mkdirSync(dir, { recursive: true });
  const f = (n: string) => path.join(dir, n);
  const ssl = (...args: string[]) => execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=berth-test-ca', '-keyout', f('ca.key'), '-out', f('ca.crt'));
  const issue = (name: string, ext: string) => {
    fs.writeFileSync(f(`${name}.ext`), ext);
    ssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${name}`, '-keyout', f(`${name}.key`), '-out', f(`${name}.csr`));
    ssl('x509', '-req', '-in', f(`${name}.csr`), '-CA', f('ca.crt'), '-CAkey', f('ca.key'), '-CAcreateserial', '-days', '2', '-extfile', f(`${name}.ext`), '-out', f(`${name}.crt`));
  };
  // etcd's gateway dials its own gRPC port with the server certificate, so it needs clientAuth too.
  issue('server', 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n');
  issue('client', 'extendedKeyUsage=clientAuth\n');
  return { ca: f('ca.crt'), serverCert: f('server.crt'), serverKey: f('server.key'), clientCert: f('client.crt'), clientKey: f('client.key') };
}

export async function startEtcd(dataDir: string, opts: { name?: string; peerPort?: number; tls?: EtcdTlsFiles } = {}): Promise<EtcdProcess> {
  const etcd = which('etcd');
  const clientPort = await freePort();
  const peerPort = opts.peerPort ?? (await freePort());
  const name = opts.name ?? 'berth-test';
  const peer = `http://127.0.0.1:${peerPort}`;
  const endpoint = `${opts.tls ? 'https' : 'http'}://127.0.0.1:${clientPort}`;
  const tlsArgs = opts.tls
    ? ['--cert-file', opts.tls.serverCert, '--key-file', opts.tls.serverKey, '--client-cert-auth', '--trusted-ca-file', opts.tls.ca]
    : [];
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
    ...tlsArgs,
  ], { stdio: ['ignore', log, log] });
  fs.closeSync(log);
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once('exit', () => ((exited = true), resolve())));
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (exited) throw new Error(`etcd exited at start; log:\n${fs.readFileSync(logFile, 'utf8').slice(-3000)}`);
    if (await answers(endpoint, opts.tls)) break;
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

/** True once etcd serves a range read (through the same gateway client berth uses). */
async function answers(endpoint: string, tls: EtcdTlsFiles | undefined): Promise<boolean> {
  const gw = new Gateway(endpoint, tls ? { caFile: tls.ca, certFile: tls.clientCert, keyFile: tls.clientKey } : {});
  try {
    await gw.call('/v3/kv/range', { key: 'AA==' });
    return true;
  } catch {
    return false;
  } finally {
    gw.close();
  }
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
