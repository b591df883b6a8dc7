/**
 * `berth server`: the daemon. Host fixes, one server per socket (a live socket refuses the start,
 * a stale one is removed), the engine (recovering running containers), the Docker API on the
 * unix socket, and the Kubernetes API over HTTPS (storage: SQLite under the data dir, or etcd).
 * SIGTERM/SIGINT close the APIs and leave containers running under conmon.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { bool, CliError, str, type Command } from '../command.js';
import { applyHostFixes } from '../host-fixes.js';
import { isLogLevel, stderrLogger, type StderrLogger } from '../logger.js';
import { berthVersion } from '../version.js';

/** Resolves true when something accepts connections on the socket. */
function socketAlive(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(socketPath);
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

async function claimSocket(socketPath: string, log: StderrLogger): Promise<void> {
  fs.mkdirSync(path.dirname(socketPath), { recursive: true, mode: 0o755 });
  if (!fs.existsSync(socketPath)) return;
  if (await socketAlive(socketPath)) throw new CliError(`another berth server is already listening on ${socketPath}`, 1);
  log.info('removing stale socket', { socket: socketPath });
  fs.rmSync(socketPath, { force: true });
}

const server: Command = {
  spec: {
    name: 'server',
    usage: '[OPTIONS]',
    summary: 'Run the berth daemon (Docker Engine API on a unix socket)',
    maxArgs: 0,
    flags: [
      { name: 'data-dir', type: 'string', help: 'Where berth keeps images and containers', default: '/var/lib/berth' },
      { name: 'run-dir', type: 'string', help: 'Runtime state (cleared by a reboot)', default: '/run/berth' },
      { name: 'socket', type: 'string', help: 'Unix socket for the API', default: '/run/berth/berth.sock' },
      { name: 'runtime', type: 'string', help: 'Default OCI runtime: crun or runc', default: 'crun' },
      { name: 'snapshotter', type: 'string', help: 'Root filesystem driver: overlay, copy or auto', default: 'auto' },
      { name: 'log-level', type: 'string', help: 'Log level: debug, info, warn or error', default: 'info' },
      { name: 'no-host-fixes', type: 'bool', help: 'Skip the host fixes (hugetlb cgroup mount)' },
      { name: 'api-port', type: 'string', help: 'HTTPS port of the Kubernetes API (0 picks a free one)', default: '6443' },
      { name: 'bind-address', type: 'string', help: 'Address the Kubernetes API listens on', default: '127.0.0.1' },
      { name: 'kubeconfig', type: 'string', help: 'Where to write the admin kubeconfig', default: '/etc/berth/kubeconfig.yaml' },
      { name: 'datastore-endpoint', type: 'string', help: 'etcd endpoint(s) for the Kubernetes API state, e.g. http://127.0.0.1:2379 (default: SQLite under --data-dir)' },
      { name: 'datastore-cafile', type: 'string', help: 'CA certificate for an https etcd endpoint' },
      { name: 'datastore-certfile', type: 'string', help: 'Client certificate for an https etcd endpoint' },
      { name: 'datastore-keyfile', type: 'string', help: 'Client key for an https etcd endpoint' },
      { name: 'no-kube-api', type: 'bool', help: 'Serve only the Docker Engine API' },
      { name: 'bridge-name', type: 'string', help: 'Linux bridge of the default network "bridge" (default: berth0, or one derived from --data-dir)' },
      { name: 'bridge-subnet', type: 'string', help: 'Subnet of the default network (default: the first free /24 of 10.210.0.0/16)' },
    ],
  },
  async run(p) {
    const level = str(p, 'log-level') ?? 'info';
    if (!isLogLevel(level)) throw new CliError(`invalid --log-level "${level}": use debug, info, warn or error`, 125);
    const runtime = str(p, 'runtime') ?? 'crun';
    if (runtime !== 'crun' && runtime !== 'runc') throw new CliError(`invalid --runtime "${runtime}": use crun or runc`, 125);
    const snapshotter = str(p, 'snapshotter') ?? 'auto';
    if (snapshotter !== 'overlay' && snapshotter !== 'copy' && snapshotter !== 'auto') throw new CliError(`invalid --snapshotter "${snapshotter}": use overlay, copy or auto`, 125);
    const dataDir = path.resolve(str(p, 'data-dir') ?? '/var/lib/berth');
    const runDir = path.resolve(str(p, 'run-dir') ?? '/run/berth');
    const socketPath = path.resolve(str(p, 'socket') ?? '/run/berth/berth.sock');
    const log = stderrLogger(level);
    const apiPortText = str(p, 'api-port') ?? '6443';
    const apiPort = Number(apiPortText);
    if (!/^\d+$/.test(apiPortText) || apiPort > 65535) throw new CliError(`invalid --api-port "${apiPortText}": use a port number (0 picks a free one)`, 125);

    // Last resort only: every request has its own error handling; this keeps a bug from killing
    // the daemon (and every attached client) while it is logged loudly.
    process.on('uncaughtException', (err) => log.error('uncaught exception (bug)', { error: err.message, stack: err.stack }));
    process.on('unhandledRejection', (err) => log.error('unhandled rejection (bug)', { error: String(err), stack: (err as Error)?.stack }));

    if (!bool(p, 'no-host-fixes')) applyHostFixes(log);
    await claimSocket(socketPath, log);

    const { openEngine } = await import('../../engine/index.js');
    const { createDockerApiServer } = await import('../../server/docker-api/server.js');
    const bridgeName = str(p, 'bridge-name');
    const bridgeSubnet = str(p, 'bridge-subnet');
    const engine = await openEngine({ dataDir, runDir, runtime, snapshotter, logger: log, ...(bridgeName ? { bridgeName } : {}), ...(bridgeSubnet ? { bridgeSubnet } : {}) });
    const api = createDockerApiServer({ engine, log, daemon: { version: berthVersion(), runtime, dataDir, startedAt: new Date() } });
    const sockets = new Set<net.Socket>();
    api.on('connection', (s: net.Socket) => {
      sockets.add(s);
      s.once('close', () => sockets.delete(s));
    });
    await new Promise<void>((resolve, reject) => {
      api.once('error', reject);
      api.listen(socketPath, () => resolve());
    });
    fs.chmodSync(socketPath, 0o660);
    log.info('berth server listening', { socket: socketPath, dataDir, runDir, runtime, version: berthVersion() });

    let controlPlane: { url: string; close(): Promise<void> } | null = null;
    if (!bool(p, 'no-kube-api')) {
      const { startControlPlane } = await import('../control-plane.js');
      const tls = { caFile: str(p, 'datastore-cafile'), certFile: str(p, 'datastore-certfile'), keyFile: str(p, 'datastore-keyfile') };
      const endpoint = str(p, 'datastore-endpoint');
      try {
        controlPlane = await startControlPlane({
          dataDir, apiPort, log,
          bindAddress: str(p, 'bind-address') ?? '127.0.0.1',
          kubeconfigPath: path.resolve(str(p, 'kubeconfig') ?? '/etc/berth/kubeconfig.yaml'),
          ...(endpoint ? { datastoreEndpoint: endpoint } : {}),
          ...(tls.caFile || tls.certFile || tls.keyFile ? { datastoreTls: { ...(tls.caFile ? { caFile: tls.caFile } : {}), ...(tls.certFile ? { certFile: tls.certFile } : {}), ...(tls.keyFile ? { keyFile: tls.keyFile } : {}) } } : {}),
        });
        log.info('kubernetes API listening', { url: controlPlane.url, kubeconfig: str(p, 'kubeconfig') ?? '/etc/berth/kubeconfig.yaml' });
      } catch (err) {
        api.close();
        for (const s of sockets) s.destroy();
        await engine.close();
        fs.rmSync(socketPath, { force: true });
        throw new CliError(`cannot start the Kubernetes API: ${(err as Error).message}`, 1);
      }
    }

    await new Promise<void>((resolve) => {
      let stopping = false;
      const shutdown = (sig: string) => {
        if (stopping) return;
        stopping = true;
        log.info('shutting down; containers keep running', { signal: sig });
        api.close();
        for (const s of sockets) s.destroy();
        Promise.resolve(controlPlane?.close())
          .catch((err) => log.error('kubernetes API close failed', { error: String(err) }))
          .then(() => engine.close())
          .catch((err) => log.error('engine close failed', { error: String(err) }))
          .finally(() => {
            fs.rmSync(socketPath, { force: true });
            resolve();
          });
      };
      process.once('SIGTERM', () => shutdown('SIGTERM'));
      process.once('SIGINT', () => shutdown('SIGINT'));
    });
    return 0;
  },
};

export const commands: Record<string, Command> = { server };
