/**
 * Adopting what an earlier daemon left: container records become live containers again (exits
 * that happened meanwhile recorded, running ones supervised again, half-done removals finished,
 * restart policies applied as Docker does at daemon start), and whatever belongs to no container
 * (unfinished create dirs, exit files, runtime state) is swept away.
 */
import fs from 'node:fs';
import path from 'node:path';
import { readExitFile } from '../runtime/index.js';
import { networkedContainer } from './container-network.js';
import type { ManagerContext } from './context.js';
import { handleExit } from './exit-handling.js';
import { isUp, newLive, safeReaddir, setState } from './live.js';
import type { Live } from './live.js';
import { removeInternal } from './removal.js';
import { startInternal } from './start.js';
import { loadRecords } from './store.js';

export async function recoverContainers(ctx: ManagerContext): Promise<void> {
  ctx.assertOpen();
  const records = loadRecords(ctx.o.root, (dir, err) => ctx.log(`skipping unreadable container record in ${dir}: ${String(err)}`));
  await removeLeftovers(ctx, new Set(records.map((r) => r.info.id)));
  for (const rec of records) {
    if (ctx.live.has(rec.info.id)) continue;
    const l = newLive(rec, false);
    ctx.live.set(rec.info.id, l);
    ctx.o.volumes?.adopt(rec.info.id, rec.info.mountPoints ?? []);
    try {
      await recoverOne(ctx, l);
    } catch (err) {
      ctx.log(`container ${rec.info.id.slice(0, 12)}: recovery failed: ${String(err)}`);
    }
  }
  await ctx.o.network
    ?.recover([...ctx.live.values()].map((l) => ({ c: networkedContainer(l.rec.info), running: isUp(l) || l.rec.info.state.status === 'created' })))
    .catch((err: unknown) => ctx.log(`network recovery failed: ${String(err)}`));
}

/**
 * A daemon that died inside create() leaves a container dir (and snapshot) without a record, and
 * removals leave exit files (and, after a crash, runtime state) behind: none of it belongs to any
 * container, so it all goes.
 */
async function removeLeftovers(ctx: ManagerContext, known: Set<string>): Promise<void> {
  for (const name of safeReaddir(ctx.o.root)) {
    if (!/^[0-9a-f]{64}$/.test(name) || known.has(name) || ctx.live.has(name)) continue;
    if (fs.existsSync(path.join(ctx.dir(name), 'config.v1.json'))) continue; // unreadable, not unfinished: keep for a human
    ctx.log(`removing unfinished container ${name.slice(0, 12)} left by an earlier daemon`);
    await ctx.o.snapshots.remove(name).catch((err: unknown) => ctx.log(`snapshot ${name.slice(0, 12)}: ${String(err)}`));
    fs.rmSync(ctx.dir(name), { recursive: true, force: true });
  }
  for (const name of safeReaddir(ctx.exitDir)) {
    if (!known.has(name) && !ctx.live.has(name)) fs.rmSync(path.join(ctx.exitDir, name), { force: true });
  }
  // A removal answers before its runtime delete has finished: a crash in between leaves the
  // runtime's state (and cgroup) of a container that no longer exists.
  for (const runtimeName of ['crun', 'runc'] as const) {
    const rt = ctx.runtime(runtimeName);
    for (const name of safeReaddir(rt.root)) {
      if (!/^[0-9a-f]{64}$/.test(name) || known.has(name) || ctx.live.has(name)) continue;
      await rt.delete(name, true).catch((err: unknown) => ctx.log(`runtime container ${name.slice(0, 12)}: ${String(err)}`));
    }
  }
}

async function recoverOne(ctx: ManagerContext, l: Live): Promise<void> {
  const id = l.rec.info.id;
  const s = l.rec.info.state.status;
  if (s === 'removing') {
    // The daemon died half-way through a removal: finish it.
    l.rec.info.state.status = 'dead';
    await removeInternal(ctx, l);
    return;
  }
  if (s === 'running' || s === 'paused' || s === 'created') {
    // Exited while no manager watched: record it now, so recover() returns with the truth.
    const code = readExitFile(ctx.exitDir, id);
    if (code !== null && (s !== 'created' || l.rec.hasBeenStarted)) {
      await handleExit(ctx, l, code);
      return;
    }
  }
  const st = await ctx.rt(l).state(id).catch(() => null);
  if (st && st.status !== 'stopped') {
    // Still alive under its conmon: resume supervision (the exit file may already be there).
    await ctx.o.snapshots.mount(id).catch((err: unknown) => ctx.log(`container ${id.slice(0, 12)}: remount: ${String(err)}`));
    if (st.status === 'paused') setState(l, { status: 'paused', pid: st.pid });
    else if (st.status === 'running') setState(l, { status: 'running', pid: st.pid });
    ctx.watchExit(id);
    return;
  }
  if (s === 'running' || s === 'paused' || (s === 'created' && st)) {
    ctx.watchExit(id);
    if (!st) {
      // Neither an exit file nor a runtime container (e.g. a reboot emptied the run dir).
      setTimeout(() => {
        const l2 = ctx.live.get(id);
        if (l2 && !ctx.closed && isUp(l2)) {
          ctx.exitWatcher.unwatch(id);
          l2.rec.info.state.error = 'container state was lost while the daemon was down';
          handleExit(ctx, l2, 255).catch((err: unknown) => ctx.log(String(err)));
        }
      }, 1000).unref();
    }
    return;
  }
  if (s === 'restarting') {
    setState(l, { status: 'exited' });
    ctx.persist(l);
  }
  // Docker restarts always / unless-stopped containers (not stopped by hand) when the daemon starts.
  const p = l.rec.info.options.restartPolicy?.name;
  if (l.rec.hasBeenStarted && !l.rec.manuallyStopped && (p === 'always' || p === 'unless-stopped') && l.rec.info.state.status === 'exited') {
    await startInternal(ctx, l).catch((err: unknown) => ctx.log(`container ${id.slice(0, 12)}: restart on recovery failed: ${String(err)}`));
  }
}
