/**
 * Attaching to a container's stdio (conmon's attach socket) and resizing its terminal. A container
 * not yet up gets an early attach (early-attach.ts), connected once its runtime container exists.
 */
import { failedPrecondition } from '../../base/errors.js';
import { connectAttach, resizeTerminal } from '../runtime/index.js';
import type { ManagerContext } from './context.js';
import { earlyAttach } from './early-attach.js';
import { isUp } from './live.js';
import { ensureRuntimeContainer } from './runtime-container.js';
import type { AttachSession } from './types.js';

export async function attachContainer(ctx: ManagerContext, ref: string, opts: { stdin?: boolean; stdout?: boolean; stderr?: boolean }): Promise<AttachSession> {
  ctx.assertOpen();
  const l = ctx.get(ref);
  const s = l.rec.info.state.status;
  // An exited container may be attached to as well: `start -a` attaches first, then starts it.
  if (s !== 'running' && s !== 'paused' && s !== 'created' && s !== 'exited') throw failedPrecondition(`container "${l.rec.info.name}" is not running: cannot attach`);
  const bundle = ctx.bundle(l.rec.info.id);
  const want = { stdout: opts.stdout ?? true, stderr: opts.stderr ?? true };
  const withStdin = !!opts.stdin && !!l.rec.info.options.openStdin;
  if (s === 'created' || s === 'exited') {
    // Its failure is the start's to report (Docker reports it there), so it is dropped here.
    const ready = ensureRuntimeContainer(ctx, l);
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

export async function resizeContainer(ctx: ManagerContext, ref: string, rows: number, cols: number): Promise<void> {
  const l = ctx.get(ref);
  if (!l.rec.info.options.tty) throw failedPrecondition(`container "${l.rec.info.name}" has no terminal`);
  if (!isUp(l)) throw failedPrecondition(`container "${l.rec.info.name}" is not running`);
  resizeTerminal(ctx.bundle(l.rec.info.id), rows, cols);
}
