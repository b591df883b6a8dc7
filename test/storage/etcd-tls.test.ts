/** The etcd backend over https with a client certificate (k3s's --datastore-cafile/-certfile/-keyfile). */
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { isBerthError } from '../../src/base/errors.js';
import { openStorage } from '../../src/storage/index.js';
import { scratchDir } from '../helpers/test-image.js';
import { runDatastoreCommand } from '../../src/cmd/datastore-command.js';
import { Writable } from 'node:stream';
import { makeTlsFiles, startEtcd } from './helpers/etcd-process.js';

test('https etcd with client-certificate auth', async () => {
  const dir = scratchDir('kv-etcd-tls');
  const tls = makeTlsFiles(path.join(dir, 'pki'));
  const etcd = await startEtcd(path.join(dir, 'etcd'), { tls });
  try {
    assert.match(etcd.endpoint, /^https:/);
    const kv = await openStorage({ dataDir: dir, endpoint: etcd.endpoint, tls: { caFile: tls.ca, certFile: tls.clientCert, keyFile: tls.clientKey } });
    try {
      const a = await kv.create('/tls/a', 'secret');
      const seen: string[] = [];
      const w = await kv.watch('/tls/', a.modRevision, (e) => seen.push(e.kv.key));
      await kv.update('/tls/a', 'b', a.modRevision);
      while (seen.length < 2) await new Promise((r) => setTimeout(r, 20));
      w.close();
      assert.deepEqual(seen, ['/tls/a', '/tls/a']);
      let out = '';
      const code = await runDatastoreCommand(['snapshot', path.join(dir, 'tls.snap'), '--datastore-endpoint', etcd.endpoint,
        '--datastore-cafile', tls.ca, '--datastore-certfile', tls.clientCert, '--datastore-keyfile', tls.clientKey],
      { out: new Writable({ write: (c, _e, cb) => ((out += String(c)), cb()) }), err: new Writable({ write: (c, _e, cb) => ((out += String(c)), cb()) }) });
      assert.equal(code, 0, out);
    } finally {
      await kv.close();
    }
    // Without the CA the server is not trusted; without a client certificate etcd refuses us.
    await assert.rejects(openStorage({ dataDir: dir, endpoint: etcd.endpoint }), (e: unknown) => isBerthError(e, 'Unavailable'));
    await assert.rejects(openStorage({ dataDir: dir, endpoint: etcd.endpoint, tls: { caFile: tls.ca } }), (e: unknown) => isBerthError(e, 'Unavailable'));
    // Misconfiguration is InvalidArgument, naming the problem.
    await assert.rejects(openStorage({ dataDir: dir, endpoint: etcd.endpoint, tls: { caFile: path.join(dir, 'missing.pem') } }), (e: unknown) =>
      isBerthError(e, 'InvalidArgument') && /missing\.pem/.test((e as Error).message));
    await assert.rejects(openStorage({ dataDir: dir, endpoint: 'http://127.0.0.1:1', tls: { caFile: tls.ca } }), (e: unknown) => isBerthError(e, 'InvalidArgument'));
    await assert.rejects(openStorage({ dataDir: dir, endpoint: etcd.endpoint, tls: { certFile: tls.clientCert } }), (e: unknown) => isBerthError(e, 'InvalidArgument'));
  } finally {
    await etcd.stop();
  }
});
