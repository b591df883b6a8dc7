/**
 * Admin kubeconfigs: one cluster (the API's URL and the CA, embedded), one user (the admin client
 * certificate and key embedded, or a bearer token), one context, selected. Written 0600 because it
 * holds a private key or a token.
 */
import net from 'node:net';
import YAML from 'yaml';
import { writeFileAtomic } from './pki.js';

export interface KubeconfigInput {
  server: string;
  caCertPem: string;
  /** Client-certificate credentials… */
  clientCertPem?: string;
  clientKeyPem?: string;
  /** …or a bearer token. */
  token?: string;
  /** Names the cluster, user and context; "berth" by default. */
  name?: string;
}

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

export function renderKubeconfig(k: KubeconfigInput): string {
  const name = k.name ?? 'berth';
  const userName = `${name}-admin`;
  const user: Record<string, string> = {};
  if (k.clientCertPem && k.clientKeyPem) {
    user['client-certificate-data'] = b64(k.clientCertPem);
    user['client-key-data'] = b64(k.clientKeyPem);
  }
  if (k.token) user.token = k.token;
  const doc = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster: { server: k.server, 'certificate-authority-data': b64(k.caCertPem) } }],
    users: [{ name: userName, user }],
    contexts: [{ name, context: { cluster: name, user: userName } }],
    'current-context': name,
    preferences: {},
  };
  return YAML.stringify(doc, { lineWidth: 0 });
}

export function writeKubeconfig(file: string, text: string): void {
  writeFileAtomic(file, text, 0o600);
}

/** The URL clients should use for a server bound to bindAddress:port (a wildcard bind → loopback). */
export function clientUrl(bindAddress: string, port: number): string {
  let host = bindAddress;
  if (host === '' || host === '0.0.0.0') host = '127.0.0.1';
  else if (host === '::') host = '::1';
  return `https://${net.isIPv6(host) ? `[${host}]` : host}:${port}`;
}
