/**
 * Stopping and signalling a container: stop's signal, grace period and SIGKILL; kill; the thaw a
 * paused container needs before a signal can be delivered. Both wait for a (re)start in flight,
 * so they act on what it starts.
 */
import { failedPrecondition, invalidArgument } from '../../base/errors.js';
import type { ManagerContext } from './context.js';
import { isUp, setState, settlesWithin } from './live.js';
import type { Live } from './live.js';
import { parseSignal } from './signals.js';

export async function stopContainer(ctx: ManagerContext, ref: string, timeoutSeconds?: number): Promise<void> {
  ctx.assertOpen();
  const l = ctx.get(ref);
  if (timeoutSeconds !== undefined && (!Number.isFinite(timeoutSeconds) || timeoutSeconds < -1)) throw invalidArgument(`invalid stop timeout ${String(timeoutSeconds)}`);
  l.rec.manuallyStopped = true;
  if (l.startPromise) await l.startPromise.catch(() => undefined); // a restart in flight: stop what it starts
  if (l.rec.info.state.status === 'restarting') {
    if (l.restartTimer) clearTimeout(l.restartTimer);
    l.restartTimer = null;
    setState(l, { status: 'exited' });
    ctx.persist(l);
    ctx.emit('stop', l.rec.info.id);
    return;
  }
  if (!isUp(l)) {
    ctx.persist(l);
    return;
  }
  ctx.persist(l);
  const id = l.rec.info.id;
  const timeout = timeoutSeconds ?? l.rec.info.options.stopTimeout ?? 10;
  const sig = parseSignal(l.rec.info.config.stopSignal, 'SIGTERM');
  const exited = ctx.nextExit(l);
  await signalContainer(ctx, l, sig);
  const inTime = timeout < 0 ? await exited.then(() => true) : await settlesWithin(exited, timeout * 1000);
  if (!inTime && isUp(l)) {
    await signalContainer(ctx, l, 9);
    await settlesWithin(exited, 30_000);
  }
  ctx.emit('stop', id);
}

/** Sends a signal; a paused container is thawed so the signal can be delivered (Docker does the same). */
export async function signalContainer(ctx: ManagerContext, l: Live, sig: number): Promise<void> {
  const id = l.rec.info.id;
  try {
    await ctx.rt(l).kill(id, sig);
  } catch (err) {
    // The process may have exited before its exit file was handled: then there is nothing to signal.
    const st = await ctx.rt(l).state(id).catch(() => null);
    if (isUp(l) && st && st.status !== 'stopped') throw err;
    return;
  }
  ctx.emit('kill', id, { signal: String(sig) });
  if (l.rec.info.state.status === 'paused' && (sig === 9 || sig === 15 || sig === parseSignal(l.rec.info.config.stopSignal, 'SIGTERM'))) {
    await ctx.rt(l).resume(id).catch(() => undefined);
    if (l.rec.info.state.status === 'paused') setState(l, { status: 'running' });
  }
}

export async function killContainer(ctx: ManagerContext, ref: string, signal?: string): Promise<void> {
  ctx.assertOpen();
  const l = ctx.get(ref);
  const sig = parseSignal(signal, 'SIGKILL');
  // The process may already run (and be seen running) while `runtime start` returns: a kill
  // sent then is meant for it, so it waits for the start instead of failing.
  if (l.startPromise) await l.startPromise.catch(() => undefined);
  if (!isUp(l)) throw failedPrecondition(`container "${l.rec.info.name}" is not running`);
  // Docker: an explicit kill counts as a manual stop for restart policies.
  l.rec.manuallyStopped = true;
  ctx.persist(l);
  await signalContainer(ctx, l, sig);
}
