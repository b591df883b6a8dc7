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
 *
 * This class composes the parts: the shared state (context.ts), the runtime container
 * (runtime-container.ts), create (create.ts), start (start.ts), stop and kill (stop.ts), exit
 * handling and restart policies (exit-handling.ts), removal (removal.ts), recovery (recovery.ts),
 * attach (attach.ts) and queries (queries.ts).
 */
import type { EventEmitter } from 'node:events';
import path from 'node:path';
import { failedPrecondition, invalidArgument } from '../../base/errors.js';
import type { AttachSession, ContainerInfo, ContainerManager, ContainerStats, ContainerUpdate, CreateContainerOptions, ExecInfo, ExecOptions, LogEntry, LogOptions, WaitCondition } from './types.js';
import { attachContainer, resizeContainer } from './attach.js';
import { ManagerContext } from './context.js';
import type { ManagerOptions } from './context.js';
import { createContainer } from './create.js';
import { handleExit, onExit } from './exit-handling.js';
import { isUp, setState } from './live.js';
import type { Live } from './live.js';
import { validateName } from './names.js';
import { inspectContainer, listContainers, logsOf, statsOf, topOf } from './queries.js';
import { recoverContainers } from './recovery.js';
import { removeContainer, removeInternal } from './removal.js';
import { startContainer, startInternal } from './start.js';
import { killContainer, stopContainer } from './stop.js';
import { applyUpdate } from './update.js';

export type { ManagerOptions } from './context.js';

export class Manager implements ContainerManager {
  readonly events: EventEmitter;
  private readonly ctx: ManagerContext;

  constructor(o: ManagerOptions) {
    const ctx: ManagerContext = new ManagerContext(o, {
      onExit: (id, code) => onExit(ctx, id, code),
      handleExit: (l, code) => handleExit(ctx, l, code),
      startInternal: (l) => startInternal(ctx, l),
      removeInternal: (l, fromExit, removeVolumes) => removeInternal(ctx, l, fromExit, removeVolumes),
    });
    this.ctx = ctx;
    this.events = ctx.events;
  }

  // ---- create --------------------------------------------------------------------------------

  create(input: CreateContainerOptions): Promise<ContainerInfo> {
    return createContainer(this.ctx, input);
  }

  // ---- lifecycle -----------------------------------------------------------------------------

  start(ref: string): Promise<void> {
    return startContainer(this.ctx, ref);
  }

  stop(ref: string, timeoutSeconds?: number): Promise<void> {
    return stopContainer(this.ctx, ref, timeoutSeconds);
  }

  kill(ref: string, signal?: string): Promise<void> {
    return killContainer(this.ctx, ref, signal);
  }

  async restart(ref: string, timeoutSeconds?: number): Promise<void> {
    this.ctx.assertOpen();
    const l = this.ctx.get(ref);
    if (isUp(l) || l.rec.info.state.status === 'restarting') await this.stop(ref, timeoutSeconds);
    l.rec.manuallyStopped = false;
    await startInternal(this.ctx, l);
    this.ctx.emit('restart', l.rec.info.id);
  }

  async pause(ref: string): Promise<void> {
    this.ctx.assertOpen();
    const l = this.ctx.get(ref);
    if (l.rec.info.state.status !== 'running') throw failedPrecondition(`container "${l.rec.info.name}" is not running`);
    await this.ctx.rt(l).pause(l.rec.info.id);
    setState(l, { status: 'paused' });
    this.ctx.persist(l);
    this.ctx.emit('pause', l.rec.info.id);
  }

  async unpause(ref: string): Promise<void> {
    this.ctx.assertOpen();
    const l = this.ctx.get(ref);
    if (l.rec.info.state.status !== 'paused') throw failedPrecondition(`container "${l.rec.info.name}" is not paused`);
    await this.ctx.rt(l).resume(l.rec.info.id);
    setState(l, { status: 'running' });
    this.ctx.persist(l);
    this.ctx.emit('unpause', l.rec.info.id);
  }

  remove(ref: string, opts: { force?: boolean; volumes?: boolean } = {}): Promise<void> {
    return removeContainer(this.ctx, ref, opts);
  }

  wait(ref: string, condition: WaitCondition = 'not-running'): Promise<{ exitCode: number; error?: string }> {
    let l: Live;
    try {
      if (!['not-running', 'next-exit', 'removed'].includes(condition)) throw invalidArgument(`invalid wait condition "${String(condition)}"`);
      l = this.ctx.get(ref);
    } catch (err) {
      return Promise.reject(err);
    }
    const s = l.rec.info.state.status;
    if (condition === 'not-running' && (s === 'created' || s === 'exited' || s === 'dead')) return Promise.resolve({ exitCode: l.rec.info.state.exitCode });
    return new Promise((resolve) => l.waiters.push({ condition, resolve }));
  }

  async update(ref: string, patch: ContainerUpdate): Promise<{ warnings: string[] }> {
    this.ctx.assertOpen();
    const l = this.ctx.get(ref);
    // A created container's runtime container (and cgroup) may already exist, made ahead of
    // start: it takes the new limits too, or the start would run with the old ones.
    while (l.preparing) await l.preparing;
    const live = isUp(l) || (l.rec.info.state.status === 'created' && l.runtimeCreated);
    const { warnings } = applyUpdate(l.rec.info, path.join(this.ctx.dir(l.rec.info.id), 'bundle'), patch, (spec, indent) => this.ctx.o.kit.specToJson(spec, indent), live);
    this.ctx.persist(l);
    this.ctx.emit('update', l.rec.info.id);
    return { warnings };
  }

  async rename(ref: string, newName: string): Promise<void> {
    this.ctx.assertOpen();
    const l = this.ctx.get(ref);
    if (typeof newName !== 'string') throw invalidArgument('a new container name is required');
    const name = validateName(newName);
    const old = l.rec.info.name;
    if (name === old) throw invalidArgument('Renaming a container with the same name as its current name');
    if (this.ctx.nameTaken(name)) throw this.ctx.nameInUse(name);
    l.rec.info.name = name;
    this.ctx.persist(l);
    this.ctx.emit('rename', l.rec.info.id, { oldName: `/${old}` });
  }

  // ---- queries -------------------------------------------------------------------------------

  list(opts: { all?: boolean } = {}): ContainerInfo[] {
    return listContainers(this.ctx, opts);
  }

  inspect(ref: string): ContainerInfo {
    return inspectContainer(this.ctx, ref);
  }

  logs(ref: string, opts: LogOptions = {}): AsyncIterable<LogEntry> {
    return logsOf(this.ctx, ref, opts);
  }

  attach(ref: string, opts: { stdin?: boolean; stdout?: boolean; stderr?: boolean }): Promise<AttachSession> {
    return attachContainer(this.ctx, ref, opts);
  }

  resize(ref: string, rows: number, cols: number): Promise<void> {
    return resizeContainer(this.ctx, ref, rows, cols);
  }

  async execCreate(ref: string, opts: ExecOptions): Promise<ExecInfo> {
    this.ctx.assertOpen();
    const l = this.ctx.get(ref);
    if (l.rec.info.state.status === 'paused') throw failedPrecondition(`container "${l.rec.info.name}" is paused: unpause it before exec`);
    if (l.rec.info.state.status !== 'running') throw failedPrecondition(`container "${l.rec.info.name}" is not running`);
    return this.ctx.execs.create(l.rec.info, opts);
  }

  async execStart(execId: string, opts: { detach?: boolean } = {}): Promise<AttachSession | null> {
    this.ctx.assertOpen();
    const containerId = this.ctx.execs.containerOf(execId);
    const l = this.ctx.live.get(containerId);
    if (!l || l.rec.info.state.status !== 'running') throw failedPrecondition(`container "${l?.rec.info.name ?? containerId}" is not running`);
    return this.ctx.execs.start(execId, l.rec.info, opts);
  }

  execInspect(execId: string): ExecInfo {
    return this.ctx.execs.inspect(execId);
  }

  async execResize(execId: string, rows: number, cols: number): Promise<void> {
    this.ctx.execs.resize(execId, rows, cols);
  }

  stats(ref: string): Promise<ContainerStats> {
    return statsOf(this.ctx, ref);
  }

  top(ref: string, psArgs?: string): Promise<{ titles: string[]; processes: string[][] }> {
    return topOf(this.ctx, ref, psArgs);
  }

  imagesInUse(): Set<string> {
    return new Set([...this.ctx.live.values()].map((l) => l.rec.info.imageId));
  }

  // ---- recovery and shutdown -----------------------------------------------------------------

  recover(): Promise<void> {
    return recoverContainers(this.ctx);
  }

  async close(): Promise<void> {
    this.ctx.closed = true;
    this.ctx.exitWatcher.close();
    for (const l of this.ctx.live.values()) {
      if (l.restartTimer) clearTimeout(l.restartTimer);
      l.restartTimer = null;
    }
    this.ctx.execs.close();
  }
}
