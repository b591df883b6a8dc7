/** `berth datastore snapshot|restore` (src/cmd/datastore-command.ts) on SQLite and on a real etcd. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { runDatastoreCommand } from '../../src/cmd/datastore-command.js';
import { openStorage } from '../../src/storage/index.js';
import { scratchDir } from '../helpers/test-image.js';
import { freePort, startEtcd } from './helpers/etcd-process.js';

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const sink = (f: (s: string) => void) => new Writable({ write: (c, _e, cb) => (f(String(c)), cb()) });
  const code = await runDatastoreCommand(argv, { out: sink((s) => (out += s)), err: sink((s) => (err += s)) });
  return { code, out, err };
}

test('usage: help, missing and unknown arguments', async () => {
  assert.equal((await run('--help')).code, 0);
  assert.match((await run('--help')).out, /snapshot/);
  assert.equal((await run()).code, 125);
  const unknown = await run('frobnicate');
  assert.equal(unknown.code, 125);
  assert.match(unknown.err, /unknown command "frobnicate"/);
  const noFile = await run('snapshot');
  assert.equal(noFile.code, 125);
  assert.match(noFile.err, /requires at least 1 argument/);
  assert.equal((await run('snapshot', '--bogus', 'x')).code, 125);
  const help = await run('restore', '--help');
  assert.equal(help.code, 0);
  assert.match(help.out, /--data-dir/);
});

test('SQLite: snapshot while running, restore refused while running, restore after stop', async () => {
  const root = scratchDir('ds-sqlite');
  const dataDir = path.join(root, 'data');
  const kv = await openStorage({ dataDir });
  await kv.create('/cli/a', 'before');
  const snap = path.join(root, 'backup.db');
  const s = await run('snapshot', snap, '--data-dir', dataDir);
  assert.equal(s.code, 0, s.err);
  assert.match(s.out, /saved to .*backup\.db/);
  await kv.create('/cli/b', 'after');
  const busy = await run('restore', snap, '--data-dir', dataDir);
  assert.equal(busy.code, 1);
  assert.match(busy.err, /in use by process \d+; stop the server/);
  await kv.close();
  const r = await run('restore', snap, `--data-dir=${dataDir}`);
  assert.equal(r.code, 0, r.err);
  const back = await openStorage({ dataDir });
  try {
    assert.equal((await back.get('/cli/a'))?.value.toString(), 'before');
    assert.equal(await back.get('/cli/b'), null);
  } finally {
    await back.close();
  }
  const junk = path.join(root, 'junk');
  fs.writeFileSync(junk, 'x'.repeat(4096));
  const bad = await run('restore', junk, '--data-dir', dataDir);
  assert.equal(bad.code, 1);
  assert.match(bad.err, /neither a berth SQLite snapshot nor an etcd snapshot/);
  const missing = await run('restore', path.join(root, 'nope.db'), '--data-dir', dataDir);
  assert.equal(missing.code, 1);
  assert.match(missing.err, /nope\.db does not exist/);
  const noStore = await run('snapshot', path.join(root, 'x.db'), '--data-dir', path.join(root, 'empty'));
  assert.equal(noStore.code, 1);
  assert.match(noStore.err, /does not exist/);
});

test('etcd: snapshot over the API, restore with etcdctl into a new etcd data dir', async () => {
  const root = scratchDir('ds-etcd');
  const etcd = await startEtcd(path.join(root, 'etcd'));
  let restored: Awaited<ReturnType<typeof startEtcd>> | undefined;
  try {
    const kv = await openStorage({ dataDir: root, endpoint: etcd.endpoint });
    await kv.create('/cli/etcd', 'kept');
    await kv.close();
    const snap = path.join(root, 'etcd.snap');
    const s = await run('snapshot', snap, '--datastore-endpoint', etcd.endpoint);
    assert.equal(s.code, 0, s.err);
    const needsDir = await run('restore', snap);
    assert.equal(needsDir.code, 125);
    assert.match(needsDir.err, /is an etcd snapshot: pass --etcd-data-dir/);
    const newDir = path.join(root, 'etcd-restored');
    const peerPort = await freePort();
    const r = await run('restore', snap, '--etcd-data-dir', newDir, '--etcd-name', 'berth-restored', '--etcd-peer-url', `http://127.0.0.1:${peerPort}`);
    assert.equal(r.code, 0, r.err);
    const again = await run('restore', snap, '--etcd-data-dir', newDir);
    assert.equal(again.code, 1, 'etcdctl refuses an existing data dir');
    restored = await startEtcd(newDir, { name: 'berth-restored', peerPort });
    const back = await openStorage({ dataDir: root, endpoint: restored.endpoint });
    assert.equal((await back.get('/cli/etcd'))?.value.toString(), 'kept');
    await back.close();
  } finally {
    await restored?.stop();
    await etcd.stop();
  }
});
