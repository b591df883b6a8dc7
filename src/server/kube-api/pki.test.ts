import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { isBerthError } from '../../base/errors.js';
import { ensurePki, readPki } from './pki.js';

const scratchDir = (label: string): string => fs.mkdtempSync(path.join(process.env.BERTH_TEST_ROOT ?? os.tmpdir(), `${label}-`));

const HOSTS = ['localhost', '127.0.0.1', '::1'];

test('first start makes a CA, a serving cert with the SANs, an admin client cert and a token file; keys are 0600', () => {
  const dir = scratchDir('pki');
  const pki = ensurePki(dir, [...HOSTS, '10.1.2.3', 'myhost']);
  const ca = new crypto.X509Certificate(pki.ca.certPem);
  const server = new crypto.X509Certificate(pki.server.certPem);
  const admin = new crypto.X509Certificate(pki.admin.certPem);
  assert.equal(ca.ca, true);
  assert.ok(server.checkIssued(ca) && server.verify(ca.publicKey));
  for (const ip of ['127.0.0.1', '::1', '10.1.2.3']) assert.equal(server.checkIP(ip), ip);
  assert.equal(server.checkHost('localhost'), 'localhost');
  assert.equal(server.checkHost('myhost'), 'myhost');
  assert.equal(server.checkHost('elsewhere.example'), undefined);
  assert.match(admin.subject, /CN=admin/);
  assert.match(admin.subject, /O=system:masters/);
  assert.deepEqual(admin.keyUsage, ['1.3.6.1.5.5.7.3.2']);
  assert.ok(admin.verify(ca.publicKey));
  assert.ok(pki.adminToken && pki.adminToken.length >= 40);
  for (const f of ['ca.key', 'apiserver.key', 'admin.key', 'tokens.csv']) {
    assert.equal(fs.statSync(path.join(pki.dir, f)).mode & 0o777, 0o600, f);
  }
  assert.equal(fs.statSync(pki.dir).mode & 0o777, 0o700);
});

test('a restart reuses everything; a new host re-issues only the serving cert', () => {
  const dir = scratchDir('pki');
  const a = ensurePki(dir, HOSTS);
  const b = ensurePki(dir, HOSTS);
  assert.equal(b.ca.certPem, a.ca.certPem);
  assert.equal(b.server.certPem, a.server.certPem);
  assert.equal(b.admin.certPem, a.admin.certPem);
  assert.equal(b.adminToken, a.adminToken);
  const c = ensurePki(dir, [...HOSTS, '192.0.2.7']);
  assert.equal(c.ca.certPem, a.ca.certPem);
  assert.notEqual(c.server.certPem, a.server.certPem);
  assert.equal(new crypto.X509Certificate(c.server.certPem).checkIP('192.0.2.7'), '192.0.2.7');
  assert.equal(c.admin.certPem, a.admin.certPem);
  const r = readPki(dir);
  assert.equal(r.admin.keyPem, a.admin.keyPem);
  assert.equal(r.adminToken, a.adminToken);
});

test('a leaf signed by another CA or with a mismatched key is re-issued', () => {
  const dir = scratchDir('pki');
  const a = ensurePki(dir, HOSTS);
  const other = ensurePki(scratchDir('pki'), HOSTS);
  fs.writeFileSync(path.join(a.dir, 'admin.crt'), other.admin.certPem);
  fs.writeFileSync(path.join(a.dir, 'apiserver.key'), other.server.keyPem);
  const b = ensurePki(dir, HOSTS);
  const ca = new crypto.X509Certificate(a.ca.certPem);
  assert.ok(new crypto.X509Certificate(b.admin.certPem).verify(ca.publicKey));
  assert.ok(new crypto.X509Certificate(b.server.certPem).checkPrivateKey(crypto.createPrivateKey(b.server.keyPem)));
});

test('a broken or half-missing CA is an error naming the file, and nothing is replaced', () => {
  const dir = scratchDir('pki');
  const a = ensurePki(dir, HOSTS);
  fs.writeFileSync(path.join(a.dir, 'ca.crt'), 'garbage');
  assert.throws(() => ensurePki(dir, HOSTS), (e) => isBerthError(e, 'InvalidArgument') && /cluster CA/.test(e.message));
  assert.equal(fs.readFileSync(path.join(a.dir, 'ca.crt'), 'utf8'), 'garbage');
  fs.writeFileSync(path.join(a.dir, 'ca.crt'), a.ca.certPem);
  fs.rmSync(path.join(a.dir, 'ca.key'));
  assert.throws(() => ensurePki(dir, HOSTS), (e) => isBerthError(e, 'InvalidArgument') && /ca\.key is missing/.test(e.message));
});

test('readPki without a server start is NotFound naming the file', () => {
  assert.throws(() => readPki(scratchDir('pki')), (e) => isBerthError(e, 'NotFound') && /ca\.crt not found/.test(e.message));
});
