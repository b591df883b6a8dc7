/**
 * The in-process garbage collector and namespace finalizer. A watch on the whole registry wakes it
 * (debounced) when something is deleted, marked for deletion, or created with owners; each pass
 * reads the current objects and:
 *  - deletes objects all of whose owners (by uid) are gone (background cascading);
 *  - for objects being deleted in the foreground, deletes their dependents, then drops the
 *    `foregroundDeletion` finalizer when none remain;
 *  - for objects being deleted with `orphan`, strips the ownerReferences pointing at them from their
 *    dependents, then drops the `orphan` finalizer;
 *  - for terminating namespaces, deletes everything in them, then drops the `kubernetes`
 *    namespace finalizer so the namespace goes.
 * A pass repeats while it made progress; a periodic pass catches anything a crash left behind.
 */
import { asBerthError, isBerthError } from '../../base/errors.js';
import type { Watcher } from '../../storage/types.js';
import type { ApiContext, WriteOptions } from './context.js';
import type { Served } from './registry.js';
import { decodeObject, parseKey } from './object-store.js';
import { deepClone, isPlainObject, type KObject } from './object-meta.js';
import { deleteObject, namespaceFinalizers, NAMESPACES, writeUpdate } from './writes.js';
import { CRD_CLEANUP_FINALIZER } from './admission.js';

interface Entry { served: Served; obj: KObject; modRevision: number }

const SYSTEM_OPTS = (): WriteOptions => ({ dryRun: false, fieldManager: 'berth-garbage-collector', fieldValidation: 'Ignore', warnings: [], user: 'system:serviceaccount:kube-system:generic-garbage-collector' });

export class GarbageCollector {
  private watcher: Watcher | null = null;
  private timer: NodeJS.Timeout | null = null;
  private periodic: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private closed = false;

  constructor(private readonly ctx: ApiContext, private readonly debounceMs = 20, private readonly periodMs = 30_000) {}

  async start(): Promise<void> {
    const from = (await this.ctx.kv.currentRevision()) + 1;
    this.watcher = await this.ctx.kv.watch('/registry/', from, (ev) => {
      if (ev.type === 'DELETE') return this.kick();
      const v = ev.kv.value;
      if (v.includes('"deletionTimestamp"') || (!ev.prevKv && v.includes('"ownerReferences"'))) this.kick();
    });
    void this.watcher.ended.then((err) => {
      if (err && !this.closed) {
        this.ctx.log(`garbage collector watch ended: ${err.message}; restarting`);
        void this.start().catch((e) => this.ctx.log(`garbage collector restart failed: ${asBerthError(e).message}`));
      }
    });
    this.periodic = setInterval(() => this.kick(), this.periodMs);
    this.kick();
  }

  kick(): void {
    if (this.closed) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.running = this.loop().finally(() => {
        this.running = null;
        if (this.again && !this.closed) {
          this.again = false;
          this.kick();
        }
      });
    }, this.debounceMs);
  }

  private async loop(): Promise<void> {
    for (let i = 0; i < 50 && !this.closed; i++) {
      try {
        if (!(await this.pass())) return;
      } catch (err) {
        this.ctx.log(`garbage collector pass failed: ${asBerthError(err).message}`);
        return;
      }
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.periodic) clearInterval(this.periodic);
    this.watcher?.close();
    await this.running?.catch(() => undefined);
  }

  private async snapshot(): Promise<Entry[]> {
    const res = await this.ctx.kv.list('/registry/');
    const byLocation = new Map(this.ctx.registry.storedResources().map((s) => [`${s.info.group || 'core'}/${s.info.plural}`, s]));
    const out: Entry[] = [];
    for (const kv of res.items) {
      const k = parseKey(kv.key);
      if (!k) continue;
      const served = byLocation.get(`${k.groupSegment}/${k.plural}`);
      if (!served) continue;
      out.push({ served, obj: decodeObject(kv), modRevision: kv.modRevision });
    }
    return out;
  }

  /** One pass; true when it changed something (another pass may find more to do). */
  private async pass(): Promise<boolean> {
    const entries = await this.snapshot();
    const uids = new Set(entries.map((e) => e.obj.metadata.uid).filter((u): u is string => !!u));
    const dependents = new Map<string, Entry[]>();
    for (const e of entries) {
      for (const r of e.obj.metadata.ownerReferences ?? []) {
        const list = dependents.get(r.uid) ?? [];
        list.push(e);
        dependents.set(r.uid, list);
      }
    }
    let progress = false;
    const act = async (what: string, fn: () => Promise<unknown>) => {
      try {
        await fn();
        progress = true;
      } catch (err) {
        // Someone else got there first (NotFound) or wrote in between (Conflict): next pass decides again.
        if (!isBerthError(err, 'NotFound') && !isBerthError(err, 'Conflict')) this.ctx.log(`garbage collector: ${what}: ${asBerthError(err).message}`);
        else progress = true;
      }
    };
    for (const e of entries) {
      const meta = e.obj.metadata;
      const refs = meta.ownerReferences ?? [];
      const fins = meta.finalizers ?? [];
      // 1. Orphaned dependents: every owner is gone.
      if (refs.length > 0 && !meta.deletionTimestamp && refs.every((r) => !uids.has(r.uid))) {
        await act(`deleting ${describe(e)}`, () => deleteObject(this.ctx, e.served, meta.namespace, meta.name!, { propagationPolicy: 'Background', preconditions: { uid: meta.uid! } }, SYSTEM_OPTS()));
        continue;
      }
      if (!meta.deletionTimestamp) continue;
      const deps = dependents.get(meta.uid ?? '') ?? [];
      // 2. Foreground: dependents go first (themselves in the foreground), then the owner.
      if (fins.includes('foregroundDeletion')) {
        const live = deps.filter((d) => d.obj.metadata.uid !== meta.uid);
        for (const d of live) if (!d.obj.metadata.deletionTimestamp) await act(`deleting ${describe(d)}`, () => deleteObject(this.ctx, d.served, d.obj.metadata.namespace, d.obj.metadata.name!, { propagationPolicy: 'Foreground' }, SYSTEM_OPTS()));
        // The owner waits only for dependents that block its deletion (blockOwnerDeletion), as in kube.
        const blocking = live.filter((d) => (d.obj.metadata.ownerReferences ?? []).some((r) => r.uid === meta.uid && r.blockOwnerDeletion === true));
        if (blocking.length === 0) await act(`finishing ${describe(e)}`, () => this.dropFinalizer(e, 'foregroundDeletion'));
      }
      // 3. Orphan: dependents lose the reference, then the owner goes.
      if (fins.includes('orphan')) {
        for (const d of deps) await act(`orphaning ${describe(d)}`, () => this.stripOwner(d, meta.uid!));
        await act(`finishing ${describe(e)}`, () => this.dropFinalizer(e, 'orphan'));
      }
      // 4. A deleted CRD takes its custom resources with it.
      if (e.served.info.group === 'apiextensions.k8s.io' && e.served.info.kind === 'CustomResourceDefinition' && fins.includes(CRD_CLEANUP_FINALIZER)) {
        const serving = this.ctx.registry.crd(meta.name!);
        const crs = serving ? entries.filter((x) => x.served.crd?.serving.crdName === meta.name) : [];
        if (crs.length === 0) await act(`finishing ${describe(e)}`, () => this.dropFinalizer(e, CRD_CLEANUP_FINALIZER));
        else for (const x of crs) if (!x.obj.metadata.deletionTimestamp) await act(`deleting ${describe(x)}`, () => deleteObject(this.ctx, x.served, x.obj.metadata.namespace, x.obj.metadata.name!, { propagationPolicy: 'Background' }, SYSTEM_OPTS()));
      }
      // 5. Terminating namespaces empty themselves.
      if (e.served.info.group === '' && e.served.info.kind === 'Namespace' && namespaceFinalizers(e.obj).includes('kubernetes')) {
        const contents = entries.filter((x) => x.served.info.namespaced && x.obj.metadata.namespace === meta.name);
        if (contents.length === 0) await act(`finalizing namespace ${meta.name!}`, () => this.finalizeNamespace(e));
        else for (const x of contents) if (!x.obj.metadata.deletionTimestamp || gracefulPod(x)) await act(`deleting ${describe(x)}`, () => deleteObject(this.ctx, x.served, x.obj.metadata.namespace, x.obj.metadata.name!, { propagationPolicy: 'Background', ...(gracefulPod(x) ? { gracePeriodSeconds: 0 } : {}) }, SYSTEM_OPTS()));
      }
    }
    return progress;
  }

  private async dropFinalizer(e: Entry, finalizer: string): Promise<void> {
    const current = await this.ctx.store.mustGet(e.served.info, e.obj.metadata.namespace, e.obj.metadata.name!);
    const next = deepClone(current.obj);
    next.metadata.finalizers = (next.metadata.finalizers ?? []).filter((f) => f !== finalizer);
    if (next.metadata.finalizers.length === 0) delete next.metadata.finalizers;
    await writeUpdate(this.ctx, e.served, next, current.obj, current.modRevision, SYSTEM_OPTS());
  }

  private async stripOwner(d: Entry, ownerUid: string): Promise<void> {
    const current = await this.ctx.store.mustGet(d.served.info, d.obj.metadata.namespace, d.obj.metadata.name!);
    const next = deepClone(current.obj);
    const refs = (next.metadata.ownerReferences ?? []).filter((r) => r.uid !== ownerUid);
    if (refs.length === (next.metadata.ownerReferences ?? []).length) return;
    if (refs.length === 0) delete next.metadata.ownerReferences;
    else next.metadata.ownerReferences = refs;
    await writeUpdate(this.ctx, d.served, next, current.obj, current.modRevision, SYSTEM_OPTS());
  }

  private async finalizeNamespace(e: Entry): Promise<void> {
    const current = await this.ctx.store.mustGet(NAMESPACES, undefined, e.obj.metadata.name!);
    const next = deepClone(current.obj);
    const spec = isPlainObject(next.spec) ? next.spec : (next.spec = {});
    spec.finalizers = namespaceFinalizers(next).filter((f) => f !== 'kubernetes');
    await writeUpdate(this.ctx, e.served, next, current.obj, current.modRevision, SYSTEM_OPTS(), 'finalize');
  }
}

/** A pod waiting for a node agent's graceful stop; a terminating namespace forces it. */
function gracefulPod(e: Entry): boolean {
  return e.served.info.group === '' && e.served.info.kind === 'Pod' && !!e.obj.metadata.deletionTimestamp && (e.obj.metadata.finalizers ?? []).length === 0;
}

function describe(e: Entry): string {
  const m = e.obj.metadata;
  return `${e.served.info.plural} ${m.namespace ? `${m.namespace}/` : ''}${m.name ?? ''}`;
}
