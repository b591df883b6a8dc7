/**
 * What happens when a container's exit file appears: the exit is recorded exactly once (the OOM
 * verdict read from the cgroup BEFORE the runtime container and its cgroup are deleted), waiters
 * and stop/remove are answered, then the restart policy, auto-removal or the "exited" record.
 * Runs in the background: failures are logged, never thrown.
 */
import fs from 'node:fs';
import path from 'node:path';
import { networkDown } from './container-network.js';
import type { ManagerContext } from './context.js';
import { nowIso, setState } from './live.js';
import type { Live } from './live.js';
import { shouldRestart } from './restart-policy.js';
import { beginRuntimeDelete } from './runtime-container.js';

export function onExit(ctx: ManagerContext, id: string, code: number): void {
  const l = ctx.live.get(id);
  if (!l || ctx.closed) return;
  if (l.starting) {
    l.pendingExit = code;
    return;
  }
  handleExit(ctx, l, code).catch((err: unknown) => ctx.log(`container ${id.slice(0, 12)}: exit handling failed: ${String(err)}`));
}

export async function handleExit(ctx: ManagerContext, l: Live, code: number): Promise<void> {
  const id = l.rec.info.id;
  l.runtimeCreated = false;
  let oom = false;
  try {
    oom = (await ctx.o.kit.oomKilled(l.rec.cgroupsPath)) || fs.existsSync(path.join(ctx.runDir(id), 'oom'));
  } catch (err) {
    ctx.log(`container ${id.slice(0, 12)}: oom check failed: ${String(err)}`);
  }
  beginRuntimeDelete(ctx, l);
  if (ctx.closed) return;
  networkDown(ctx, id);
  const startedMs = Date.parse(l.rec.info.state.startedAt);
  const upMs = Number.isFinite(startedMs) ? Date.now() - startedMs : 0;
  const wasStarted = l.rec.info.state.status !== 'created';
  setState(l, { status: 'exited', pid: 0, exitCode: code, oomKilled: oom, finishedAt: nowIso() });
  ctx.execs.containerStopped(id);
  if (oom) ctx.emit('oom', id);
  ctx.emit('die', id, { exitCode: String(code) });
  for (const w of l.waiters.filter((x) => x.condition !== 'removed')) w.resolve({ exitCode: code });
  l.waiters = l.waiters.filter((x) => x.condition === 'removed');
  for (const f of l.exitListeners.splice(0)) f();
  if (l.removing) return;
  const policy = l.rec.info.options.restartPolicy ?? { name: 'no' };
  if (wasStarted && shouldRestart(policy, code, l.rec.info.restartCount, l.rec.manuallyStopped)) {
    setState(l, { status: 'restarting' });
    ctx.persist(l);
    const delay = l.backoff.next(upMs);
    l.restartTimer = setTimeout(() => {
      l.restartTimer = null;
      if (ctx.closed || l.removing || l.rec.info.state.status !== 'restarting') return;
      l.rec.info.restartCount++;
      ctx.lifecycle.startInternal(l).catch((err: unknown) => {
        ctx.log(`container ${id.slice(0, 12)}: restart failed: ${String(err)}`);
      });
    }, delay);
    return;
  }
  if (l.rec.info.options.autoRemove) {
    // No "exited" record first: the removal supersedes it at once, and a crash before the removal
    // is safe (recovery finds the exit file and runs this handler again, removal included).
    await ctx.lifecycle.removeInternal(l, true).catch((err: unknown) => ctx.log(`container ${id.slice(0, 12)}: auto-remove failed: ${String(err)}`));
    return;
  }
  ctx.persist(l);
}
