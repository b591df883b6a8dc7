/**
 * Client side of attach/exec streams: demultiplexes stdcopy frames to stdout/stderr (or copies raw
 * TTY bytes), pipes local stdin with a half-close at EOF, and manages the local terminal (raw
 * mode, size, SIGWINCH) so it is always restored.
 */
import type net from 'node:net';
import { FrameDecoder } from '../api/docker/stdcopy.js';

/** Copies the container's output to our stdout/stderr; resolves when the daemon closes the stream. */
export function pumpOutput(socket: net.Socket, tty: boolean): Promise<void> {
  return new Promise((resolve) => {
    const decoder = new FrameDecoder();
    socket.on('data', (chunk: Buffer) => {
      if (tty) {
        process.stdout.write(chunk);
        return;
      }
      for (const f of decoder.push(chunk)) (f.stream === 2 ? process.stderr : process.stdout).write(f.data);
    });
    socket.once('end', () => resolve());
    socket.once('close', () => resolve());
    socket.once('error', () => resolve());
  });
}

/** Local stdin → the stream; at EOF the write side is half-closed so the process sees EOF. */
export function pumpInput(socket: net.Socket, interactive: boolean): () => void {
  if (!interactive) {
    socket.end();
    return () => {};
  }
  const onData = (d: Buffer) => {
    if (!socket.destroyed && socket.writable) socket.write(d);
  };
  const onEnd = () => {
    if (!socket.destroyed && socket.writable) socket.end();
  };
  process.stdin.on('data', onData);
  process.stdin.once('end', onEnd);
  process.stdin.resume();
  return () => {
    process.stdin.off('data', onData);
    process.stdin.off('end', onEnd);
    process.stdin.pause();
  };
}

/** Puts the local terminal in raw mode; returns the function that restores it (idempotent). */
export function rawTerminal(): () => void {
  const stdin = process.stdin;
  if (!stdin.isTTY) return () => {};
  stdin.setRawMode(true);
  let restored = false;
  const restore = () => {
    if (restored) return;
    restored = true;
    try {
      stdin.setRawMode(false);
    } catch {
      // the terminal may already be gone
    }
  };
  process.once('exit', restore);
  return restore;
}

export function terminalSize(): [number, number] | undefined {
  const out = process.stdout;
  if (!out.isTTY || !out.rows || !out.columns) return undefined;
  return [out.rows, out.columns];
}

/** Sends the terminal size now and on every SIGWINCH; returns the unsubscribe function. */
export function followResize(resize: (h: number, w: number) => Promise<void>): () => void {
  const send = () => {
    const size = terminalSize();
    if (size) resize(size[0], size[1]).catch(() => {});
  };
  send();
  process.on('SIGWINCH', send);
  return () => process.off('SIGWINCH', send);
}

/**
 * docker's mapping of a start failure to an exit code: 127 when the command does not exist,
 * 126 when it cannot be executed, 125 for anything else.
 */
export function startFailureExit(message: string): number {
  if (/executable file not found|no such file or directory|not found in \$PATH|command not found/i.test(message)) return 127;
  if (/permission denied|operation not permitted|is a directory|cannot execute|exec format error/i.test(message)) return 126;
  return 125;
}
