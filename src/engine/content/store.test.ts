import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { after, describe, it } from 'node:test';
import { sha256Of } from '../../api/oci/index.js';
import { ContentStore } from './store.js';
import { writeFileAtomic } from './atomic-file.js';

describe('content store', () => {
  const root = fs.mkdtempSync(path.join(process.env.BERTH_TEST_ROOT ?? os.tmpdir(), 'content-'));
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('stores blobs under their digest, verified', async () => {
    const store = await ContentStore.open(root);
    const data = Buffer.from('hello blob');
    const info = await store.put(Readable.from([data.subarray(0, 3), data.subarray(3)]), sha256Of(data));
    assert.deepEqual(info, { digest: sha256Of(data), size: data.length });
    assert.ok(store.has(info.digest));
    assert.deepEqual(store.read(info.digest), data);
    assert.deepEqual(store.list(), [info]);
  });

  it('never makes a blob with the wrong digest visible', async () => {
    const store = await ContentStore.open(root);
    const claimed = sha256Of('something else');
    await assert.rejects(store.put(Buffer.from('actual'), claimed, 'layer x'), /layer x: digest mismatch: expected sha256:/);
    assert.equal(store.has(claimed), false);
    assert.equal(store.has(sha256Of('actual')), false);
    assert.deepEqual(fs.readdirSync(path.join(root, 'ingest')), []);
  });

  it('keeps pending data invisible until commit, and drops it on abort', async () => {
    const store = await ContentStore.open(root);
    const p = await store.ingest(Buffer.from('pending'));
    assert.equal(store.has(p.digest), false);
    p.abort();
    assert.equal(fs.existsSync(p.path), false);
    await assert.rejects(p.commit(), { code: 'InvalidArgument' });
  });

  it('caps ingest size, removes stale ingest files at open, deletes blobs', async () => {
    const store = await ContentStore.open(root);
    await assert.rejects(store.ingest(Buffer.alloc(100), { maxBytes: 10, what: 'config' }), /config is larger than 10 bytes/);
    fs.writeFileSync(path.join(root, 'ingest', 'stale'), 'x');
    const reopened = await ContentStore.open(root);
    assert.deepEqual(fs.readdirSync(path.join(root, 'ingest')), []);
    const d = sha256Of('hello blob');
    assert.equal(reopened.delete(d), 10);
    assert.equal(reopened.delete(d), 0);
    assert.throws(() => reopened.read(d), { code: 'NotFound' });
  });

  it('replaces files atomically', () => {
    const f = path.join(root, 'state.json');
    writeFileAtomic(f, '{"a":1}');
    writeFileAtomic(f, '{"a":2}');
    assert.equal(fs.readFileSync(f, 'utf8'), '{"a":2}');
    assert.deepEqual(fs.readdirSync(root).filter((n) => n.includes('.tmp')), []);
  });
});
