/**
 * What the container manager's parts share: its options, the containers in memory, the OCI
 * runtimes, the exit watcher and the exec sessions, with the small helpers over them (paths,
 * events, records, lookups by reference, names in use). The manager (manager.ts) owns one and
 * passes it to the modules that hold its lifecycle steps.
 */
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { BerthError, alreadyExists, invalidArgument, notFound } from '../../base/errors.js';
import { ExitWatcher, OciRuntime } from '../runtime/index.js';
import type { RuntimeName } from '../runtime/index.js';
import type { ImageService, Snapshotter } from '../images/types.js';
import type { ContainerEvent } from './types.js';
import { ExecSessions } from './exec-sessions.js';
import type { Live } from './live.js';
import type { RuntimeKit } from './kit.js';
import type { ContainerNetworking } from './networking.js';
import { containerDir, RECORD_FILE, saveRecord } from './store.js';
import type { ContainerVolumes } from '../volumes/types.js';

export interface ManagerOptions {
  root: string;
  runRoot: string;
  images: ImageService;
  snapshots: Snapshotter;
  runtime: RuntimeName;
  kit: RuntimeKit;
  /** Bridge networks, published ports and DNS; without it a container gets only loopback. */
  network?: ContainerNetworking;
  /** Volumes, binds and tmpfs mounts (engine/volumes); without it containers get none. */
  volumes?: ContainerVolumes;
  logger?: (msg: string) => void;
}

/**
 * The lifecycle steps that call each other in a cycle: a runtime create watches for the exit, an
 * exit restarts or auto-removes the container, a start handles the exit it saw meanwhile. The
 * manager wires them here, so the modules holding them need not import each other.
 */
export interface Lifecycle {
  onExit(id: string, code: number): void;
  handleExit(l: Live, code: number): Promise<void>;
  startInternal(l: Live): Promise<void>;
  removeInternal(l: Live, fromExit?: boolean, removeVolumes?: boolean): Promise<void>;
}

export class ManagerContext {
  readonly events = new EventEmitter();
  readonly live = new Map<string, Live>();
  private readonly runtimes = new Map<RuntimeName, OciRuntime>();
  readonly exitDir: string;
  readonly exitWatcher: ExitWatcher;
  readonly execs: ExecSessions;
  closed = false;
  readonly log: (msg: string) => void;
  readonly reservedNames = new Set<string>();

  constructor(
    readonly o: ManagerOptions,
    readonly lifecycle: Lifecycle,
  ) {
    this.log = o.logger ?? (() => undefined);
    fs.mkdirSync(o.root, { recursive: true });
    fs.mkdirSync(o.runRoot, { recursive: true });
    this.exitDir = path.join(o.runRoot, 'exits');
    this.exitWatcher = new ExitWatcher(this.exitDir, (err) => this.log(`exit watcher: ${String(err)}`));
    this.execs = new ExecSessions({
      runRoot: o.runRoot,
      kit: o.kit,
      runtimeFor: (name) => this.runtime(name),
      emit: (action, id, attrs) => this.emit(action, id, attrs),
      log: this.log,
    });
    // Any number of API event streams may subscribe.
    this.events.setMaxListeners(0);
  }

  runtime(name: RuntimeName): OciRuntime {
    let rt = this.runtimes.get(name);
    if (!rt) {
      rt = new OciRuntime(name, path.join(this.o.runRoot, name));
      this.runtimes.set(name, rt);
    }
    return rt;
  }

  rt(l: Live): OciRuntime {
    return this.runtime(l.rec.info.runtime);
  }

  dir(id: string): string {
    return containerDir(this.o.root, id);
  }

  bundle(id: string): string {
    return path.join(this.dir(id), 'bundle');
  }

  runDir(id: string): string {
    return path.join(this.o.runRoot, 'containers', id);
  }

  emit(action: string, id: string, extra: Record<string, string> = {}): void {
    const l = this.live.get(id);
    const attributes: Record<string, string> = { ...(l ? { name: l.rec.info.name, image: l.rec.info.image, ...l.rec.info.config.labels } : {}), ...extra };
    const ev: ContainerEvent = { type: 'container', action, id, attributes, timeNano: BigInt(Date.now()) * 1_000_000n };
    try {
      this.events.emit('event', ev);
    } catch (err) {
      this.log(`event listener failed on ${action}: ${String(err)}`);
    }
  }

  persist(l: Live, durable = true): void {
    if (l.removing && !fs.existsSync(path.join(this.dir(l.rec.info.id), RECORD_FILE))) return;
    saveRecord(this.o.root, l.rec, durable);
  }

  get(ref: string): Live {
    if (typeof ref !== 'string' || ref === '') throw invalidArgument('empty container reference');
    const r = ref.startsWith('/') ? ref.slice(1) : ref;
    const byId = this.live.get(r);
    if (byId) return byId;
    for (const l of this.live.values()) if (l.rec.info.name === r) return l;
    if (/^[0-9a-f]+$/.test(r)) {
      const hits = [...this.live.values()].filter((l) => l.rec.info.id.startsWith(r));
      if (hits.length === 1) return hits[0]!;
      if (hits.length > 1) throw invalidArgument(`container reference "${ref}" is ambiguous: ${hits.length} containers match`);
    }
    throw notFound(`container "${ref}" not found`);
  }

  nameTaken(name: string): boolean {
    for (const l of this.live.values()) if (l.rec.info.name === name) return true;
    return this.reservedNames.has(name);
  }

  /** Docker's wording, which scripts match on: names the holder and says what to do. */
  nameInUse(name: string): Error {
    let holder = '';
    for (const l of this.live.values()) if (l.rec.info.name === name) holder = l.rec.info.id;
    const by = holder ? ` by container "${holder}"` : '';
    return alreadyExists(`Conflict. The container name "/${name}" is already in use${by}. You have to remove (or rename) that container to be able to reuse that name.`);
  }

  nextExit(l: Live): Promise<void> {
    return new Promise((resolve) => l.exitListeners.push(resolve));
  }

  /** Watches for the container's exit file; the exit goes to the lifecycle's exit handling. */
  watchExit(id: string): void {
    this.exitWatcher.watch(id, (code) => this.lifecycle.onExit(id, code));
  }

  assertOpen(): void {
    if (this.closed) throw new BerthError('Unavailable', 'the container manager is closed');
  }
}
