/**
 * `berth kubeconfig [--data-dir DIR] [--server URL] [--token]`: prints an admin kubeconfig for the
 * Kubernetes API of the berth server that uses DIR, built from its credentials in `<DIR>/pki/`
 * (the same one `berth server` writes to /etc/berth/kubeconfig.yaml). The URL is the one the
 * server last served on (`<DIR>/pki/server-url`) unless --server says otherwise. --token gives a
 * kubeconfig with the admin bearer token instead of the client certificate.
 *
 * Exit codes: 0 printed, 1 the credentials cannot be read, 125 bad usage.
 */
import fs from 'node:fs';
import path from 'node:path';
import { asBerthError } from '../../base/errors.js';
import { readPki, renderKubeconfig } from '../../server/kube-api/index.js';
import { parseArgs, UsageError, usageText, type CommandSpec } from '../args.js';

const DEFAULT_DATA_DIR = '/var/lib/berth';
const DEFAULT_SERVER = 'https://127.0.0.1:6443';

const spec: CommandSpec = {
  name: 'kubeconfig',
  usage: '[OPTIONS]',
  summary: "Print an admin kubeconfig for berth's Kubernetes API",
  maxArgs: 0,
  flags: [
    { name: 'data-dir', type: 'string', value: 'dir', help: "The berth server's data directory", default: DEFAULT_DATA_DIR },
    { name: 'server', type: 'string', value: 'url', help: 'The API URL to put in the kubeconfig (default: where the server last listened)' },
    { name: 'token', type: 'bool', help: 'Authenticate with the admin bearer token instead of the client certificate' },
  ],
};

function serverUrl(dataDir: string, given: string | undefined): string {
  if (given !== undefined) {
    let u: URL;
    try {
      u = new URL(given);
    } catch {
      throw new UsageError(`invalid --server "${given}": give a URL like https://127.0.0.1:6443`, spec.name);
    }
    if (u.protocol !== 'https:') throw new UsageError(`invalid --server "${given}": the Kubernetes API is served over https`, spec.name);
    return given.replace(/\/+$/, '');
  }
  try {
    return fs.readFileSync(path.join(dataDir, 'pki', 'server-url'), 'utf8').trim() || DEFAULT_SERVER;
  } catch {
    return DEFAULT_SERVER;
  }
}

/** Runs `berth kubeconfig <argv…>`; returns the exit code (never throws). */
export async function runKubeconfigCommand(
  argv: string[],
  io: { out: NodeJS.WritableStream; err: NodeJS.WritableStream } = { out: process.stdout, err: process.stderr },
): Promise<number> {
  try {
    const p = parseArgs(spec, argv);
    if (p.help) {
      io.out.write(usageText(spec));
      return 0;
    }
    const dataDir = path.resolve((p.flags['data-dir'] as string | undefined) ?? DEFAULT_DATA_DIR);
    const server = serverUrl(dataDir, p.flags.server as string | undefined);
    const pki = readPki(dataDir);
    if (p.flags.token === true) {
      if (!pki.adminToken) throw new Error(`${pki.tokensFile} has no token for user "admin"`);
      io.out.write(renderKubeconfig({ server, caCertPem: pki.ca.certPem, token: pki.adminToken }));
    } else {
      io.out.write(renderKubeconfig({ server, caCertPem: pki.ca.certPem, clientCertPem: pki.admin.certPem, clientKeyPem: pki.admin.keyPem }));
    }
    return 0;
  } catch (err) {
    if (err instanceof UsageError) {
      io.err.write(`berth kubeconfig: ${err.message}\nSee 'berth kubeconfig --help'.\n`);
      return 125;
    }
    io.err.write(`berth kubeconfig: ${asBerthError(err).message}\n`);
    return 1;
  }
}
