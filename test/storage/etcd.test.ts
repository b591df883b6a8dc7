/** The storage conformance suite on a real etcd (started here on loopback; fails if etcd is missing). */
import assert from 'node:assert/strict';
import path from 'node:path';
import { openStorage } from '../../src/storage/index.js';
import { scratchDir } from '../helpers/test-image.js';
import { storageConformance } from './conformance.js';
import { startEtcd, startRestoredEtcd, type EtcdProcess } from './helpers/etcd-process.js';

storageConformance('etcd', async () => {
  const dir = scratchDir('kv-etcd');
  const etcd = await startEtcd(path.join(dir, 'etcd'));
  const dataDir = path.join(dir, 'berth');
  const kv = await openStorage({ dataDir, endpoint: etcd.endpoint });
  const restored: EtcdProcess[] = [];
  return {
    kv,
    dir,
    restore: async (file) => {
      const r = await startRestoredEtcd(file, path.join(scratchDir('kv-etcd-rest'), 'etcd'));
      restored.push(r);
      const rkv = await openStorage({ dataDir, endpoint: r.endpoint });
      assert.ok(rkv);
      return rkv;
    },
    stop: async () => {
      await kv.close();
      for (const r of restored) await r.stop();
      await etcd.stop();
    },
  };
});
