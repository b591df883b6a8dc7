/**
 * Connects to conmon's attach socket (SOCK_SEQPACKET, `<bundle>/attach` with --full-attach).
 * Node cannot speak SEQPACKET, so the native addon relays it to a stream socket with frames
 * [u8 stream][u32 BE length][payload]. conmon marks output packets with its stdpipe_t values:
 * 1 stdin (never sent to us), 2 stdout, 3 stderr. Bytes we write go to the process's stdin raw.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { native } from '../../../base/native.js';
import { BerthError } from '../../../base/errors.js';

export const ConmonPipe = { stdout: 2, stderr: 3 } as const;

export interface AttachConnection {
  output: PassThrough; // objectMode { stream, data }
  stdin: Writable;
  close(): void;
}

// O_PATH lets us name the directory through /proc/self/fd/N: the socket path stays short whatever
// the bundle's length (unix socket paths are limited to 108 bytes).
const O_PATH = 0o10000000;

export function connectAttach(bundle: string, want: { stdout: boolean; stderr: boolean }): AttachConnection {
  let fd: number;
  const dirFd = fs.openSync(bundle, O_PATH | fs.constants.O_DIRECTORY);
  try {
    fd = native().seqpacketBridge(path.join(`/proc/self/fd/${dirFd}`, 'attach'));
  } catch (err) {
    throw new BerthError('Unavailable', `cannot attach: ${(err as Error).message}`, { cause: err });
  } finally {
    fs.closeSync(dirFd);
  }
  const sock = new net.Socket({ fd, readable: true, writable: true });
  const output = new PassThrough({ objectMode: true });
  let pending: Buffer = Buffer.alloc(0);
  sock.on('data', (chunk: Buffer) => {
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    while (pending.length >= 5) {
      const len = pending.readUInt32BE(1);
      if (pending.length < 5 + len) break;
      const kind = pending[0];
      const data = Buffer.from(pending.subarray(5, 5 + len));
      pending = pending.subarray(5 + len);
      const stream = kind === ConmonPipe.stderr ? 'stderr' : 'stdout';
      if ((stream === 'stdout' && want.stdout) || (stream === 'stderr' && want.stderr)) output.write({ stream, data });
    }
  });
  const finish = () => {
    if (!output.writableEnded) output.end();
  };
  sock.on('end', finish);
  sock.on('close', finish);
  sock.on('error', finish);
  const stdin = new Writable({
    write(chunk: Buffer, _enc, cb) {
      if (sock.destroyed) return cb();
      sock.write(chunk, () => cb());
    },
    final(cb) {
      // Half-close: the relay turns it into shutdown(SHUT_WR) on the seqpacket side, and conmon
      // closes the process's stdin (unless --leave-stdin-open).
      if (!sock.destroyed) sock.end();
      cb();
    },
  });
  stdin.on('error', () => undefined);
  return {
    output,
    stdin,
    close() {
      sock.destroy();
      finish();
    },
  };
}

/** Resizes the process's terminal through conmon's ctl fifo: "<type> <rows> <cols>\n", type 1 = resize. */
export function resizeTerminal(bundle: string, rows: number, cols: number): void {
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0 || rows > 1000 || cols > 1000) {
    throw new BerthError('InvalidArgument', `invalid terminal size ${rows}x${cols}`);
  }
  let fd: number;
  try {
    fd = fs.openSync(path.join(bundle, 'ctl'), fs.constants.O_WRONLY | fs.constants.O_NONBLOCK);
  } catch (err) {
    throw new BerthError('FailedPrecondition', `cannot resize: no terminal control (${(err as Error).message})`);
  }
  try {
    fs.writeSync(fd, `1 ${rows} ${cols}\n`);
  } finally {
    fs.closeSync(fd);
  }
}
