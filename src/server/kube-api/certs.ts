/**
 * X.509 issuing for the Kubernetes API: a self-signed CA and leaf certificates it signs. Keys are
 * RSA 2048 made by Node's native crypto (fast); node-forge builds and signs the certificates
 * because Node cannot issue certificates itself. Everything is PEM in and PEM out.
 */
import crypto from 'node:crypto';
import net from 'node:net';
import { createRequire } from 'node:module';
import type Forge from 'node-forge';

// Loaded on first use: node-forge is ~1 MB of code that a daemon whose certificates exist never runs.
let loadedForge: typeof Forge | undefined;
const forge = (): typeof Forge => (loadedForge ??= createRequire(import.meta.url)('node-forge') as typeof Forge);

export interface KeyPairPem { certPem: string; keyPem: string }

export interface LeafRequest {
  commonName: string;
  /** Subject O entries: Kubernetes reads them as the user's groups. */
  organizations?: string[];
  usage: 'server' | 'client';
  /** Subject alternative names for a serving certificate: DNS names and IP addresses mixed. */
  hosts?: string[];
  days: number;
}

const DAY_MS = 24 * 3600 * 1000;

function newRsaKey(): { privateKey: Forge.pki.rsa.PrivateKey; publicKey: Forge.pki.rsa.PublicKey; keyPem: string } {
  const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  // PKCS#1 "RSA PRIVATE KEY": what kube's own tooling writes, and what forge reads.
  const keyPem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const forgeKey = forge().pki.privateKeyFromPem(keyPem) as Forge.pki.rsa.PrivateKey;
  return { privateKey: forgeKey, publicKey: forge().pki.setRsaPublicKey(forgeKey.n, forgeKey.e), keyPem };
}

/** A positive random serial (the top bit cleared so DER does not read it as negative). */
function serialNumber(): string {
  const b = crypto.randomBytes(16);
  b[0] = b[0]! & 0x7f;
  return b.toString('hex');
}

function validity(cert: Forge.pki.Certificate, days: number): void {
  // Backdated an hour: clocks of clients on other machines may lag a little.
  cert.validity.notBefore = new Date(Date.now() - 3600 * 1000);
  cert.validity.notAfter = new Date(Date.now() + days * DAY_MS);
}

export function createCa(commonName: string, days: number): KeyPairPem {
  const key = newRsaKey();
  const cert = forge().pki.createCertificate();
  cert.publicKey = key.publicKey;
  cert.serialNumber = serialNumber();
  validity(cert, days);
  const subject = [{ shortName: 'CN', value: commonName }];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(key.privateKey, forge().md.sha256.create());
  return { certPem: forge().pki.certificateToPem(cert), keyPem: key.keyPem };
}

function altNames(hosts: string[]): Array<{ type: number; value?: string; ip?: string }> {
  // GeneralName types: 2 = dNSName, 7 = iPAddress.
  return [...new Set(hosts)].map((h) => (net.isIP(h) ? { type: 7, ip: h } : { type: 2, value: h }));
}

export function issueLeaf(ca: KeyPairPem, req: LeafRequest): KeyPairPem {
  const caCert = forge().pki.certificateFromPem(ca.certPem);
  const caKey = forge().pki.privateKeyFromPem(ca.keyPem);
  const key = newRsaKey();
  const cert = forge().pki.createCertificate();
  cert.publicKey = key.publicKey;
  cert.serialNumber = serialNumber();
  validity(cert, req.days);
  cert.setSubject([
    ...(req.organizations ?? []).map((o) => ({ shortName: 'O', value: o })),
    { shortName: 'CN', value: req.commonName },
  ]);
  cert.setIssuer(caCert.subject.attributes);
  const extensions: object[] = [
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: req.usage === 'server', clientAuth: req.usage === 'client' },
    { name: 'subjectKeyIdentifier' },
    { name: 'authorityKeyIdentifier', keyIdentifier: caCert.generateSubjectKeyIdentifier().getBytes() },
  ];
  if (req.usage === 'server') extensions.push({ name: 'subjectAltName', altNames: altNames(req.hosts ?? []) });
  cert.setExtensions(extensions);
  cert.sign(caKey, forge().md.sha256.create());
  return { certPem: forge().pki.certificateToPem(cert), keyPem: key.keyPem };
}
