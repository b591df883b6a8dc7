/**
 * Pumps an attach/exec session over a byte stream: output stdcopy-framed (or raw with a TTY),
 * client bytes fed to the process's stdin, the client's half-close passed on as stdin EOF, and the
 * stream closed when the process's output ends. Closing either side tidies up the other.
 */
import type { Duplex, Writable } from 'node:stream';
import { frame } from '../../api/docker/stdcopy.js';
import type { AttachSession } from '../../engine/containers/types.js';
import type { Logger } from './logger.js';

export const RAW_STREAM = 'application/vnd.docker.raw-stream';
export const MULTIPLEXED_STREAM = 'application/vnd.docker.multiplexed-stream';

export function hijackResponse(tty: boolean): string {
  return `HTTP/1.1 101 UPGRADED\r\nContent-Type: ${tty ? RAW_STREAM : MULTIPLEXED_STREAM}\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n`;
}

/** Resolves when the session's output has ended (or the client went away). */
export function pumpSession(session: AttachSession, out: Writable, input: Duplex | null, log: Logger): Promise<void> {
  return new Promise((resolve) => {
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      session.close();
      resolve();
    };
    session.output.on('data', (chunk: { stream: 'stdout' | 'stderr'; data: Buffer }) => {
      if (out.destroyed || out.writableEnded) return;
      const ok = out.write(session.tty ? chunk.data : frame(chunk.stream, chunk.data));
      // Backpressure: a slow client pauses the process's output instead of buffering without bound.
      if (!ok) {
        session.output.pause();
        out.once('drain', () => session.output.resume());
      }
    });
    session.output.once('end', () => {
      if (!out.destroyed && !out.writableEnded) out.end();
      finish();
    });
    session.output.once('error', (err) => {
      log.warn('attach stream failed', { error: String(err) });
      out.destroy();
      finish();
    });
    out.once('close', finish);
    out.on('error', () => finish());
    if (input) {
      const stdin = session.stdin;
      if (stdin) {
        stdin.on('error', () => {}); // the process may exit while the client still types
        input.on('data', (d: Buffer) => {
          if (!stdin.destroyed && !stdin.writableEnded) stdin.write(d);
        });
        input.once('end', () => {
          if (!stdin.destroyed && !stdin.writableEnded) stdin.end();
        });
      } else {
        input.resume(); // discard: the client half-closes its side when it has no stdin
      }
    }
  });
}
