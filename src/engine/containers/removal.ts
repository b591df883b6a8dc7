/**
 * Removing a container: it is killed if up, its runtime container deleted, its network released
 * and its record removed before the answer; its volumes are released and its files (snapshot,
 * directory, run dir, exit file) removed right after the answers to its waiters are on their way.
 */
import fs from 'node:fs';
import path from 'node:path';
import { asBerthError, failedPrecondition } from '../../base/errors.js';
import { removeExitFile } from '../runtime/index.js';
import type { ManagerContext } from './context.js';
import { isUp, setState, settlesWithin } from './live.js';
import type { Live } from './live.js';
import { runtimeDeleted } from './runtime-container.js';
import { signalContainer } from './stop.js';
import { RECORD_FILE } from './store.js';

export async function removeContainer(ctx: ManagerContext, ref: string, opts: { force?: boolean; volumes?: boolean }): Promise<void> {
  ctx.assertOpen();
  const l = ctx.get(ref);
  if (l.removing) throw failedPrecondition(`removal of container "${l.rec.info.name}" is already in progress`);
  const s = l.rec.info.state.status;
  if ((s === 'running' || s === 'paused' || s === 'restarting') && !opts.force) {
    throw failedPrecondition(`cannot remove container "/${l.rec.info.name}": container is ${s}: stop the container before removing or force remove`);
  }
  await removeInternal(ctx, l, false, !!opts.volumes);
}

/**
 * fromExit: called by exit handling, which may itself run inside the start it would wait for.
 * removeVolumes: the container's anonymous volumes go too (`rm -v`; `--rm` as in Docker).
 */
export async function removeInternal(ctx: ManagerContext, l: Live, fromExit = false, removeVolumes = !!l.rec.info.options.autoRemove): Promise<void> {
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
      const exited = ctx.nextExit(l);
      await signalContainer(ctx, l, 9).catch((err: unknown) => ctx.log(`remove ${id.slice(0, 12)}: kill: ${String(err)}`));
      await settlesWithin(exited, 15_000);
    }
    setState(l, { status: 'removing' });
    ctx.exitWatcher.unwatch(id);
    ctx.execs.containerStopped(id);
    l.runtimeCreated = false;
    // After an exit the exit handler has begun the runtime delete: an auto-removal lets it finish
    // beside the answers (removeFiles waits for it); any other removal waits here.
    if (!fromExit || !l.runtimeDeleting) await runtimeDeleted(ctx, l);
    // Address, veth, port rules and namespace go before the answer: a removed container leaves nothing behind.
    await ctx.o.network?.release(id);
    // The record goes first: from here on the container is gone, and a crash before its files
    // are removed leaves a record-less directory, which the next start removes with its snapshot.
    fs.rmSync(path.join(ctx.dir(id), RECORD_FILE), { force: true });
  } catch (err) {
    l.removing = false;
    setState(l, { status: 'dead', error: asBerthError(err).message });
    if (fs.existsSync(ctx.dir(id))) ctx.persist(l);
    throw asBerthError(err);
  }
  ctx.emit('destroy', id);
  ctx.live.delete(id);
  // Synchronous up to its first await: the volumes are free (and anonymous ones gone from lists) now.
  ctx.o.volumes?.release(id, { removeAnonymous: removeVolumes }).catch((err: unknown) => ctx.log(`container ${id.slice(0, 12)}: releasing its volumes: ${String(err)}`));
  for (const w of l.waiters.splice(0)) w.resolve({ exitCode: l.rec.info.state.exitCode ?? exitCode });
  for (const f of l.exitListeners.splice(0)) f();
  // The files go right after the answers to the waiters are on their way (setImmediate runs
  // before this daemon reads another request, so a following `rmi` sees the snapshot gone).
  setImmediate(() => void removeFiles(ctx, id, l));
}

async function removeFiles(ctx: ManagerContext, id: string, l: Live): Promise<void> {
  try {
    await runtimeDeleted(ctx, l);
    await ctx.o.snapshots.remove(id);
    fs.rmSync(ctx.dir(id), { recursive: true, force: true });
    fs.rmSync(ctx.runDir(id), { recursive: true, force: true });
    removeExitFile(ctx.exitDir, id);
  } catch (err) {
    ctx.log(`container ${id.slice(0, 12)}: removing its files failed (retried at the next start): ${String(err)}`);
  }
}
