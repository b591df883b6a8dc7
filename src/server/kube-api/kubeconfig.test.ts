import assert from 'node:assert/strict';
import { test } from 'node:test';
import YAML from 'yaml';
import { servingHosts } from './index.js';
import { clientUrl, renderKubeconfig } from './kubeconfig.js';

test('clientUrl: wildcard binds become loopback, IPv6 is bracketed', () => {
  assert.equal(clientUrl('0.0.0.0', 6443), 'https://127.0.0.1:6443');
  assert.equal(clientUrl('', 6443), 'https://127.0.0.1:6443');
  assert.equal(clientUrl('::', 6443), 'https://[::1]:6443');
  assert.equal(clientUrl('::1', 1), 'https://[::1]:1');
  assert.equal(clientUrl('10.0.0.5', 7443), 'https://10.0.0.5:7443');
});

test('renderKubeconfig embeds the CA and either the client certificate or the token, in one selected context', () => {
  const cert = YAML.parse(renderKubeconfig({ server: 'https://h:1', caCertPem: 'CA', clientCertPem: 'CERT', clientKeyPem: 'KEY' }));
  assert.equal(cert['current-context'], 'berth');
  assert.equal(cert.clusters[0].cluster.server, 'https://h:1');
  assert.equal(Buffer.from(cert.clusters[0].cluster['certificate-authority-data'], 'base64').toString(), 'CA');
  assert.deepEqual(cert.users[0].user, { 'client-certificate-data': Buffer.from('CERT').toString('base64'), 'client-key-data': Buffer.from('KEY').toString('base64') });
  assert.deepEqual(cert.contexts[0], { name: 'berth', context: { cluster: 'berth', user: 'berth-admin' } });
  const tok = YAML.parse(renderKubeconfig({ server: 'https://h:1', caCertPem: 'CA', token: 't0k', name: 'other' }));
  assert.deepEqual(tok.users[0], { name: 'other-admin', user: { token: 't0k' } });
  assert.equal(tok['current-context'], 'other');
});

test('servingHosts: loopback names always, the bind address when specific', () => {
  const specific = servingHosts('192.0.2.10');
  for (const h of ['localhost', '127.0.0.1', '::1', '192.0.2.10']) assert.ok(specific.includes(h), h);
  assert.ok(!servingHosts('127.0.0.1').includes('0.0.0.0'));
  assert.ok(!servingHosts('0.0.0.0').includes('0.0.0.0'));
});
