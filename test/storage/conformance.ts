/**
 * ONE conformance suite for the storage contract (src/storage/types.ts), run against every backend
 * (sqlite.test.ts, etcd.test.ts). Tests share one store and keep to their own key prefixes, so the
 * order of tests does not matter; compaction tests only rely on revisions they wrote themselves.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { isBerthError, type ErrorCode } from '../../src/base/errors.js';
import { MAX_KEY_BYTES, MAX_VALUE_BYTES, type KV, type WatchEvent } from '../../src/storage/index.js';

export interface Backend {
  /** The store under test (fresh and empty at first). */
  kv: KV;
  /** A scratch directory for snapshot files. */
  dir: string;
  /** Opens a separate store made from a snapshot file (the restore path of this backend). */
  restore(snapshotFile: string): Promise<KV>;
  /** Stops everything the backend started. */
  stop(): Promise<void>;
}

async function rejectsWith(p: Promise<unknown>, code: ErrorCode, mentions?: string): Promise<void> {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(isBerthError(err, code), `expected a ${code} BerthError, got ${String(err)} (${(err as { code?: string })?.code})`);
    if (mentions) assert.match((err as Error).message, new RegExp(mentions.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    return true;
  });
}

/** Collects watch events and lets a test wait for a number of them. */
class EventLog {
  events: WatchEvent[] = [];
  private waiters: Array<{ n: number; resolve: () => void }> = [];
  readonly push = (e: WatchEvent): void => {
    this.events.push(e);
    this.waiters = this.waiters.filter((w) => (this.events.length >= w.n ? (w.resolve(), false) : true));
  };
  waitFor(n: number, ms = 10_000): Promise<void> {
    if (this.events.length >= n) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`timed out waiting for ${n} watch events, got ${this.events.length}: ${this.describe()}`)), ms);
      this.waiters.push({ n, resolve: () => (clearTimeout(t), resolve()) });
    });
  }
  describe(): string {
    return this.events.map((e) => `${e.type} ${e.kv.key}@${e.kv.modRevision}`).join(', ');
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function storageConformance(name: string, start: () => Promise<Backend>): void {
  describe(`storage conformance: ${name}`, () => {
    let b: Backend;
    let kv: KV;
    before(async () => {
      b = await start();
      kv = b.kv;
    });
    after(async () => {
      await b?.stop();
    });

    test('create, get, AlreadyExists', async () => {
      const a = await kv.create('/create/a', 'one');
      assert.equal(a.key, '/create/a');
      assert.deepEqual(a.value, Buffer.from('one'));
      assert.equal(a.createRevision, a.modRevision);
      assert.equal(a.version, 1);
      assert.deepEqual(await kv.get('/create/a'), a);
      assert.equal(await kv.get('/create/missing'), null);
      const before = await kv.currentRevision();
      await rejectsWith(kv.create('/create/a', 'two'), 'AlreadyExists', '/create/a');
      assert.equal(await kv.currentRevision(), before, 'a failed create writes nothing');
      assert.deepEqual((await kv.get('/create/a'))?.value, Buffer.from('one'));
      const bin = Buffer.from([0, 1, 2, 255, 254]);
      assert.deepEqual((await kv.create('/create/bin', bin)).value, bin);
      assert.deepEqual((await kv.get('/create/bin'))?.value, bin);
    });

    test('update with the expected revision; Conflict and NotFound otherwise', async () => {
      const a = await kv.create('/update/a', 'v1');
      const a2 = await kv.update('/update/a', 'v2', a.modRevision);
      assert.equal(a2.version, 2);
      assert.equal(a2.createRevision, a.createRevision);
      assert.ok(a2.modRevision > a.modRevision);
      assert.deepEqual(await kv.get('/update/a'), a2);
      await rejectsWith(kv.update('/update/a', 'stale', a.modRevision), 'Conflict', '/update/a');
      assert.deepEqual((await kv.get('/update/a'))?.value, Buffer.from('v2'));
      await rejectsWith(kv.update('/update/none', 'x', 5), 'NotFound', '/update/none');
      await rejectsWith(kv.update('/update/none', 'x', 0), 'NotFound', '/update/none');
      assert.equal(await kv.get('/update/none'), null);
      const a3 = await kv.update('/update/a', 'v3', a2.modRevision);
      assert.equal(a3.version, 3);
    });

    test('delete returns the last value; NotFound, Conflict; re-create starts a new life', async () => {
      const a = await kv.create('/delete/a', 'v1');
      const a2 = await kv.update('/delete/a', 'v2', a.modRevision);
      await rejectsWith(kv.delete('/delete/a', a.modRevision), 'Conflict', '/delete/a');
      const d = await kv.delete('/delete/a', a2.modRevision);
      assert.equal(d.key, '/delete/a');
      assert.deepEqual(d.value, Buffer.from('v2'));
      assert.equal(d.modRevision, a2.modRevision);
      assert.equal(d.version, 2);
      assert.ok(d.deleteRevision > a2.modRevision);
      assert.equal(await kv.currentRevision() >= d.deleteRevision, true);
      assert.equal(await kv.get('/delete/a'), null);
      await rejectsWith(kv.delete('/delete/a'), 'NotFound', '/delete/a');
      await rejectsWith(kv.update('/delete/a', 'x', d.deleteRevision), 'NotFound');
      const again = await kv.create('/delete/a', 'new');
      assert.equal(again.version, 1);
      assert.ok(again.createRevision > d.deleteRevision);
      const d2 = await kv.delete('/delete/a'); // unconditional delete
      assert.deepEqual(d2.value, Buffer.from('new'));
    });

    test('revisions are one strictly increasing counter', async () => {
      const start = await kv.currentRevision();
      assert.ok(start >= 1);
      const revs: number[] = [];
      const x = await kv.create('/rev/x', '1');
      revs.push(x.modRevision);
      const y = await kv.create('/rev/y', '1');
      revs.push(y.modRevision);
      revs.push((await kv.update('/rev/x', '2', x.modRevision)).modRevision);
      revs.push((await kv.delete('/rev/y')).deleteRevision);
      assert.ok(revs[0]! > start);
      for (let i = 1; i < revs.length; i++) assert.ok(revs[i]! > revs[i - 1]!, `revisions ${revs.join(',')}`);
      assert.equal(await kv.currentRevision(), revs[revs.length - 1]);
      await kv.get('/rev/x');
      await kv.list('/rev/');
      assert.equal(await kv.currentRevision(), revs[revs.length - 1], 'reads do not move the revision');
    });

    test('bad input is refused with a clear error and changes nothing', async () => {
      const before = await kv.currentRevision();
      await rejectsWith(kv.create('', 'x'), 'InvalidArgument');
      await rejectsWith(kv.get(''), 'InvalidArgument');
      await rejectsWith(kv.create('/bad/\ud800', 'x'), 'InvalidArgument', 'not well-formed');
      await rejectsWith(kv.create('k'.repeat(MAX_KEY_BYTES + 1), 'x'), 'ResourceExhausted');
      await rejectsWith(kv.create('/bad/big', Buffer.alloc(MAX_VALUE_BYTES + 1)), 'ResourceExhausted', '/bad/big');
      await rejectsWith(kv.create('/bad/num', 42 as unknown as string), 'InvalidArgument', '/bad/num');
      await rejectsWith(kv.update('/bad/x', 'x', -1), 'InvalidArgument');
      await rejectsWith(kv.list('/bad/', { limit: -2 }), 'InvalidArgument');
      await rejectsWith(kv.list('/bad/', { continueFrom: '/other/x' }), 'InvalidArgument', '/other/x');
      await rejectsWith(kv.list('/bad/', { revision: before + 1000 }), 'InvalidArgument');
      await rejectsWith(kv.create('/bad/ttl', 'x', { ttlSeconds: 0.5 }), 'InvalidArgument', '/bad/ttl');
      await rejectsWith(kv.watch('/bad/', -1, () => {}), 'InvalidArgument');
      await rejectsWith(kv.compact(before + 1000), 'InvalidArgument');
      assert.equal(await kv.currentRevision(), before);
      assert.equal(await kv.count('/bad/'), 0);
      // The largest allowed key and value are accepted.
      const bigKey = '/bad/' + 'k'.repeat(MAX_KEY_BYTES - 5);
      const big = await kv.create(bigKey, Buffer.alloc(MAX_VALUE_BYTES, 7));
      assert.equal((await kv.get(bigKey))?.value.length, MAX_VALUE_BYTES);
      await kv.delete(bigKey, big.modRevision);
    });

    test('list by prefix, in key order, with limit/continue, and count', async () => {
      for (const k of ['b', 'a', 'c', 'e', 'd']) await kv.create(`/list/p/${k}`, k);
      await kv.create('/list/pq', 'not under /list/p/');
      await kv.create('/list/p', 'the prefix itself, no slash');
      const all = await kv.list('/list/p/');
      assert.deepEqual(all.items.map((i) => i.key), ['a', 'b', 'c', 'd', 'e'].map((k) => `/list/p/${k}`));
      assert.equal(all.more, false);
      assert.equal(all.revision, await kv.currentRevision());
      assert.equal(await kv.count('/list/p/'), 5);
      assert.equal(await kv.count('/list/'), 7);
      const keys: string[] = [];
      let page = await kv.list('/list/p/', { limit: 2 });
      const rev = page.revision;
      for (;;) {
        keys.push(...page.items.map((i) => i.key));
        assert.ok(page.items.length <= 2);
        if (!page.more) break;
        // A write between pages must not show up: the pages read at the first page's revision.
        await kv.create(`/list/p/b${keys.length}`, 'later');
        page = await kv.list('/list/p/', { limit: 2, revision: rev, continueFrom: keys[keys.length - 1]! });
      }
      assert.deepEqual(keys, ['a', 'b', 'c', 'd', 'e'].map((k) => `/list/p/${k}`));
      // Keys sort by their UTF-8 bytes on every backend.
      for (const k of ['é', 'z', '日本', 'A']) await kv.create(`/list/u/${k}`, k);
      assert.deepEqual((await kv.list('/list/u/')).items.map((i) => i.value.toString()), ['A', 'z', 'é', '日本']);
      assert.deepEqual((await kv.list('/list/u/', { continueFrom: '/list/u/z' })).items.map((i) => i.value.toString()), ['é', '日本']);
      const everything = await kv.list('');
      assert.ok(everything.items.length >= 7);
      const sorted = everything.items.map((i) => i.key);
      assert.deepEqual(sorted, [...sorted].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y))));
    });

    test('list at a past revision sees the state of then', async () => {
      const a = await kv.create('/past/a', 'a1');
      const b1 = await kv.create('/past/b', 'b1');
      const then = await kv.currentRevision();
      await kv.update('/past/a', 'a2', a.modRevision);
      await kv.delete('/past/b', b1.modRevision);
      await kv.create('/past/c', 'c1');
      const old = await kv.list('/past/', { revision: then });
      assert.equal(old.revision, then);
      assert.deepEqual(old.items.map((i) => [i.key, i.value.toString()]), [['/past/a', 'a1'], ['/past/b', 'b1']]);
      const now = await kv.list('/past/');
      assert.deepEqual(now.items.map((i) => [i.key, i.value.toString()]), [['/past/a', 'a2'], ['/past/c', 'c1']]);
    });

    test('watch replays history from a revision, then live events, in order, with prevKv', async () => {
      const a = await kv.create('/watch/a', 'a1');
      const a2 = await kv.update('/watch/a', 'a2', a.modRevision);
      await kv.create('/watchother/x', 'not watched');
      const log = new EventLog();
      const w = await kv.watch('/watch/', a.modRevision, log.push);
      await log.waitFor(2);
      const b = await kv.create('/watch/b', 'b1');
      await kv.delete('/watch/a', a2.modRevision);
      const b2 = await kv.update('/watch/b', 'b2', b.modRevision);
      await log.waitFor(5);
      w.close();
      await kv.create('/watch/after-close', 'x');
      assert.equal(await w.ended, null);
      await sleep(200);
      const ev = log.events;
      assert.deepEqual(ev.map((e) => `${e.type} ${e.kv.key} ${e.kv.value.toString()}`), [
        'PUT /watch/a a1', 'PUT /watch/a a2', 'PUT /watch/b b1', 'DELETE /watch/a ', 'PUT /watch/b b2',
      ]);
      for (let i = 1; i < ev.length; i++) assert.ok(ev[i]!.kv.modRevision > ev[i - 1]!.kv.modRevision, log.describe());
      assert.equal(ev[0]!.prevKv, null, 'a create has no prevKv');
      assert.deepEqual(ev[1]!.prevKv, a);
      assert.deepEqual(ev[1]!.kv, a2);
      assert.deepEqual(ev[3]!.prevKv, a2, 'a delete carries the deleted value');
      assert.equal(ev[3]!.kv.modRevision > b.modRevision, true);
      assert.equal(ev[3]!.kv.version, 0);
      assert.deepEqual(ev[4]!.kv, b2);
      assert.equal(ev[4]!.prevKv?.value.toString(), 'b1');
    });

    test('watch from 0 delivers only changes after now; prefixes filter', async () => {
      await kv.create('/wnow/old', 'x');
      const log = new EventLog();
      const w = await kv.watch('/wnow/', 0, log.push);
      const all = new EventLog();
      const wAll = await kv.watch('', 0, all.push);
      await kv.create('/wnowx/other', 'x');
      await kv.create('/wnow/new', 'y');
      await log.waitFor(1);
      await all.waitFor(2);
      assert.deepEqual(log.events.map((e) => e.kv.key), ['/wnow/new']);
      assert.deepEqual(all.events.map((e) => e.kv.key), ['/wnowx/other', '/wnow/new']);
      w.close();
      wAll.close();
    });

    test('a long history replays completely and in order', async () => {
      const from = (await kv.currentRevision()) + 1;
      const n = 1200;
      await Promise.all(Array.from({ length: n }, (_, i) => kv.create(`/replay/${String(i).padStart(5, '0')}`, String(i))));
      const log = new EventLog();
      const w = await kv.watch('/replay/', from, log.push);
      // Writes racing the replay must appear once each, after the history, without gaps.
      const racing = 200;
      await Promise.all(Array.from({ length: racing }, (_, i) => kv.create(`/replay/live/${i}`, 'live')));
      const last = await kv.create('/replay/last', 'live');
      await log.waitFor(n + racing + 1, 30_000);
      await sleep(100);
      w.close();
      const revs = log.events.map((e) => e.kv.modRevision);
      for (let i = 1; i < revs.length; i++) assert.ok(revs[i]! > revs[i - 1]!, 'in order, no duplicates');
      assert.equal(log.events.length, n + racing + 1);
      assert.equal(revs[0], from);
      assert.equal(revs[revs.length - 1], last.modRevision);
      assert.equal(last.modRevision - from + 1, revs.length, 'no gaps: every revision since `from` was delivered');
    });

    test('many watchers at once each see every event', async () => {
      const logs = Array.from({ length: 150 }, () => new EventLog());
      const watchers = await Promise.all(logs.map((l) => kv.watch('/many/', 0, l.push)));
      await kv.create('/many/a', '1');
      assert.ok(await kv.get('/many/a'), 'unary calls still work while many watches are open');
      await Promise.all(logs.map((l) => l.waitFor(1)));
      for (const w of watchers) w.close();
      await Promise.all(watchers.map((w) => w.ended));
    });

    test('concurrent writers: optimistic updates never lose a write', async () => {
      const k = '/concurrent/counter';
      await kv.create(k, '0');
      const writers = 20;
      const each = 5;
      const seen = new Set<number>();
      await Promise.all(Array.from({ length: writers }, async () => {
        for (let i = 0; i < each; i++) {
          for (;;) {
            const cur = (await kv.get(k))!;
            try {
              const next = await kv.update(k, String(Number(cur.value.toString()) + 1), cur.modRevision);
              assert.ok(!seen.has(next.modRevision), 'each write gets its own revision');
              seen.add(next.modRevision);
              break;
            } catch (err) {
              if (!isBerthError(err, 'Conflict')) throw err;
            }
          }
        }
      }));
      const final = (await kv.get(k))!;
      assert.equal(final.value.toString(), String(writers * each));
      assert.equal(final.version, writers * each + 1);
      const creates = await Promise.allSettled(Array.from({ length: 10 }, () => kv.create('/concurrent/once', 'x')));
      assert.equal(creates.filter((r) => r.status === 'fulfilled').length, 1, 'exactly one concurrent create wins');
    });

    test('compaction: past revisions become Gone, latest versions stay', async () => {
      const a = await kv.create('/compact/a', 'a1');
      const b = await kv.create('/compact/b', 'b1');
      const early = await kv.currentRevision();
      const a2 = await kv.update('/compact/a', 'a2', a.modRevision);
      await kv.delete('/compact/b', b.modRevision);
      const keep = await kv.create('/compact/c', 'c1');
      const at = await kv.currentRevision();
      await kv.compact(at);
      await kv.compact(at - 1); // compacting less far again is a no-op
      await rejectsWith(kv.list('/compact/', { revision: early }), 'Gone');
      await rejectsWith(kv.watch('/compact/', early, () => {}), 'Gone');
      const now = await kv.list('/compact/');
      assert.deepEqual(now.items.map((i) => [i.key, i.value.toString()]), [['/compact/a', 'a2'], ['/compact/c', 'c1']]);
      assert.deepEqual(await kv.get('/compact/a'), a2);
      assert.deepEqual(await kv.get('/compact/c'), keep);
      assert.equal(await kv.get('/compact/b'), null);
      assert.equal(await kv.count('/compact/'), 2);
      // Reading at the compacted revision itself still works, and so does watching from it.
      assert.equal((await kv.list('/compact/', { revision: at })).items.length, 2);
      const log = new EventLog();
      const w = await kv.watch('/compact/', at + 1, log.push);
      const a3 = await kv.update('/compact/a', 'a3', a2.modRevision);
      await log.waitFor(1);
      w.close();
      assert.deepEqual(log.events[0]!.kv, a3);
      assert.deepEqual(log.events[0]!.prevKv, a2, 'prevKv survives compaction of its revision');
      // Old keys written long before keep working after compaction.
      assert.ok((await kv.get('/create/a')) !== null);
    });

    test('TTL keys expire as a DELETE event', async () => {
      const log = new EventLog();
      const w = await kv.watch('/ttl/', 0, log.push);
      const t = await kv.create('/ttl/short', 'x', { ttlSeconds: 1 });
      const p = await kv.create('/ttl/refreshed', 'x', { ttlSeconds: 1 });
      await kv.update('/ttl/refreshed', 'permanent now', p.modRevision); // no ttl: the key stays
      await log.waitFor(4, 15_000);
      w.close();
      assert.equal(await kv.get('/ttl/short'), null);
      const del = log.events.find((e) => e.type === 'DELETE')!;
      assert.equal(del.kv.key, '/ttl/short');
      assert.equal(del.prevKv?.modRevision, t.modRevision);
      await sleep(2500);
      assert.equal((await kv.get('/ttl/refreshed'))?.value.toString(), 'permanent now');
    });

    test('a throwing watch callback ends that watch with Internal, not the process', async () => {
      const w = await kv.watch('/throw/', 0, () => {
        throw new Error('consumer bug');
      });
      await kv.create('/throw/x', 'x');
      const err = await w.ended;
      assert.ok(isBerthError(err, 'Internal'), String(err));
      assert.ok((await kv.get('/throw/x')) !== null);
    });

    test('snapshot and restore round trip', async () => {
      await kv.create('/snap/a', 'a1');
      const b = await kv.create('/snap/b', Buffer.from([1, 2, 3]));
      const snapFile = path.join(dirOf(), `snap-${Date.now()}.db`);
      const info = await kv.snapshot(snapFile);
      assert.ok(info.bytes > 0);
      await kv.update('/snap/b', 'after the snapshot', b.modRevision);
      await kv.create('/snap/c', 'after the snapshot');
      const restored = await bRestore(snapFile);
      try {
        const items = (await restored.list('/snap/')).items;
        assert.deepEqual(items.map((i) => [i.key, i.value.toString('hex')]), [['/snap/a', Buffer.from('a1').toString('hex')], ['/snap/b', '010203']]);
        assert.ok((await restored.currentRevision()) >= info.revision);
        assert.deepEqual((await restored.get('/snap/b'))?.modRevision, b.modRevision);
        const next = await restored.create('/snap/d', 'written to the restored store');
        assert.ok(next.modRevision > info.revision);
      } finally {
        await restored.close();
      }
      await rejectsWith(kv.snapshot(path.join(dirOf(), 'no-such-dir', 'x.db')), 'NotFound');
    });

    test('a closed store refuses work', async () => {
      // Last test: closes the shared store.
      await kv.close();
      await kv.close();
      await rejectsWith(kv.get('/x'), 'FailedPrecondition');
      await rejectsWith(kv.create('/x', 'y'), 'FailedPrecondition');
    });

    function dirOf(): string {
      return b.dir;
    }
    function bRestore(f: string): Promise<KV> {
      return b.restore(f);
    }
  });
}
