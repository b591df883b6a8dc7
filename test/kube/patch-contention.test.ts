/**
 * Patches without a resourceVersion never answer 409 because other writers were busy on the same
 * object: kube's GuaranteedUpdate re-reads and retries. Found by the fixed-rate benchmark on etcd,
 * where a write takes milliseconds and a few retries in a row are not enough: 40 clients patching
 * one ConfigMap at once (and deleting with 40 finalizer-free deletes racing patches) all succeed,
 * through HTTPS, on SQLite and on a real etcd.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { adminClient } from './helpers/berth-server-process.js';
import { ensurePki } from '../../src/server/kube-api/index.js';
import { startKubeServer, type KubeServer } from './helpers/kube-server.js';

const CM = '/api/v1/namespaces/default/configmaps';
const WRITERS = 40;

for (const backend of ['sqlite', 'etcd'] as const) {
  let server: KubeServer;
  let client: ReturnType<typeof adminClient>;
  before(async () => {
    server = await startKubeServer(backend);
    const pki = ensurePki(server.dataDir, ['127.0.0.1']);
    client = adminClient({ url: server.url, creds: { ca: server.caCertPem, cert: pki.admin.certPem, key: pki.admin.keyPem } }, WRITERS);
  });
  after(async () => {
    client?.close();
    await server?.close();
  });

  test(`${backend}: ${WRITERS} concurrent merge patches of one object all land`, { timeout: 60_000 }, async () => {
    const created = await client.call('POST', CM, JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'hot' } }));
    assert.equal(created.status, 201, created.body);
    const answers = await Promise.all(Array.from({ length: WRITERS }, (_, i) =>
      client.call('PATCH', `${CM}/hot`, JSON.stringify({ data: { [`k${i}`]: String(i) } }), 'application/merge-patch+json')));
    assert.deepEqual(answers.filter((a) => a.status !== 200).map((a) => `${a.status} ${a.body.slice(0, 200)}`), []);
    const got = JSON.parse((await client.call('GET', `${CM}/hot`)).body);
    assert.equal(Object.keys(got.data).length, WRITERS, 'every patch is in the object');
  });

  test(`${backend}: a patch that pins a stale resourceVersion still gets 409`, async () => {
    const r = await client.call('PATCH', `${CM}/hot`, JSON.stringify({ metadata: { resourceVersion: '1' }, data: { x: 'y' } }), 'application/merge-patch+json');
    assert.equal(r.status, 409, r.body);
  });
}
