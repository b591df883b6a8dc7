/**
 * The etcd backend of the storage contract (types.ts), over etcd's JSON gateway (gateway.ts).
 * Conditional writes are single etcd transactions: create = put if createRevision == 0, update =
 * put if modRevision == expected, delete = delete if modRevision == expected; a failed compare
 * reads the key in the same transaction to tell NotFound from Conflict.
 */
import fs from 'node:fs';
import path from 'node:path';
import { BerthError, alreadyExists, conflict, internal, invalidArgument, isBerthError, notFound } from '../../base/errors.js';
import { Compactor, type CompactionPolicy } from '../compactor.js';
import type { DeletedKeyValue, KV, KeyValue, ListOptions, ListResult, SnapshotInfo, Watcher, WatchEvent, WriteOptions } from '../types.js';
import { checkKey, checkLimit, checkPrefix, checkRevision, checkTtl, closedError, listStart, prefixEnd, toValue } from '../validate.js';
import { openWatch, wireToKv } from './etcd-watch.js';
import { b64, Gateway, num, readMessages, type EtcdTls, type WireHeader, type WireKv } from './gateway.js';

interface RangeResponse {
  header?: WireHeader;
  kvs?: WireKv[];
  more?: boolean;
  count?: string;
}
interface TxnResponse {
  header?: WireHeader;
  succeeded?: boolean;
  responses?: Array<{
    response_put?: { prev_kv?: WireKv };
    response_range?: { kvs?: WireKv[] };
    response_delete_range?: { deleted?: string; prev_kvs?: WireKv[] };
  }>;
}

const NUL = b64(Buffer.from([0]));

export interface EtcdKVOptions {
  /** http(s)://host:port of an etcd v3 member. */
  endpoint: string;
  /** CA / client certificate for https endpoints. */
  tls?: EtcdTls;
  /** Background compaction (compactor.ts), as kube-apiserver does for etcd; false turns it off. */
  compaction?: CompactionPolicy | false;
}

export class EtcdKV implements KV {
  private readonly gw: Gateway;
  private readonly compactor: Compactor | null;
  private readonly watchers = new Set<Watcher>();
  private closed = false;

  private constructor(opts: EtcdKVOptions) {
    this.gw = new Gateway(opts.endpoint, opts.tls);
    this.compactor = opts.compaction === false ? null : new Compactor(this, opts.compaction ?? {});
  }

  /** Connects and checks that etcd answers (Unavailable if not). */
  static async connect(opts: EtcdKVOptions): Promise<EtcdKV> {
    const kv = new EtcdKV(opts);
    try {
      await kv.currentRevision();
    } catch (err) {
      await kv.close();
      throw err;
    }
    return kv;
  }

  get endpoint(): string {
    return this.gw.endpoint;
  }

  private check(): void {
    if (this.closed) throw closedError(`etcd datastore ${this.gw.endpoint}`);
  }

  async get(key: string): Promise<KeyValue | null> {
    this.check();
    const r = await this.gw.call<RangeResponse>('/v3/kv/range', { key: b64(checkKey(key)) });
    return r.kvs?.[0] ? wireToKv(r.kvs[0]) : null;
  }

  async list(prefix: string, opts: ListOptions = {}): Promise<ListResult> {
    this.check();
    checkPrefix(prefix);
    const limit = checkLimit(opts.limit);
    const revision = checkRevision('list revision', opts.revision ?? 0);
    const start = listStart(prefix, opts.continueFrom);
    const end = prefixEnd(Buffer.from(prefix, 'utf8'));
    const r = await this.gw.call<RangeResponse>('/v3/kv/range', {
      key: start.length === 0 ? NUL : b64(start),
      range_end: end ? b64(end) : NUL,
      ...(limit > 0 ? { limit: String(limit) } : {}),
      ...(revision > 0 ? { revision: String(revision) } : {}),
    });
    return { items: (r.kvs ?? []).map(wireToKv), revision: revision > 0 ? revision : num(r.header?.revision), more: r.more === true };
  }

  async count(prefix: string): Promise<number> {
    this.check();
    checkPrefix(prefix);
    const p = Buffer.from(prefix, 'utf8');
    const end = prefixEnd(p);
    const r = await this.gw.call<RangeResponse>('/v3/kv/range', {
      key: p.length === 0 ? NUL : b64(p),
      range_end: end ? b64(end) : NUL,
      count_only: true,
    });
    return num(r.count);
  }

  private async grantLease(key: string, opts?: WriteOptions): Promise<string | undefined> {
    const ttl = checkTtl(key, opts?.ttlSeconds);
    if (ttl === 0) return undefined;
    const r = await this.gw.call<{ ID?: string }>('/v3/lease/grant', { TTL: String(ttl) });
    if (!r.ID) throw internal(`etcd ${this.gw.endpoint} granted no lease for storage key "${key}"`);
    return r.ID;
  }

  private revokeLease(id: string | undefined): void {
    if (id) this.gw.call('/v3/lease/revoke', { ID: id }).catch(() => {}); // unused lease: it would expire anyway
  }

  private txn(body: unknown): Promise<TxnResponse> {
    return this.gw.call<TxnResponse>('/v3/kv/txn', body);
  }

  private wrote(): void {
    this.compactor?.noteWrites(1);
  }

  async create(key: string, value: Buffer | string, opts?: WriteOptions): Promise<KeyValue> {
    this.check();
    checkKey(key);
    const val = toValue(key, value);
    const lease = await this.grantLease(key, opts);
    const k = b64(key);
    let r: TxnResponse;
    try {
      r = await this.txn({
        compare: [{ key: k, target: 'CREATE', result: 'EQUAL', create_revision: '0' }],
        success: [{ request_put: { key: k, value: val.toString('base64'), ...(lease ? { lease } : {}) } }],
      });
    } catch (err) {
      this.revokeLease(lease);
      throw err;
    }
    if (!r.succeeded) {
      this.revokeLease(lease);
      throw alreadyExists(`storage key "${key}" already exists`);
    }
    this.wrote();
    const rev = num(r.header?.revision);
    return { key, value: val, createRevision: rev, modRevision: rev, version: 1 };
  }

  async update(key: string, value: Buffer | string, expectedModRevision: number, opts?: WriteOptions): Promise<KeyValue> {
    this.check();
    checkKey(key);
    checkRevision(`expected revision for storage key "${key}"`, expectedModRevision);
    const val = toValue(key, value);
    const lease = await this.grantLease(key, opts);
    const k = b64(key);
    let r: TxnResponse;
    try {
      r = await this.txn({
        compare: [
          { key: k, target: 'VERSION', result: 'GREATER', version: '0' }, // exists (a mod of 0 would match an absent key)
          { key: k, target: 'MOD', result: 'EQUAL', mod_revision: String(expectedModRevision) },
        ],
        success: [{ request_put: { key: k, value: val.toString('base64'), prev_kv: true, ...(lease ? { lease } : {}) } }],
        failure: [{ request_range: { key: k } }],
      });
    } catch (err) {
      this.revokeLease(lease);
      throw err;
    }
    if (!r.succeeded) {
      this.revokeLease(lease);
      throw this.compareFailed(key, expectedModRevision, r);
    }
    this.wrote();
    const prev = r.responses?.[0]?.response_put?.prev_kv;
    if (!prev) throw internal(`etcd ${this.gw.endpoint} returned no previous value for storage key "${key}"`);
    const rev = num(r.header?.revision);
    return { key, value: val, createRevision: num(prev.create_revision), modRevision: rev, version: num(prev.version) + 1 };
  }

  async delete(key: string, expectedModRevision?: number): Promise<DeletedKeyValue> {
    this.check();
    checkKey(key);
    if (expectedModRevision !== undefined) checkRevision(`expected revision for storage key "${key}"`, expectedModRevision);
    const k = b64(key);
    const r = await this.txn({
      compare: [
        { key: k, target: 'VERSION', result: 'GREATER', version: '0' },
        ...(expectedModRevision !== undefined ? [{ key: k, target: 'MOD', result: 'EQUAL', mod_revision: String(expectedModRevision) }] : []),
      ],
      success: [{ request_delete_range: { key: k, prev_kv: true } }],
      failure: [{ request_range: { key: k } }],
    });
    if (!r.succeeded) throw this.compareFailed(key, expectedModRevision, r);
    this.wrote();
    const prev = r.responses?.[0]?.response_delete_range?.prev_kvs?.[0];
    if (!prev) throw internal(`etcd ${this.gw.endpoint} returned no deleted value for storage key "${key}"`);
    return { ...wireToKv(prev), deleteRevision: num(r.header?.revision) };
  }

  private compareFailed(key: string, expected: number | undefined, r: TxnResponse): BerthError {
    const current = r.responses?.[0]?.response_range?.kvs?.[0];
    if (!current) return notFound(`storage key "${key}" not found`);
    return conflict(`storage key "${key}" was modified: expected revision ${expected}, current revision is ${num(current.mod_revision)}`);
  }

  async watch(prefix: string, fromRevision: number, onEvent: (event: WatchEvent) => void): Promise<Watcher> {
    this.check();
    checkPrefix(prefix);
    checkRevision('watch revision', fromRevision);
    if (typeof onEvent !== 'function') throw invalidArgument('storage watch needs an event callback');
    if (fromRevision > 0) await this.checkNotCompacted(fromRevision);
    const w = await openWatch(this.gw, prefix, fromRevision, onEvent);
    this.watchers.add(w);
    void w.ended.then(() => this.watchers.delete(w));
    if (this.closed) w.close();
    return w;
  }

  /**
   * etcd reports a compacted watch start only later, on the stream; a range read at the same
   * revision fails the same way at once, so watch() can reject with Gone up front.
   */
  private async checkNotCompacted(fromRevision: number): Promise<void> {
    const current = await this.currentRevision();
    try {
      await this.gw.call('/v3/kv/range', { key: NUL, revision: String(Math.min(fromRevision, current)), count_only: true });
    } catch (err) {
      if (isBerthError(err, 'Gone')) {
        throw new BerthError('Gone', `storage revision ${fromRevision} has been compacted; list again and watch from the list's revision`, { cause: err });
      }
      throw err;
    }
  }

  async currentRevision(): Promise<number> {
    this.check();
    const r = await this.gw.call<RangeResponse>('/v3/kv/range', { key: NUL, count_only: true });
    return num(r.header?.revision);
  }

  async compact(revision: number): Promise<void> {
    this.check();
    checkRevision('compact revision', revision);
    try {
      await this.gw.call('/v3/kv/compaction', { revision: String(revision), physical: true });
    } catch (err) {
      if (isBerthError(err, 'Gone')) return; // already compacted at least that far
      if (isBerthError(err, 'InvalidArgument')) {
        throw invalidArgument(`cannot compact storage to revision ${revision}: it is in the future`);
      }
      throw err;
    }
  }

  /** etcd's maintenance snapshot (the same bytes `etcdctl snapshot save` writes, checksum included). */
  async snapshot(file: string): Promise<SnapshotInfo> {
    this.check();
    const dest = path.resolve(file);
    const dir = path.dirname(dest);
    if (!fs.existsSync(dir)) throw notFound(`snapshot directory ${dir} does not exist`);
    const revision = await this.currentRevision();
    const tmp = `${dest}.tmp-${process.pid}`;
    const fd = fs.openSync(tmp, 'w');
    let bytes = 0;
    try {
      const { response } = this.gw.open('/v3/maintenance/snapshot', {}, true);
      const res = await response;
      if (res.statusCode !== 200) {
        const chunks: Buffer[] = [];
        for await (const c of res) chunks.push(c as Buffer);
        throw new BerthError('Unavailable', `etcd ${this.gw.endpoint}: snapshot failed: HTTP ${res.statusCode} ${Buffer.concat(chunks).toString('utf8')}`);
      }
      let remaining = -1;
      await readMessages(res, (msg) => {
        if (msg.error) throw new Error(JSON.stringify(msg.error));
        const r = (msg.result ?? {}) as { remaining_bytes?: string; blob?: string };
        const blob = Buffer.from(r.blob ?? '', 'base64');
        fs.writeSync(fd, blob);
        bytes += blob.length;
        remaining = num(r.remaining_bytes);
      });
      if (remaining !== 0 || bytes === 0) throw new Error(`stream ended early (${bytes} bytes, ${remaining} remaining)`);
      fs.fsyncSync(fd);
      fs.closeSync(fd);
      fs.renameSync(tmp, dest);
    } catch (err) {
      try {
        fs.closeSync(fd);
      } catch {
        // already closed
      }
      fs.rmSync(tmp, { force: true });
      if (err instanceof BerthError) throw err;
      throw new BerthError('Unavailable', `etcd ${this.gw.endpoint}: snapshot failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    return { bytes, revision };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.compactor?.stop();
    for (const w of [...this.watchers]) w.close();
    this.gw.close();
  }
}
