/**
 * The orchestrator half of `berth server`: storage (SQLite under the data dir, or etcd), the
 * apiserver's Kubernetes semantics over it, and the HTTPS transport that kubectl and helm talk to.
 * Loaded lazily so the engine-only paths of the CLI never pay for it.
 * Layout: <dataDir>/orchestrator/state.db (SQLite), <dataDir>/pki (CA, certs, tokens — where
 * `berth kubeconfig --data-dir` looks).
 */
import path from 'node:path';
import type { StderrLogger } from './logger.js';

export interface ControlPlaneOptions {
  dataDir: string;
  apiPort: number; // 0 picks a free port (tests); the URL lands in the kubeconfig
  bindAddress: string;
  kubeconfigPath: string;
  datastoreEndpoint?: string;
  datastoreTls?: { caFile?: string; certFile?: string; keyFile?: string };
  log: StderrLogger;
}

export interface ControlPlane {
  url: string;
  close(): Promise<void>;
}

export async function startControlPlane(o: ControlPlaneOptions): Promise<ControlPlane> {
  const { openStorage } = await import('../storage/index.js');
  const { createApiServer } = await import('../orchestrator/apiserver/index.js');
  const { startKubeApi } = await import('../server/kube-api/index.js');
  const kv = await openStorage({
    dataDir: path.join(o.dataDir, 'orchestrator'),
    ...(o.datastoreEndpoint ? { endpoint: o.datastoreEndpoint } : {}),
    ...(o.datastoreTls ? { tls: o.datastoreTls } : {}),
  });
  const logger = (m: string) => o.log.info(m, { component: 'kube-api' });
  try {
    const apiServer = await createApiServer({ kv, logger, apiPort: o.apiPort || 6443 });
    try {
      const kube = await startKubeApi({ dataDir: o.dataDir, apiServer, port: o.apiPort, bindAddress: o.bindAddress, kubeconfigPath: o.kubeconfigPath, logger });
      return {
        url: kube.url,
        async close() {
          await kube.close();
          await apiServer.close();
          await kv.close();
        },
      };
    } catch (err) {
      await apiServer.close();
      throw err;
    }
  } catch (err) {
    await kv.close();
    throw err;
  }
}
