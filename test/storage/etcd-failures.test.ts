/** The etcd backend when etcd is absent or goes away: Unavailable errors, never a crash. */
import assert from 'node:assert/strict';
import net from 'node:net';
import path from 'node:path';
import { test } from 'node:test';
import { isBerthError } from '../../src/base/errors.js';
import { openStorage } from '../../src/storage/index.js';
import { scratchDir } from '../helpers/test-image.js';
import { startEtcd } from './helpers/etcd-process.js';

async function unusedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as net.AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

test('bad endpoints are refused clearly', async () => {
  const dataDir = scratchDir('kv-etcd-bad');
  await assert.rejects(openStorage({ dataDir, endpoint: 'not a url' }), (e: unknown) => isBerthError(e, 'InvalidArgument'));
  await assert.rejects(openStorage({ dataDir, endpoint: 'ftp://127.0.0.1:1' }), (e: unknown) => isBerthError(e, 'InvalidArgument'));
  const port = await unusedPort();
  await assert.rejects(openStorage({ dataDir, endpoint: `http://127.0.0.1:${port}` }), (e: unknown) =>
    isBerthError(e, 'Unavailable') && (e as Error).message.includes(`127.0.0.1:${port}`));
});

test('etcd going away ends watches with Unavailable and fails calls with Unavailable', async () => {
  const dir = scratchDir('kv-etcd-gone');
  const etcd = await startEtcd(path.join(dir, 'etcd'));
  const kv = await openStorage({ dataDir: dir, endpoint: etcd.endpoint });
  try {
    const w = await kv.watch('/gone/', 0, () => {});
    await kv.create('/gone/a', 'x');
    await etcd.stop();
    const err = await w.ended;
    assert.ok(isBerthError(err, 'Unavailable'), String(err));
    await assert.rejects(kv.get('/gone/a'), (e: unknown) => isBerthError(e, 'Unavailable'));
  } finally {
    await kv.close();
    await etcd.stop();
  }
});

test('several endpoints: calls move past a member that refuses connections', async () => {
  const dir = scratchDir('kv-etcd-multi');
  const etcd = await startEtcd(path.join(dir, 'etcd'));
  const dead = await unusedPort();
  const kv = await openStorage({ dataDir: dir, endpoint: `http://127.0.0.1:${dead}, ${etcd.endpoint}` });
  try {
    const a = await kv.create('/multi/a', 'x');
    assert.equal((await kv.get('/multi/a'))?.modRevision, a.modRevision);
    const seen: string[] = [];
    const w = await kv.watch('/multi/', 0, (e) => seen.push(e.kv.key));
    await kv.create('/multi/b', 'y');
    while (seen.length < 1) await new Promise((r) => setTimeout(r, 20));
    w.close();
    assert.deepEqual(seen, ['/multi/b']);
  } finally {
    await kv.close();
    await etcd.stop();
  }
  await assert.rejects(openStorage({ dataDir: dir, endpoint: 'http://127.0.0.1:1,https://127.0.0.1:2' }), (e: unknown) => isBerthError(e, 'InvalidArgument'));
});

test('an endpoint that is not etcd is refused clearly', async () => {
  const http = await import('node:http');
  const server = http.createServer((_req, res) => res.end('<html>hello</html>'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  try {
    await assert.rejects(openStorage({ dataDir: scratchDir('kv-not-etcd'), endpoint: `http://127.0.0.1:${port}` }), (e: unknown) =>
      isBerthError(e, 'Unavailable') && /not JSON/.test((e as Error).message));
  } finally {
    server.close();
  }
});
