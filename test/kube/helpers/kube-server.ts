/**
 * A whole Kubernetes API for end-to-end tests: storage (SQLite in a scratch dir, or a real etcd on
 * loopback via the storage tests' helper), the apiserver (src/orchestrator/apiserver) and the
 * HTTPS transport (src/server/kube-api) on a free port, with an admin kubeconfig in the scratch dir
 * and a client environment (HOME, kubectl's discovery cache, helm's dirs) that never touches the
 * real ones.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createApiServer } from '../../../src/orchestrator/apiserver/index.js';
import { startKubeApi } from '../../../src/server/kube-api/index.js';
import { openStorage } from '../../../src/storage/index.js';
import { scratchDir } from '../../helpers/test-image.js';
import { startEtcd, type EtcdProcess } from '../../storage/helpers/etcd-process.js';

export type Backend = 'sqlite' | 'etcd';

export interface KubeServer {
  backend: Backend;
  url: string;
  dataDir: string;
  kubeconfig: string;
  caCertPem: string;
  adminToken: string;
  /** Environment for kubectl/helm: KUBECONFIG, a private HOME, discovery cache and helm dirs. */
  env: NodeJS.ProcessEnv;
  close(): Promise<void>;
}

export async function startKubeServer(backend: Backend): Promise<KubeServer> {
  const dataDir = scratchDir(`kube-${backend}`);
  let etcd: EtcdProcess | undefined;
  if (backend === 'etcd') etcd = await startEtcd(path.join(dataDir, 'etcd'));
  const kv = await openStorage({ dataDir, ...(etcd ? { endpoint: etcd.endpoint } : {}) });
  const logFile = path.join(dataDir, 'apiserver.log');
  const logger = (m: string) => fs.appendFileSync(logFile, `${new Date().toISOString()} ${m}\n`);
  const apiServer = await createApiServer({ kv, logger });
  const kubeconfig = path.join(dataDir, 'kubeconfig.yaml');
  const kube = await startKubeApi({ dataDir, apiServer, port: 0, bindAddress: '127.0.0.1', kubeconfigPath: kubeconfig, logger });
  const home = path.join(dataDir, 'home');
  fs.mkdirSync(home, { recursive: true });
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: home,
    KUBECONFIG: kubeconfig,
    KUBECACHEDIR: path.join(home, 'kube-cache'),
    HELM_CACHE_HOME: path.join(home, 'helm-cache'),
    HELM_CONFIG_HOME: path.join(home, 'helm-config'),
    HELM_DATA_HOME: path.join(home, 'helm-data'),
  };
  return {
    backend,
    url: kube.url,
    dataDir,
    kubeconfig,
    caCertPem: kube.caCertPem,
    adminToken: kube.adminToken ?? '',
    env,
    close: async () => {
      await kube.close();
      await apiServer.close();
      await kv.close();
      await etcd?.stop();
    },
  };
}
