/**
 * The container manager: container records, lifecycle and supervision. Processes run under conmon
 * (which owns their stdio, logs and exit code); the manager only reacts to conmon's exit files, so
 * it can die and come back (`recover`) without the containers noticing.
 *
 * Rules kept here:
 *  - a container's runtime container (crun/runc `create`, under conmon) exists from create/restart
 *    until its exit has been recorded; its exit is recorded exactly once, from the exit file;
 *  - the OOM verdict is read from the cgroup BEFORE the runtime container (and its cgroup) is deleted;
 *  - background work (exit handling, restarts, auto-remove) never throws: failures are logged.
 */
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { BerthError, failedPrecondition, invalidArgument, notFound, notImplemented, alreadyExists, asBerthError } from '../../base/errors.js';
import { ExitWatcher, OciRuntime, conmonCreate, connectAttach, psWithArgs, readExitFile, removeExitFile, resizeTerminal } from '../runtime/index.js';
import type { RuntimeName } from '../runtime/index.js';
import type { ImageService, Snapshotter } from '../images/types.js';
import type { AttachSession, ContainerEvent, ContainerInfo, ContainerManager, ContainerStats, ContainerUpdate, CreateContainerOptions, ExecInfo, ExecOptions, LogEntry, LogOptions, WaitCondition } from './types.js';
import { buildContainer, normalizeCreateOptions } from './build-container.js';
import { earlyAttach } from './early-attach.js';
import { ExecSessions } from './exec-sessions.js';
import { isUp, newLive, nowIso, safeReaddir, setState, settlesWithin } from './live.js';
import type { Live } from './live.js';
import type { RuntimeKit } from './kit.js';
import type { ContainerNetworking, NetworkedContainer } from './networking.js';
import { writeHostsFile } from './etc-files.js';
import { containerLogs } from './logs.js';
import { readNetworkCounters } from './stats-net.js';
import { generateName, newId, validateName } from './names.js';
import { namespacesOf, psTable } from './proc-info.js';
import { shouldRestart } from './restart-policy.js';
import { parseSignal } from './signals.js';
import { containerDir, loadRecords, RECORD_FILE, saveRecord } from './store.js';
import { applyUpdate } from './update.js';
import { parseBind, parseTmpfs, parseVolumesFrom } from '../../api/docker/volume-spec.js';
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

export class Manager implements ContainerManager {
  readonly events = new EventEmitter();
  private readonly live = new Map<string, Live>();
  private readonly runtimes = new Map<RuntimeName, OciRuntime>();
  private readonly exitDir: string;
  private readonly exitWatcher: ExitWatcher;
  private readonly execs: ExecSessions;
  private closed = false;
  private readonly log: (msg: string) => void;

  constructor(private readonly o: ManagerOptions) {
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

  // ---- helpers -------------------------------------------------------------------------------

  private runtime(name: RuntimeName): OciRuntime {
    let rt = this.runtimes.get(name);
    if (!rt) {
      rt = new OciRuntime(name, path.join(this.o.runRoot, name));
      this.runtimes.set(name, rt);
    }
    return rt;
  }

  private rt(l: Live): OciRuntime {
    return this.runtime(l.rec.info.runtime);
  }

  private dir(id: string): string {
    return containerDir(this.o.root, id);
  }

  private bundle(id: string): string {
    return path.join(this.dir(id), 'bundle');
  }

  private runDir(id: string): string {
    return path.join(this.o.runRoot, 'containers', id);
  }

  private emit(action: string, id: string, extra: Record<string, string> = {}): void {
    const l = this.live.get(id);
    const attributes: Record<string, string> = { ...(l ? { name: l.rec.info.name, image: l.rec.info.image, ...l.rec.info.config.labels } : {}), ...extra };
    const ev: ContainerEvent = { type: 'container', action, id, attributes, timeNano: BigInt(Date.now()) * 1_000_000n };
    try {
      this.events.emit('event', ev);
    } catch (err) {
      this.log(`event listener failed on ${action}: ${String(err)}`);
    }
  }

  private persist(l: Live, durable = true): void {
    if (l.removing && !fs.existsSync(path.join(this.dir(l.rec.info.id), RECORD_FILE))) return;
    saveRecord(this.o.root, l.rec, durable);
  }

  private get(ref: string): Live {
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

  private nameTaken(name: string): boolean {
    for (const l of this.live.values()) if (l.rec.info.name === name) return true;
    return this.reservedNames.has(name);
  }

  private readonly reservedNames = new Set<string>();

  /** Docker's wording, which scripts match on: names the holder and says what to do. */
  private nameInUse(name: string): Error {
    let holder = '';
    for (const l of this.live.values()) if (l.rec.info.name === name) holder = l.rec.info.id;
    const by = holder ? ` by container "${holder}"` : '';
    return alreadyExists(`Conflict. The container name "/${name}" is already in use${by}. You have to remove (or rename) that container to be able to reuse that name.`);
  }

  private nextExit(l: Live): Promise<void> {
    return new Promise((resolve) => l.exitListeners.push(resolve));
  }

  // ---- create --------------------------------------------------------------------------------

  async create(input: CreateContainerOptions): Promise<ContainerInfo> {
    this.assertOpen();
    const options = normalizeCreateOptions(input, this.o.runtime);
    const mode = options.networkMode ?? '';
    if (!this.o.network && !['', 'none', 'host', 'default', 'bridge'].includes(mode)) throw notImplemented(`network mode "${mode}" needs berth's networking, which this daemon runs without`);
    const name = input.name ? validateName(input.name) : generateName((n) => this.nameTaken(n));
    if (this.nameTaken(name)) throw this.nameInUse(name);
    const image = this.o.images.resolve(options.image);
    const id = newId();
    const dir = this.dir(id);
    this.reservedNames.add(name); // no await since the check above: two creates cannot both take it
    let prepared = false;
    let networked = false;
    const network = this.o.network;
    const prepareNetwork = network
      ? async (config: ContainerInfo['config']) => {
          const r = await network.prepare(this.networked({ id, name, options, config }), (ref) => {
            const other = this.get(ref);
            return { id: other.rec.info.id, name: other.rec.info.name };
          });
          networked = true;
          return r;
        }
      : undefined;
    try {
      const rec = await buildContainer({ snapshots: this.o.snapshots, kit: this.o.kit, log: this.log }, { id, name, dir, options, image, onPrepared: () => (prepared = true), ...(prepareNetwork ? { prepareNetwork } : {}),
        attachVolumes: (rootfs, config) => this.attachVolumes(id, options, rootfs, Object.keys(config.volumes)) });
      saveRecord(this.o.root, rec);
      const l = newLive(rec, true);
      this.live.set(id, l);
      this.emit('create', id);
      // After this call's reply is on its way (setImmediate), not before it.
      setImmediate(() => this.prepareAhead(l));
      return this.inspect(id);
    } catch (err) {
      await this.o.volumes?.release(id, { removeAnonymous: true }).catch((e: unknown) => this.log(`cleanup of ${id}: volumes: ${String(e)}`));
      if (prepared) await this.o.snapshots.remove(id).catch((e: unknown) => this.log(`cleanup of ${id}: ${String(e)}`));
      if (networked) await network?.release(id);
      fs.rmSync(dir, { recursive: true, force: true });
      throw asBerthError(err);
    } finally {
      this.reservedNames.delete(name);
    }
  }

  /** Resolves --volumes-from against the containers here, then lets the volumes hook attach everything. */
  private async attachVolumes(id: string, options: CreateContainerOptions, rootfs: string, imageVolumes: string[]) {
    const volumesFrom = (options.volumesFrom ?? []).map((raw) => {
      const { container, mode } = parseVolumesFrom(raw);
      return { mode, mountPoints: this.get(container).rec.info.mountPoints ?? [] };
    });
    const mounts = [...(options.binds ?? []).map(parseBind), ...(options.mounts ?? []), ...Object.entries(options.tmpfs ?? {}).map(([p, o]) => parseTmpfs(p, o))];
    if (!this.o.volumes) {
      if (mounts.length || volumesFrom.length) throw failedPrecondition('this daemon has no volume support configured');
      return [];
    }
    return this.o.volumes.attach({ containerId: id, rootfs, mounts, volumesFrom, imageVolumes });
  }

  // ---- runtime container under conmon --------------------------------------------------------

  /**
   * Creates the runtime container of a just-created container in the background: a client that
   * creates a container almost always attaches and starts it next, and conmon plus `runtime
   * create` is the longest step of a start. A failure is only logged: the
   * attach/start that follows runs ensureRuntimeContainer again and reports it.
   */
  private prepareAhead(l: Live): void {
    if (this.closed || l.removing || l.preparing || l.runtimeCreated || l.startPromise || l.rec.info.state.status !== 'created' || this.live.get(l.rec.info.id) !== l) return;
    const p = this.createRuntimeContainer(l).catch((err: unknown) => {
      this.log(`container ${l.rec.info.id.slice(0, 12)}: early runtime create failed (retried at start): ${String(err)}`);
    });
    this.trackPreparing(l, p);
  }

  /** Makes sure a fresh runtime container (crun/runc `create` under conmon) waits for `start`. */
  private async ensureRuntimeContainer(l: Live): Promise<void> {
    // One creation at a time per container: an early one in flight is waited for, then reused.
    while (l.preparing) await l.preparing;
    const p = this.createRuntimeContainer(l);
    this.trackPreparing(l, p);
    await p;
  }

  private trackPreparing(l: Live, p: Promise<void>): void {
    const settled = p.then(
      () => undefined,
      () => undefined,
    );
    l.preparing = settled;
    void settled.then(() => {
      if (l.preparing === settled) l.preparing = null;
    });
  }

  private async createRuntimeContainer(l: Live): Promise<void> {
    const id = l.rec.info.id;
    const rt = this.rt(l);
    while (l.runtimeDeleting) await l.runtimeDeleting;
    if (l.runtimeCreated && fs.existsSync(path.join(this.bundle(id), 'attach'))) return;
    const st = l.runtimeGone ? null : await rt.state(id);
    if (st && st.status === 'created' && fs.existsSync(path.join(this.bundle(id), 'attach'))) return;
    if (st) await rt.delete(id, true);
    l.runtimeGone = false; // from here on a runtime container may exist
    this.exitWatcher.unwatch(id);
    removeExitFile(this.exitDir, id);
    const runDir = this.runDir(id);
    fs.rmSync(runDir, { recursive: true, force: true });
    fs.mkdirSync(runDir, { recursive: true });
    await this.o.snapshots.mount(id);
    const { attached: networkAttached } = await this.networkUp(l);
    const opts = l.rec.info.options;
    const created = conmonCreate({
      runtime: rt, containerId: id, cuuid: id.slice(0, 12), name: l.rec.info.name, bundle: this.bundle(id),
      pidFile: path.join(runDir, 'pid'), exitDir: this.exitDir, logPath: l.rec.info.logPath, persistDir: runDir,
      tty: !!opts.tty, stdin: !!opts.openStdin, leaveStdinOpen: !opts.stdinOnce,
    });
    // The runtime create and the network's CNI ADD run side by side; both must succeed.
    let pid: number;
    try {
      [{ pid }] = await Promise.all([created, networkAttached]);
    } catch (err) {
      await created.then(() => rt.delete(id, true)).catch(() => undefined);
      await networkAttached.catch(() => undefined);
      throw err;
    }
    l.rec.info.state.pid = pid;
    l.runtimeCreated = true;
    this.exitWatcher.watch(id, (code) => this.onExit(id, code));
  }

  private networked(c: { id: string; name: string; options: CreateContainerOptions; config: ContainerInfo['config'] }): NetworkedContainer {
    return { id: c.id, name: c.name, hostname: c.config.hostname, options: c.options, exposedPorts: Object.keys(c.config.exposedPorts) };
  }

  /**
   * The container's network namespace (resolved: the runtime create may run); `attached` settles
   * once addresses, ports and DNS are in place and /etc/hosts names the address.
   */
  private async networkUp(l: Live): Promise<{ attached: Promise<void> }> {
    const net = this.o.network;
    if (!net) return { attached: Promise.resolve() };
    const info = l.rec.info;
    const { attached } = await net.setUp(this.networked(info));
    return {
      attached: attached.then(({ hosts }) => {
        if (hosts.length) writeHostsFile(this.dir(info.id), info.config.hostname, info.options, hosts);
      }),
    };
  }

  /** Background network teardown after an exit: the next setUp and the removal queue behind it. */
  private networkDown(id: string): void {
    void this.o.network?.tearDown(id).catch((err: unknown) => this.log(`container ${id.slice(0, 12)}: network teardown: ${String(err)}`));
  }

  private beginRuntimeDelete(l: Live): void {
    const id = l.rec.info.id;
    const p: Promise<void> = this.rt(l)
      .delete(id, true)
      .then(
        () => {
          l.runtimeGone = true;
        },
        (err: unknown) => this.log(`container ${id.slice(0, 12)}: runtime delete failed: ${String(err)}`),
      )
      .finally(() => {
        if (l.runtimeDeleting === p) l.runtimeDeleting = null;
      });
    l.runtimeDeleting = p;
  }

  /** Waits for a background runtime delete, then makes sure the runtime holds no container. */
  private async runtimeDeleted(l: Live): Promise<void> {
    while (l.runtimeDeleting) await l.runtimeDeleting;
    if (!l.runtimeGone) await this.rt(l).delete(l.rec.info.id, true);
    l.runtimeGone = true;
  }

  private onExit(id: string, code: number): void {
    const l = this.live.get(id);
    if (!l || this.closed) return;
    if (l.starting) {
      l.pendingExit = code;
      return;
    }
    this.handleExit(l, code).catch((err: unknown) => this.log(`container ${id.slice(0, 12)}: exit handling failed: ${String(err)}`));
  }

  private async handleExit(l: Live, code: number): Promise<void> {
    const id = l.rec.info.id;
    l.runtimeCreated = false;
    let oom = false;
    try {
      oom = (await this.o.kit.oomKilled(l.rec.cgroupsPath)) || fs.existsSync(path.join(this.runDir(id), 'oom'));
    } catch (err) {
      this.log(`container ${id.slice(0, 12)}: oom check failed: ${String(err)}`);
    }
    this.beginRuntimeDelete(l);
    if (this.closed) return;
    this.networkDown(id);
    const startedMs = Date.parse(l.rec.info.state.startedAt);
    const upMs = Number.isFinite(startedMs) ? Date.now() - startedMs : 0;
    const wasStarted = l.rec.info.state.status !== 'created';
    setState(l, { status: 'exited', pid: 0, exitCode: code, oomKilled: oom, finishedAt: nowIso() });
    this.execs.containerStopped(id);
    if (oom) this.emit('oom', id);
    this.emit('die', id, { exitCode: String(code) });
    for (const w of l.waiters.filter((x) => x.condition !== 'removed')) w.resolve({ exitCode: code });
    l.waiters = l.waiters.filter((x) => x.condition === 'removed');
    for (const f of l.exitListeners.splice(0)) f();
    if (l.removing) return;
    const policy = l.rec.info.options.restartPolicy ?? { name: 'no' };
    if (wasStarted && shouldRestart(policy, code, l.rec.info.restartCount, l.rec.manuallyStopped)) {
      setState(l, { status: 'restarting' });
      this.persist(l);
      const delay = l.backoff.next(upMs);
      l.restartTimer = setTimeout(() => {
        l.restartTimer = null;
        if (this.closed || l.removing || l.rec.info.state.status !== 'restarting') return;
        l.rec.info.restartCount++;
        this.startInternal(l).catch((err: unknown) => {
          this.log(`container ${id.slice(0, 12)}: restart failed: ${String(err)}`);
        });
      }, delay);
      return;
    }
    if (l.rec.info.options.autoRemove) {
      // No "exited" record first: the removal supersedes it at once, and a crash before the removal
      // is safe (recovery finds the exit file and runs this handler again, removal included).
      await this.removeInternal(l, true).catch((err: unknown) => this.log(`container ${id.slice(0, 12)}: auto-remove failed: ${String(err)}`));
      return;
    }
    this.persist(l);
  }

  // ---- lifecycle -----------------------------------------------------------------------------

  async start(ref: string): Promise<void> {
    this.assertOpen();
    const l = this.get(ref);
    if (l.startPromise) return l.startPromise; // a start already in flight: share it
    const s = l.rec.info.state.status;
    if (s === 'running') return;
    if (s === 'paused') throw failedPrecondition(`container "${l.rec.info.name}" is paused: unpause it instead`);
    if (l.removing || s === 'removing') throw failedPrecondition(`container "${l.rec.info.name}" is being removed`);
    if (l.restartTimer) {
      clearTimeout(l.restartTimer);
      l.restartTimer = null;
    }
    l.rec.manuallyStopped = false;
    await this.startInternal(l);
  }

  /** Runs startInternal, remembering it so stop/remove can wait for an in-flight (re)start. */
  private startInternal(l: Live): Promise<void> {
    const p = this.doStart(l);
    l.startPromise = p;
    const clear = () => {
      if (l.startPromise === p) l.startPromise = null;
    };
    p.then(clear, clear);
    return p;
  }

  private async doStart(l: Live): Promise<void> {
    const id = l.rec.info.id;
    const rt = this.rt(l);
    l.starting = true;
    l.pendingExit = null;
    try {
      await this.ensureRuntimeContainer(l);
      // Attaches made before the runtime container existed connect now: none may miss output.
      while (l.attaching.size) await Promise.all([...l.attaching]);
      await rt.start(id);
    } catch (err) {
      l.starting = false;
      l.runtimeCreated = false;
      const e = asBerthError(err);
      this.exitWatcher.unwatch(id);
      await rt.delete(id, true).catch(() => undefined);
      this.networkDown(id);
      // Docker's codes for a command that cannot be run: 127 not found, 126 not executable.
      const code = /not found|no such file/i.test(e.message) ? 127 : /permission denied/i.test(e.message) ? 126 : 128;
      setState(l, { status: 'exited', pid: 0, exitCode: code, error: e.message, finishedAt: nowIso() });
      this.persist(l);
      for (const f of l.exitListeners.splice(0)) f();
      throw new BerthError(e.code, `cannot start container "${l.rec.info.name}": ${e.message}`, { cause: err });
    }
    // No await between here and the pending-exit check: an exit seen during start must be handled
    // after "running" is recorded, never before it.
    l.starting = false;
    l.rec.hasBeenStarted = true;
    setState(l, { status: 'running', exitCode: 0, error: '', oomKilled: false, startedAt: nowIso() });
    // "running" matters after a power cut only to a restart policy (a reboot killed the process
    // anyway): without one, this hot-path write skips its fsyncs (it still survives kill -9).
    this.persist(l, (l.rec.info.options.restartPolicy?.name ?? 'no') !== 'no');
    this.emit('start', id);
    if (l.pendingExit !== null) {
      const code = l.pendingExit;
      l.pendingExit = null;
      await this.handleExit(l, code);
    }
  }

  async stop(ref: string, timeoutSeconds?: number): Promise<void> {
    this.assertOpen();
    const l = this.get(ref);
    if (timeoutSeconds !== undefined && (!Number.isFinite(timeoutSeconds) || timeoutSeconds < -1)) throw invalidArgument(`invalid stop timeout ${String(timeoutSeconds)}`);
    l.rec.manuallyStopped = true;
    if (l.startPromise) await l.startPromise.catch(() => undefined); // a restart in flight: stop what it starts
    if (l.rec.info.state.status === 'restarting') {
      if (l.restartTimer) clearTimeout(l.restartTimer);
      l.restartTimer = null;
      setState(l, { status: 'exited' });
      this.persist(l);
      this.emit('stop', l.rec.info.id);
      return;
    }
    if (!isUp(l)) {
      this.persist(l);
      return;
    }
    this.persist(l);
    const id = l.rec.info.id;
    const timeout = timeoutSeconds ?? l.rec.info.options.stopTimeout ?? 10;
    const sig = parseSignal(l.rec.info.config.stopSignal, 'SIGTERM');
    const exited = this.nextExit(l);
    await this.signal(l, sig);
    const inTime = timeout < 0 ? await exited.then(() => true) : await settlesWithin(exited, timeout * 1000);
    if (!inTime && isUp(l)) {
      await this.signal(l, 9);
      await settlesWithin(exited, 30_000);
    }
    this.emit('stop', id);
  }

  /** Sends a signal; a paused container is thawed so the signal can be delivered (Docker does the same). */
  private async signal(l: Live, sig: number): Promise<void> {
    const id = l.rec.info.id;
    try {
      await this.rt(l).kill(id, sig);
    } catch (err) {
      // The process may have exited before its exit file was handled: then there is nothing to signal.
      const st = await this.rt(l).state(id).catch(() => null);
      if (isUp(l) && st && st.status !== 'stopped') throw err;
      return;
    }
    this.emit('kill', id, { signal: String(sig) });
    if (l.rec.info.state.status === 'paused' && (sig === 9 || sig === 15 || sig === parseSignal(l.rec.info.config.stopSignal, 'SIGTERM'))) {
      await this.rt(l).resume(id).catch(() => undefined);
      if (l.rec.info.state.status === 'paused') setState(l, { status: 'running' });
    }
  }

  async kill(ref: string, signal?: string): Promise<void> {
    this.assertOpen();
    const l = this.get(ref);
    const sig = parseSignal(signal, 'SIGKILL');
    // The process may already run (and be seen running) while `runtime start` returns: a kill
    // sent then is meant for it, so it waits for the start instead of failing.
    if (l.startPromise) await l.startPromise.catch(() => undefined);
    if (!isUp(l)) throw failedPrecondition(`container "${l.rec.info.name}" is not running`);
    // Docker: an explicit kill counts as a manual stop for restart policies.
    l.rec.manuallyStopped = true;
    this.persist(l);
    await this.signal(l, sig);
  }

  async restart(ref: string, timeoutSeconds?: number): Promise<void> {
    this.assertOpen();
    const l = this.get(ref);
    if (isUp(l) || l.rec.info.state.status === 'restarting') await this.stop(ref, timeoutSeconds);
    l.rec.manuallyStopped = false;
    await this.startInternal(l);
    this.emit('restart', l.rec.info.id);
  }

  async pause(ref: string): Promise<void> {
    this.assertOpen();
    const l = this.get(ref);
    if (l.rec.info.state.status !== 'running') throw failedPrecondition(`container "${l.rec.info.name}" is not running`);
    await this.rt(l).pause(l.rec.info.id);
    setState(l, { status: 'paused' });
    this.persist(l);
    this.emit('pause', l.rec.info.id);
  }

  async unpause(ref: string): Promise<void> {
    this.assertOpen();
    const l = this.get(ref);
    if (l.rec.info.state.status !== 'paused') throw failedPrecondition(`container "${l.rec.info.name}" is not paused`);
    await this.rt(l).resume(l.rec.info.id);
    setState(l, { status: 'running' });
    this.persist(l);
    this.emit('unpause', l.rec.info.id);
  }

  async remove(ref: string, opts: { force?: boolean; volumes?: boolean } = {}): Promise<void> {
    this.assertOpen();
    const l = this.get(ref);
    if (l.removing) throw failedPrecondition(`removal of container "${l.rec.info.name}" is already in progress`);
    const s = l.rec.info.state.status;
    if ((s === 'running' || s === 'paused' || s === 'restarting') && !opts.force) {
      throw failedPrecondition(`cannot remove container "/${l.rec.info.name}": container is ${s}: stop the container before removing or force remove`);
    }
    await this.removeInternal(l, false, !!opts.volumes);
  }

  /**
   * fromExit: called by exit handling, which may itself run inside the start it would wait for.
   * removeVolumes: the container's anonymous volumes go too (`rm -v`; `--rm` as in Docker).
   */
  private async removeInternal(l: Live, fromExit = false, removeVolumes = !!l.rec.info.options.autoRemove): Promise<void> {
    const id = l.rec.info.id;
    if (l.removing) return;
    l.removing = true;
    if (l.restartTimer) clearTimeout(l.restartTimer);
    l.restartTimer = null;
    if (l.startPromise && !fromExit) await l.startPromise.catch(() => undefined);
    while (l.preparing) await l.preparing;
    const exitCode = l.rec.info.state.exitCode;
    try {
      if (isUp(l)) {
        const exited = this.nextExit(l);
        await this.signal(l, 9).catch((err: unknown) => this.log(`remove ${id.slice(0, 12)}: kill: ${String(err)}`));
        await settlesWithin(exited, 15_000);
      }
      setState(l, { status: 'removing' });
      this.exitWatcher.unwatch(id);
      this.execs.containerStopped(id);
      l.runtimeCreated = false;
      // After an exit the exit handler has begun the runtime delete: an auto-removal lets it finish
      // beside the answers (removeFiles waits for it); any other removal waits here.
      if (!fromExit || !l.runtimeDeleting) await this.runtimeDeleted(l);
      // Address, veth, port rules and namespace go before the answer: a removed container leaves nothing behind.
      await this.o.network?.release(id);
      // The record goes first: from here on the container is gone, and a crash before its files
      // are removed leaves a record-less directory, which the next start removes with its snapshot.
      fs.rmSync(path.join(this.dir(id), RECORD_FILE), { force: true });
    } catch (err) {
      l.removing = false;
      setState(l, { status: 'dead', error: asBerthError(err).message });
      if (fs.existsSync(this.dir(id))) this.persist(l);
      throw asBerthError(err);
    }
    this.emit('destroy', id);
    this.live.delete(id);
    // Synchronous up to its first await: the volumes are free (and anonymous ones gone from lists) now.
    this.o.volumes?.release(id, { removeAnonymous: removeVolumes }).catch((err: unknown) => this.log(`container ${id.slice(0, 12)}: releasing its volumes: ${String(err)}`));
    for (const w of l.waiters.splice(0)) w.resolve({ exitCode: l.rec.info.state.exitCode ?? exitCode });
    for (const f of l.exitListeners.splice(0)) f();
    // The files go right after the answers to the waiters are on their way (setImmediate runs
    // before this daemon reads another request, so a following `rmi` sees the snapshot gone).
    setImmediate(() => void this.removeFiles(id, l));
  }

  private async removeFiles(id: string, l: Live): Promise<void> {
    try {
      await this.runtimeDeleted(l);
      await this.o.snapshots.remove(id);
      fs.rmSync(this.dir(id), { recursive: true, force: true });
      fs.rmSync(this.runDir(id), { recursive: true, force: true });
      removeExitFile(this.exitDir, id);
    } catch (err) {
      this.log(`container ${id.slice(0, 12)}: removing its files failed (retried at the next start): ${String(err)}`);
    }
  }

  wait(ref: string, condition: WaitCondition = 'not-running'): Promise<{ exitCode: number; error?: string }> {
    let l: Live;
    try {
      if (!['not-running', 'next-exit', 'removed'].includes(condition)) throw invalidArgument(`invalid wait condition "${String(condition)}"`);
      l = this.get(ref);
    } catch (err) {
      return Promise.reject(err);
    }
    const s = l.rec.info.state.status;
    if (condition === 'not-running' && (s === 'created' || s === 'exited' || s === 'dead')) return Promise.resolve({ exitCode: l.rec.info.state.exitCode });
    return new Promise((resolve) => l.waiters.push({ condition, resolve }));
  }

  async update(ref: string, patch: ContainerUpdate): Promise<{ warnings: string[] }> {
    this.assertOpen();
    const l = this.get(ref);
    // A created container's runtime container (and cgroup) may already exist, made ahead of
    // start: it takes the new limits too, or the start would run with the old ones.
    while (l.preparing) await l.preparing;
    const live = isUp(l) || (l.rec.info.state.status === 'created' && l.runtimeCreated);
    const { warnings } = applyUpdate(l.rec.info, path.join(this.dir(l.rec.info.id), 'bundle'), patch, (spec, indent) => this.o.kit.specToJson(spec, indent), live);
    this.persist(l);
    this.emit('update', l.rec.info.id);
    return { warnings };
  }

  async rename(ref: string, newName: string): Promise<void> {
    this.assertOpen();
    const l = this.get(ref);
    if (typeof newName !== 'string') throw invalidArgument('a new container name is required');
    const name = validateName(newName);
    const old = l.rec.info.name;
    if (name === old) throw invalidArgument('Renaming a container with the same name as its current name');
    if (this.nameTaken(name)) throw this.nameInUse(name);
    l.rec.info.name = name;
    this.persist(l);
    this.emit('rename', l.rec.info.id, { oldName: `/${old}` });
  }

  // ---- queries -------------------------------------------------------------------------------

  list(opts: { all?: boolean } = {}): ContainerInfo[] {
    return [...this.live.values()]
      .filter((l) => opts.all || isUp(l) || l.rec.info.state.status === 'restarting')
      .sort((a, b) => b.rec.info.created.localeCompare(a.rec.info.created))
      .map((l) => this.snapshot(l));
  }

  inspect(ref: string): ContainerInfo {
    return this.snapshot(this.get(ref));
  }

  private snapshot(l: Live): ContainerInfo {
    const info = structuredClone(l.rec.info);
    info.namespaces = isUp(l) ? namespacesOf(info.state.pid) : {};
    if (!isUp(l)) info.state.pid = 0;
    return info;
  }

  logs(ref: string, opts: LogOptions = {}): AsyncIterable<LogEntry> {
    const l = this.get(ref);
    for (const k of ['since', 'until', 'tail'] as const) {
      const v = opts[k];
      if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v) || (k === 'tail' ? v < -1 : v < 0))) throw invalidArgument(`invalid logs option ${k}=${String(v)}`);
    }
    const o = { ...opts };
    if (o.tail === -1) delete o.tail;
    return containerLogs(l.rec.info.logPath, o, () => this.closed || !this.live.has(l.rec.info.id) || !isUp(l));
  }

  async attach(ref: string, opts: { stdin?: boolean; stdout?: boolean; stderr?: boolean }): Promise<AttachSession> {
    this.assertOpen();
    const l = this.get(ref);
    const s = l.rec.info.state.status;
    // An exited container may be attached to as well: `start -a` attaches first, then starts it.
    if (s !== 'running' && s !== 'paused' && s !== 'created' && s !== 'exited') throw failedPrecondition(`container "${l.rec.info.name}" is not running: cannot attach`);
    const bundle = this.bundle(l.rec.info.id);
    const want = { stdout: opts.stdout ?? true, stderr: opts.stderr ?? true };
    const withStdin = !!opts.stdin && !!l.rec.info.options.openStdin;
    if (s === 'created' || s === 'exited') {
      // Its failure is the start's to report (Docker reports it there), so it is dropped here.
      const ready = this.ensureRuntimeContainer(l);
      const early = earlyAttach({
        tty: !!l.rec.info.options.tty, withStdin,
        connect: ready.then(() => connectAttach(bundle, want)),
        resize: async (rows, cols) => resizeTerminal(bundle, rows, cols),
      });
      l.attaching.add(early.connected);
      void early.connected.then(() => l.attaching.delete(early.connected));
      return early.session;
    }
    const conn = connectAttach(bundle, want);
    if (!withStdin) conn.stdin.destroy();
    return {
      tty: !!l.rec.info.options.tty,
      output: conn.output,
      stdin: withStdin ? conn.stdin : null,
      resize: async (rows, cols) => resizeTerminal(bundle, rows, cols),
      close: () => conn.close(),
    };
  }

  async resize(ref: string, rows: number, cols: number): Promise<void> {
    const l = this.get(ref);
    if (!l.rec.info.options.tty) throw failedPrecondition(`container "${l.rec.info.name}" has no terminal`);
    if (!isUp(l)) throw failedPrecondition(`container "${l.rec.info.name}" is not running`);
    resizeTerminal(this.bundle(l.rec.info.id), rows, cols);
  }

  async execCreate(ref: string, opts: ExecOptions): Promise<ExecInfo> {
    this.assertOpen();
    const l = this.get(ref);
    if (l.rec.info.state.status === 'paused') throw failedPrecondition(`container "${l.rec.info.name}" is paused: unpause it before exec`);
    if (l.rec.info.state.status !== 'running') throw failedPrecondition(`container "${l.rec.info.name}" is not running`);
    return this.execs.create(l.rec.info, opts);
  }

  async execStart(execId: string, opts: { detach?: boolean } = {}): Promise<AttachSession | null> {
    this.assertOpen();
    const containerId = this.execs.containerOf(execId);
    const l = this.live.get(containerId);
    if (!l || l.rec.info.state.status !== 'running') throw failedPrecondition(`container "${l?.rec.info.name ?? containerId}" is not running`);
    return this.execs.start(execId, l.rec.info, opts);
  }

  execInspect(execId: string): ExecInfo {
    return this.execs.inspect(execId);
  }

  async execResize(execId: string, rows: number, cols: number): Promise<void> {
    this.execs.resize(execId, rows, cols);
  }

  async stats(ref: string): Promise<ContainerStats> {
    const l = this.get(ref);
    if (!isUp(l)) throw failedPrecondition(`container "${l.rec.info.name}" is not running`);
    const opts = l.rec.info.options;
    const [stats, networks] = await Promise.all([
      this.o.kit.readStats(l.rec.cgroupsPath),
      // A host-network container's interfaces are the machine's: Docker reports none for it.
      opts.networkMode === 'host' ? undefined : readNetworkCounters(l.rec.info.state.pid),
    ]);
    return networks ? { ...stats, networks } : stats;
  }

  async top(ref: string, psArgs?: string): Promise<{ titles: string[]; processes: string[][] }> {
    const l = this.get(ref);
    if (!isUp(l)) throw failedPrecondition(`container "${l.rec.info.name}" is not running`);
    const pids = await this.o.kit.readPids(l.rec.cgroupsPath);
    // -ef (the default) is read from /proc; other options go to the host's ps, as Docker does.
    if (psArgs !== undefined && psArgs.trim() !== '' && psArgs.trim() !== '-ef') return await psWithArgs(psArgs, pids);
    return psTable(pids);
  }

  imagesInUse(): Set<string> {
    return new Set([...this.live.values()].map((l) => l.rec.info.imageId));
  }

  // ---- recovery and shutdown -----------------------------------------------------------------

  async recover(): Promise<void> {
    this.assertOpen();
    const records = loadRecords(this.o.root, (dir, err) => this.log(`skipping unreadable container record in ${dir}: ${String(err)}`));
    await this.removeLeftovers(new Set(records.map((r) => r.info.id)));
    for (const rec of records) {
      if (this.live.has(rec.info.id)) continue;
      const l = newLive(rec, false);
      this.live.set(rec.info.id, l);
      this.o.volumes?.adopt(rec.info.id, rec.info.mountPoints ?? []);
      try {
        await this.recoverOne(l);
      } catch (err) {
        this.log(`container ${rec.info.id.slice(0, 12)}: recovery failed: ${String(err)}`);
      }
    }
    await this.o.network
      ?.recover([...this.live.values()].map((l) => ({ c: this.networked(l.rec.info), running: isUp(l) || l.rec.info.state.status === 'created' })))
      .catch((err: unknown) => this.log(`network recovery failed: ${String(err)}`));
  }

  /**
   * A daemon that died inside create() leaves a container dir (and snapshot) without a record, and
   * removals leave exit files (and, after a crash, runtime state) behind: none of it belongs to any
   * container, so it all goes.
   */
  private async removeLeftovers(known: Set<string>): Promise<void> {
    for (const name of safeReaddir(this.o.root)) {
      if (!/^[0-9a-f]{64}$/.test(name) || known.has(name) || this.live.has(name)) continue;
      if (fs.existsSync(path.join(this.dir(name), 'config.v1.json'))) continue; // unreadable, not unfinished: keep for a human
      this.log(`removing unfinished container ${name.slice(0, 12)} left by an earlier daemon`);
      await this.o.snapshots.remove(name).catch((err: unknown) => this.log(`snapshot ${name.slice(0, 12)}: ${String(err)}`));
      fs.rmSync(this.dir(name), { recursive: true, force: true });
    }
    for (const name of safeReaddir(this.exitDir)) {
      if (!known.has(name) && !this.live.has(name)) fs.rmSync(path.join(this.exitDir, name), { force: true });
    }
    // A removal answers before its runtime delete has finished: a crash in between leaves the
    // runtime's state (and cgroup) of a container that no longer exists.
    for (const runtimeName of ['crun', 'runc'] as const) {
      const rt = this.runtime(runtimeName);
      for (const name of safeReaddir(rt.root)) {
        if (!/^[0-9a-f]{64}$/.test(name) || known.has(name) || this.live.has(name)) continue;
        await rt.delete(name, true).catch((err: unknown) => this.log(`runtime container ${name.slice(0, 12)}: ${String(err)}`));
      }
    }
  }

  private async recoverOne(l: Live): Promise<void> {
    const id = l.rec.info.id;
    const s = l.rec.info.state.status;
    if (s === 'removing') {
      // The daemon died half-way through a removal: finish it.
      l.rec.info.state.status = 'dead';
      await this.removeInternal(l);
      return;
    }
    if (s === 'running' || s === 'paused' || s === 'created') {
      // Exited while no manager watched: record it now, so recover() returns with the truth.
      const code = readExitFile(this.exitDir, id);
      if (code !== null && (s !== 'created' || l.rec.hasBeenStarted)) {
        await this.handleExit(l, code);
        return;
      }
    }
    const st = await this.rt(l).state(id).catch(() => null);
    if (st && st.status !== 'stopped') {
      // Still alive under its conmon: resume supervision (the exit file may already be there).
      await this.o.snapshots.mount(id).catch((err: unknown) => this.log(`container ${id.slice(0, 12)}: remount: ${String(err)}`));
      if (st.status === 'paused') setState(l, { status: 'paused', pid: st.pid });
      else if (st.status === 'running') setState(l, { status: 'running', pid: st.pid });
      this.exitWatcher.watch(id, (code) => this.onExit(id, code));
      return;
    }
    if (s === 'running' || s === 'paused' || (s === 'created' && st)) {
      this.exitWatcher.watch(id, (code) => this.onExit(id, code));
      if (!st) {
        // Neither an exit file nor a runtime container (e.g. a reboot emptied the run dir).
        setTimeout(() => {
          const l2 = this.live.get(id);
          if (l2 && !this.closed && isUp(l2)) {
            this.exitWatcher.unwatch(id);
            l2.rec.info.state.error = 'container state was lost while the daemon was down';
            this.handleExit(l2, 255).catch((err: unknown) => this.log(String(err)));
          }
        }, 1000).unref();
      }
      return;
    }
    if (s === 'restarting') {
      setState(l, { status: 'exited' });
      this.persist(l);
    }
    // Docker restarts always / unless-stopped containers (not stopped by hand) when the daemon starts.
    const p = l.rec.info.options.restartPolicy?.name;
    if (l.rec.hasBeenStarted && !l.rec.manuallyStopped && (p === 'always' || p === 'unless-stopped') && l.rec.info.state.status === 'exited') {
      await this.startInternal(l).catch((err: unknown) => this.log(`container ${id.slice(0, 12)}: restart on recovery failed: ${String(err)}`));
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.exitWatcher.close();
    for (const l of this.live.values()) {
      if (l.restartTimer) clearTimeout(l.restartTimer);
      l.restartTimer = null;
    }
    this.execs.close();
  }

  private assertOpen(): void {
    if (this.closed) throw new BerthError('Unavailable', 'the container manager is closed');
  }
}
