/**
 * Starting a container: its runtime container (made ahead, or now), the attaches made before it
 * existed, then `runtime start`. An exit seen while `runtime start` runs is held (Live.pendingExit)
 * and handled once "running" is recorded, never before it.
 */
import { BerthError, asBerthError, failedPrecondition } from '../../base/errors.js';
import { networkDown } from './container-network.js';
import type { ManagerContext } from './context.js';
import { nowIso, setState } from './live.js';
import type { Live } from './live.js';
import { ensureRuntimeContainer } from './runtime-container.js';

export async function startContainer(ctx: ManagerContext, ref: string): Promise<void> {
  ctx.assertOpen();
  const l = ctx.get(ref);
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
  await startInternal(ctx, l);
}

/** Runs startInternal, remembering it so stop/remove can wait for an in-flight (re)start. */
export function startInternal(ctx: ManagerContext, l: Live): Promise<void> {
  const p = doStart(ctx, l);
  l.startPromise = p;
  const clear = () => {
    if (l.startPromise === p) l.startPromise = null;
  };
  p.then(clear, clear);
  return p;
}

async function doStart(ctx: ManagerContext, l: Live): Promise<void> {
  const id = l.rec.info.id;
  const rt = ctx.rt(l);
  l.starting = true;
  l.pendingExit = null;
  try {
    await ensureRuntimeContainer(ctx, l);
    // Attaches made before the runtime container existed connect now: none may miss output.
    while (l.attaching.size) await Promise.all([...l.attaching]);
    await rt.start(id);
  } catch (err) {
    l.starting = false;
    l.runtimeCreated = false;
    const e = asBerthError(err);
    ctx.exitWatcher.unwatch(id);
    await rt.delete(id, true).catch(() => undefined);
    networkDown(ctx, id);
    // Docker's codes for a command that cannot be run: 127 not found, 126 not executable.
    const code = /not found|no such file/i.test(e.message) ? 127 : /permission denied/i.test(e.message) ? 126 : 128;
    setState(l, { status: 'exited', pid: 0, exitCode: code, error: e.message, finishedAt: nowIso() });
    ctx.persist(l);
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
  ctx.persist(l, (l.rec.info.options.restartPolicy?.name ?? 'no') !== 'no');
  ctx.emit('start', id);
  if (l.pendingExit !== null) {
    const code = l.pendingExit;
    l.pendingExit = null;
    await ctx.lifecycle.handleExit(l, code);
  }
}
