/**
 * A container's runtime container: crun/runc `create` under conmon, made ahead of start (right
 * after create, or by attach/start), and its `runtime delete` after an exit, which runs beside the
 * answers to waiters. One creation at a time per container; a creation waits for a delete in flight.
 */
import fs from 'node:fs';
import path from 'node:path';
import { conmonCreate, removeExitFile } from '../runtime/index.js';
import { networkUp } from './container-network.js';
import type { ManagerContext } from './context.js';
import type { Live } from './live.js';

/**
 * Creates the runtime container of a just-created container in the background: a client that
 * creates a container almost always attaches and starts it next, and conmon plus `runtime
 * create` is the longest step of a start. A failure is only logged: the
 * attach/start that follows runs ensureRuntimeContainer again and reports it.
 */
export function prepareAhead(ctx: ManagerContext, l: Live): void {
  if (ctx.closed || l.removing || l.preparing || l.runtimeCreated || l.startPromise || l.rec.info.state.status !== 'created' || ctx.live.get(l.rec.info.id) !== l) return;
  const p = createRuntimeContainer(ctx, l).catch((err: unknown) => {
    ctx.log(`container ${l.rec.info.id.slice(0, 12)}: early runtime create failed (retried at start): ${String(err)}`);
  });
  trackPreparing(l, p);
}

/** Makes sure a fresh runtime container (crun/runc `create` under conmon) waits for `start`. */
export async function ensureRuntimeContainer(ctx: ManagerContext, l: Live): Promise<void> {
  // One creation at a time per container: an early one in flight is waited for, then reused.
  while (l.preparing) await l.preparing;
  const p = createRuntimeContainer(ctx, l);
  trackPreparing(l, p);
  await p;
}

function trackPreparing(l: Live, p: Promise<void>): void {
  const settled = p.then(
    () => undefined,
    () => undefined,
  );
  l.preparing = settled;
  void settled.then(() => {
    if (l.preparing === settled) l.preparing = null;
  });
}

async function createRuntimeContainer(ctx: ManagerContext, l: Live): Promise<void> {
  const id = l.rec.info.id;
  const rt = ctx.rt(l);
  while (l.runtimeDeleting) await l.runtimeDeleting;
  if (l.runtimeCreated && fs.existsSync(path.join(ctx.bundle(id), 'attach'))) return;
  const st = l.runtimeGone ? null : await rt.state(id);
  if (st && st.status === 'created' && fs.existsSync(path.join(ctx.bundle(id), 'attach'))) return;
  if (st) await rt.delete(id, true);
  l.runtimeGone = false; // from here on a runtime container may exist
  ctx.exitWatcher.unwatch(id);
  removeExitFile(ctx.exitDir, id);
  const runDir = ctx.runDir(id);
  fs.rmSync(runDir, { recursive: true, force: true });
  fs.mkdirSync(runDir, { recursive: true });
  await ctx.o.snapshots.mount(id);
  const { attached: networkAttached } = await networkUp(ctx, l);
  const opts = l.rec.info.options;
  const created = conmonCreate({
    runtime: rt, containerId: id, cuuid: id.slice(0, 12), name: l.rec.info.name, bundle: ctx.bundle(id),
    pidFile: path.join(runDir, 'pid'), exitDir: ctx.exitDir, logPath: l.rec.info.logPath, persistDir: runDir,
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
  ctx.watchExit(id);
}

export function beginRuntimeDelete(ctx: ManagerContext, l: Live): void {
  const id = l.rec.info.id;
  const p: Promise<void> = ctx
    .rt(l)
    .delete(id, true)
    .then(
      () => {
        l.runtimeGone = true;
      },
      (err: unknown) => ctx.log(`container ${id.slice(0, 12)}: runtime delete failed: ${String(err)}`),
    )
    .finally(() => {
      if (l.runtimeDeleting === p) l.runtimeDeleting = null;
    });
  l.runtimeDeleting = p;
}

/** Waits for a background runtime delete, then makes sure the runtime holds no container. */
export async function runtimeDeleted(ctx: ManagerContext, l: Live): Promise<void> {
  while (l.runtimeDeleting) await l.runtimeDeleting;
  if (!l.runtimeGone) await ctx.rt(l).delete(l.rec.info.id, true);
  l.runtimeGone = true;
}
