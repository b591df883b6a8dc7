/**
 * The real `berth server` process with its Kubernetes API, for tests and benchmarks that must go
 * through the daemon itself (crash it with SIGKILL, measure its RSS): scratch data/run dirs and
 * socket, `--api-port 0` and a private kubeconfig, SQLite by default or etcd with
 * `datastoreEndpoint`. The admin client certificate is read back from the kubeconfig the server
 * writes, so callers talk HTTPS to it exactly as kubectl would.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import YAML from 'yaml';
import { repoRoot } from '../../helpers/test-image.js';

export interface BerthServerProcess {
  dir: string;
  pid: number;
  url: string;
  kubeconfig: string;
  /** CA, client certificate and key of the admin user (from the kubeconfig). */
  creds: { ca: string; cert: string; key: string };
  log(): string;
  /** kill -9: a crash. Resolves once the process is gone. */
  crash(): Promise<void>;
  /** SIGTERM and wait for exit. */
  stop(): Promise<void>;
}

export interface BerthServerOptions {
  datastoreEndpoint?: string;
  /** Run the built daemon (dist/cmd/main.js, as the `berth` launcher does) instead of the sources under tsx. */
  built?: boolean;
  /** `berth server` flags beyond the defaults. */
  extraArgs?: string[];
  /** Node flags for the daemon (e.g. --heapsnapshot-signal for the RSS benchmark). */
  nodeArgs?: string[];
}

const exited = (p: ChildProcess) =>
  p.exitCode !== null || p.signalCode !== null ? Promise.resolve() : new Promise<void>((r) => p.once('exit', () => r()));

/** Starts `berth server` on dir (reusing what an earlier run left there) and waits for its Kubernetes API. */
export async function startBerthServer(dir: string, opts: BerthServerOptions = {}): Promise<BerthServerProcess> {
  fs.mkdirSync(dir, { recursive: true });
  const kubeconfig = path.join(dir, 'kubeconfig.yaml');
  // The port changes with every start (--api-port 0): a kubeconfig from an earlier run is stale.
  fs.rmSync(kubeconfig, { force: true });
  const logFile = path.join(dir, 'server.log');
  const out = fs.openSync(logFile, 'a');
  const entry = opts.built ? [path.join(repoRoot, 'dist/cmd/main.js')] : ['--import', 'tsx', path.join(repoRoot, 'src/cmd/main.ts')];
  const proc = spawn(process.execPath, [...(opts.nodeArgs ?? []), ...entry, 'server',
    '--data-dir', path.join(dir, 'data'), '--run-dir', path.join(dir, 'run'), '--socket', path.join(dir, 'b.sock'),
    '--api-port', '0', '--kubeconfig', kubeconfig,
    ...(opts.datastoreEndpoint ? ['--datastore-endpoint', opts.datastoreEndpoint] : []),
    ...(opts.extraArgs ?? [])], { stdio: ['ignore', out, out], cwd: repoRoot });
  fs.closeSync(out);
  const log = () => fs.readFileSync(logFile, 'utf8');
  const deadline = Date.now() + 60_000;
  while (!fs.existsSync(kubeconfig)) {
    if (proc.exitCode !== null || proc.signalCode !== null) throw new Error(`berth server exited (${proc.exitCode ?? proc.signalCode}) before serving the Kubernetes API:\n${log().slice(-4000)}`);
    if (Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`berth server did not write ${kubeconfig} within 60 s:\n${log().slice(-4000)}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const kc = YAML.parse(fs.readFileSync(kubeconfig, 'utf8'));
  const unb64 = (s: string) => Buffer.from(s, 'base64').toString('utf8');
  const creds = {
    ca: unb64(kc.clusters[0].cluster['certificate-authority-data']),
    cert: unb64(kc.users[0].user['client-certificate-data']),
    key: unb64(kc.users[0].user['client-key-data']),
  };
  return {
    dir,
    pid: proc.pid!,
    url: kc.clusters[0].cluster.server as string,
    kubeconfig,
    creds,
    log,
    crash: async () => {
      proc.kill('SIGKILL');
      await exited(proc);
    },
    stop: async () => {
      proc.kill('SIGTERM');
      await exited(proc);
    },
  };
}

export interface KubeResponse { status: number; body: string }

/** A keep-alive HTTPS client for the server's admin user, at most `sockets` connections. */
export function adminClient(server: Pick<BerthServerProcess, 'url' | 'creds'>, sockets: number) {
  const u = new URL(server.url);
  const agent = new https.Agent({ keepAlive: true, maxSockets: sockets, ca: server.creds.ca, cert: server.creds.cert, key: server.creds.key });
  const call = (method: string, reqPath: string, body?: string, type = 'application/json') =>
    new Promise<KubeResponse>((resolve, reject) => {
      const req = https.request({
        host: u.hostname, port: u.port, method, path: reqPath, agent,
        headers: body !== undefined ? { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) } : {},
      }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
  return { call, agent, close: () => agent.destroy() };
}
