/** The storage conformance suite on the SQLite backend, plus SQLite's own durability and size bounds. */
import assert from 'node:assert/strict';
import path from 'node:path';
import { openStorage, restoreSqliteSnapshot, sqlitePath } from '../../src/storage/index.js';
import { scratchDir } from '../helpers/test-image.js';
import { storageConformance } from './conformance.js';

storageConformance('sqlite', async () => {
  const dir = scratchDir('kv-sqlite');
  const kv = await openStorage({ dataDir: path.join(dir, 'data') });
  assert.equal(sqlitePath(path.join(dir, 'data')), path.join(dir, 'data', 'state.db'));
  return {
    kv,
    dir,
    restore: async (file) => {
      const dataDir = scratchDir('kv-restored');
      restoreSqliteSnapshot(file, sqlitePath(dataDir));
      return openStorage({ dataDir });
    },
    stop: () => kv.close(),
  };
});
