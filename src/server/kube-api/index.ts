/**
 * The Kubernetes API surface: `startKubeApi` makes or loads the credentials under
 * `<dataDir>/pki/`, serves HTTPS on bindAddress:port in front of an ApiServer, and writes the admin
 * kubeconfig (default /etc/berth/kubeconfig.yaml) plus `<dataDir>/pki/server-url`, which
 * `berth kubeconfig` reads to print the same kubeconfig later.
 */
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { BerthError } from '../../base/errors.js';
import type { ApiServer } from '../../orchestrator/apiserver/types.js';
import { clientUrl, renderKubeconfig, writeKubeconfig } from './kubeconfig.js';
import { ensurePki, writeFileAtomic } from './pki.js';
import { createKubeHttpsServer } from './server.js';
import { TokenFile } from './tokens.js';

export { renderKubeconfig, clientUrl } from './kubeconfig.js';
export { ensurePki, readPki, pkiDir, type Pki } from './pki.js';
export { parseTokenFile, formatTokenLine, type TokenEntry } from './tokens.js';
export { statusFromError, type KubeStatus } from './status.js';
export { MAX_BODY_BYTES } from './body.js';

export const DEFAULT_KUBECONFIG_PATH = '/etc/berth/kubeconfig.yaml';
export const DEFAULT_API_PORT = 6443;

export interface StartKubeApiOptions {
  dataDir: string;
  apiServer: ApiServer;
  /** 0 picks a free port (tests). */
  port: number;
  bindAddress: string;
  /** Where the admin kubeconfig goes (default /etc/berth/kubeconfig.yaml). */
  kubeconfigPath?: string;
  logger?: (m: string) => void;
}

export interface KubeApi {
  url: string;
  caCertPem: string;
  /** The admin kubeconfig's text (client certificate, CA and URL embedded). */
  kubeconfig: string;
  /** The admin bearer token from tokens.csv, if it still has one. */
  adminToken?: string;
  close(): Promise<void>;
}

/** The names and addresses the serving certificate must cover for this bind address. */
export function servingHosts(bindAddress: string): string[] {
  const hosts = ['localhost', '127.0.0.1', '::1', os.hostname()];
  if (bindAddress === '0.0.0.0' || bindAddress === '::' || bindAddress === '') {
    // A wildcard bind answers on every interface; cover their addresses so other machines can verify it.
    for (const addrs of Object.values(os.networkInterfaces())) {
      for (const a of addrs ?? []) if (!a.internal && !a.address.startsWith('fe80:')) hosts.push(a.address);
    }
  } else hosts.push(bindAddress);
  return [...new Set(hosts)];
}

export function serverUrlFile(dataDir: string): string {
  return path.join(path.resolve(dataDir), 'pki', 'server-url');
}

export async function startKubeApi(opts: StartKubeApiOptions): Promise<KubeApi> {
  const log = opts.logger ?? (() => {});
  if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535) throw new BerthError('InvalidArgument', `invalid API port ${opts.port}`);
  if (opts.bindAddress !== '' && net.isIP(opts.bindAddress) === 0) throw new BerthError('InvalidArgument', `invalid bind address "${opts.bindAddress}": give an IP address`);
  const pki = ensurePki(opts.dataDir, servingHosts(opts.bindAddress), log);
  const tokens = new TokenFile(pki.tokensFile, log);
  const { server, abortAll } = createKubeHttpsServer({
    apiServer: opts.apiServer,
    tokens,
    caCertPem: pki.ca.certPem,
    serverCertPem: pki.server.certPem,
    serverKeyPem: pki.server.keyPem,
    log,
  });
  await new Promise<void>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      reject(err.code === 'EADDRINUSE'
        ? new BerthError('ResourceExhausted', `the Kubernetes API port ${opts.bindAddress || '*'}:${opts.port} is already in use`)
        : new BerthError('Unavailable', `cannot listen on ${opts.bindAddress || '*'}:${opts.port}: ${err.message}`, { cause: err }));
    };
    server.once('error', onError);
    server.listen(opts.port, opts.bindAddress || undefined, () => {
      server.off('error', onError);
      resolve();
    });
  });
  server.on('error', (err) => log(`kube-api: server error: ${err.message}`));
  const port = (server.address() as net.AddressInfo).port;
  const url = clientUrl(opts.bindAddress, port);
  const kubeconfig = renderKubeconfig({ server: url, caCertPem: pki.ca.certPem, clientCertPem: pki.admin.certPem, clientKeyPem: pki.admin.keyPem });
  try {
    writeKubeconfig(opts.kubeconfigPath ?? DEFAULT_KUBECONFIG_PATH, kubeconfig);
    writeFileAtomic(serverUrlFile(opts.dataDir), `${url}\n`, 0o644);
  } catch (err) {
    server.close();
    throw new BerthError('Unavailable', `cannot write the admin kubeconfig ${opts.kubeconfigPath ?? DEFAULT_KUBECONFIG_PATH}: ${(err as Error).message}`, { cause: err });
  }
  log(`kube-api: serving the Kubernetes API on ${url} (kubeconfig ${opts.kubeconfigPath ?? DEFAULT_KUBECONFIG_PATH})`);
  let closing: Promise<void> | undefined;
  return {
    url,
    caCertPem: pki.ca.certPem,
    kubeconfig,
    ...(pki.adminToken !== undefined ? { adminToken: pki.adminToken } : {}),
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        abortAll();
        server.close(() => resolve());
        server.closeAllConnections();
      })),
  };
}

