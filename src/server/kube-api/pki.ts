/**
 * The Kubernetes API's credentials under `<dataDir>/pki/`, made on first start and kept:
 *   ca.crt / ca.key            the cluster CA (signs everything below; clients trust ca.crt)
 *   apiserver.crt / .key       the serving certificate (SANs: loopback, localhost, hostname, bind address)
 *   admin.crt / admin.key      the admin client certificate: CN=admin, O=system:masters
 *   tokens.csv                 bearer tokens in kube-apiserver's --token-auth-file format
 * Rules: keys are 0600 and the directory 0700; a CA is never replaced silently (a broken one is an
 * error naming the file, since replacing it would orphan every kubeconfig handed out); leaf
 * certificates are re-issued when missing, unreadable, not signed by the CA, expiring within 30
 * days, or (serving certificate) not covering a host it must answer for.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { BerthError, invalidArgument } from '../../base/errors.js';
import { createCa, issueLeaf, type KeyPairPem } from './certs.js';
import { ADMIN_GROUPS, ADMIN_USER, formatTokenLine } from './tokens.js';

export interface Pki {
  dir: string;
  ca: KeyPairPem;
  server: KeyPairPem;
  admin: KeyPairPem;
  /** The admin's bearer token (the first tokens.csv row for user "admin"), if tokens.csv has one. */
  adminToken?: string;
  tokensFile: string;
}

const CA_DAYS = 3650;
const LEAF_DAYS = 365;
const RENEW_BEFORE_MS = 30 * 24 * 3600 * 1000;

export function pkiDir(dataDir: string): string {
  return path.join(path.resolve(dataDir), 'pki');
}

function readIfExists(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new BerthError('Internal', `cannot read ${file}: ${(err as Error).message}`, { cause: err });
  }
}

/** Writes a file atomically (temp + rename) with the given mode. */
export function writeFileAtomic(file: string, text: string, mode: number): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.tmp-${process.pid}-${crypto.randomBytes(4).toString('hex')}`;
  fs.writeFileSync(tmp, text, { mode });
  fs.chmodSync(tmp, mode);
  fs.renameSync(tmp, file);
}

function loadCa(dir: string): KeyPairPem {
  const certFile = path.join(dir, 'ca.crt');
  const keyFile = path.join(dir, 'ca.key');
  const certPem = readIfExists(certFile);
  const keyPem = readIfExists(keyFile);
  if (certPem === undefined && keyPem === undefined) {
    const ca = createCa('berth-ca', CA_DAYS);
    writeFileAtomic(keyFile, ca.keyPem, 0o600);
    writeFileAtomic(certFile, ca.certPem, 0o644);
    return ca;
  }
  if (certPem === undefined || keyPem === undefined) {
    throw invalidArgument(`the cluster CA in ${dir} is incomplete: ${certPem === undefined ? certFile : keyFile} is missing`);
  }
  let cert: crypto.X509Certificate;
  let key: crypto.KeyObject;
  try {
    cert = new crypto.X509Certificate(certPem);
    key = crypto.createPrivateKey(keyPem);
  } catch (err) {
    throw invalidArgument(`the cluster CA in ${dir} cannot be read (${(err as Error).message}); remove ${dir} to make a new one`);
  }
  if (!cert.ca || !cert.checkPrivateKey(key)) throw invalidArgument(`${certFile} is not a CA certificate matching ${keyFile}`);
  if (Date.parse(cert.validTo) < Date.now()) throw invalidArgument(`the cluster CA ${certFile} expired on ${cert.validTo}`);
  return { certPem, keyPem };
}

/** Why an existing leaf must be re-issued, or null if it is still good. */
function leafProblem(ca: KeyPairPem, pair: { certPem?: string; keyPem?: string }, hosts: string[]): string | null {
  if (pair.certPem === undefined || pair.keyPem === undefined) return 'missing';
  try {
    const cert = new crypto.X509Certificate(pair.certPem);
    const caCert = new crypto.X509Certificate(ca.certPem);
    if (!cert.checkPrivateKey(crypto.createPrivateKey(pair.keyPem))) return 'key does not match';
    if (!cert.checkIssued(caCert) || !cert.verify(caCert.publicKey)) return 'not signed by the CA';
    if (Date.parse(cert.validTo) - Date.now() < RENEW_BEFORE_MS) return 'expiring';
    for (const h of hosts) {
      const covered = net.isIP(h) ? cert.checkIP(h) !== undefined : cert.checkHost(h) !== undefined;
      if (!covered) return `does not cover ${h}`;
    }
    return null;
  } catch {
    return 'unreadable';
  }
}

function ensureLeaf(dir: string, base: string, ca: KeyPairPem, issue: () => KeyPairPem, hosts: string[], log: (m: string) => void): KeyPairPem {
  const certFile = path.join(dir, `${base}.crt`);
  const keyFile = path.join(dir, `${base}.key`);
  const current = { certPem: readIfExists(certFile), keyPem: readIfExists(keyFile) };
  const problem = leafProblem(ca, current, hosts);
  if (problem === null) return current as KeyPairPem;
  if (problem !== 'missing') log(`kube-api: re-issuing ${certFile}: ${problem}`);
  const pair = issue();
  writeFileAtomic(keyFile, pair.keyPem, 0o600);
  writeFileAtomic(certFile, pair.certPem, 0o644);
  return pair;
}

function ensureTokens(file: string): string | undefined {
  let text = readIfExists(file);
  if (text === undefined) {
    const token = crypto.randomBytes(32).toString('base64url');
    text = formatTokenLine({ token, name: ADMIN_USER, uid: ADMIN_USER, groups: ADMIN_GROUPS });
    writeFileAtomic(file, text, 0o600);
  }
  for (const line of text.split('\n')) {
    const [token, user] = line.split(',');
    if (token && user === ADMIN_USER) return token.trim();
  }
  return undefined;
}

/**
 * Makes or loads the credentials. `hosts` are the names and addresses the serving certificate must
 * cover (DNS names and IPs mixed).
 */
export function ensurePki(dataDir: string, hosts: string[], log: (m: string) => void = () => {}): Pki {
  const dir = pkiDir(dataDir);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.chmodSync(dir, 0o700);
  const ca = loadCa(dir);
  const server = ensureLeaf(dir, 'apiserver', ca, () => issueLeaf(ca, { commonName: 'berth-apiserver', usage: 'server', hosts, days: LEAF_DAYS }), hosts, log);
  const admin = ensureLeaf(dir, 'admin', ca, () => issueLeaf(ca, { commonName: ADMIN_USER, organizations: ADMIN_GROUPS, usage: 'client', days: LEAF_DAYS }), [], log);
  const tokensFile = path.join(dir, 'tokens.csv');
  const adminToken = ensureTokens(tokensFile);
  return { dir, ca, server, admin, tokensFile, ...(adminToken !== undefined ? { adminToken } : {}) };
}

/** Reads existing credentials without creating anything (for `berth kubeconfig`). */
export function readPki(dataDir: string): Pki {
  const dir = pkiDir(dataDir);
  const need = (name: string): string => {
    const text = readIfExists(path.join(dir, name));
    if (text === undefined) throw new BerthError('NotFound', `${path.join(dir, name)} not found: has berth server run with data dir ${path.resolve(dataDir)}?`);
    return text;
  };
  const pki: Pki = {
    dir,
    ca: { certPem: need('ca.crt'), keyPem: '' },
    server: { certPem: need('apiserver.crt'), keyPem: '' },
    admin: { certPem: need('admin.crt'), keyPem: need('admin.key') },
    tokensFile: path.join(dir, 'tokens.csv'),
  };
  const tokens = readIfExists(pki.tokensFile);
  const adminRow = tokens?.split('\n').map((l) => l.split(',')).find((f) => f[1] === ADMIN_USER && f[0]);
  if (adminRow) pki.adminToken = adminRow[0]!.trim();
  return pki;
}
