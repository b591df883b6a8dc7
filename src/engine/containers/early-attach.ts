/**
 * An attach to a container whose runtime container is still being created (conmon + `runtime
 * create` take tens of ms). The session is handed out at once, so the client gets its 101 and sends
 * start without waiting; the connection to conmon's attach socket is made as soon as the runtime
 * container exists, and start waits for it (see Live.attaching), so no output is lost. Input
 * written meanwhile is buffered; if the runtime container cannot be created the output just ends
 * and the start reports the error, as Docker does.
 */
import { PassThrough } from 'node:stream';
import type { AttachConnection } from '../runtime/index.js';
import type { AttachSession } from './types.js';

export interface EarlyAttach {
  session: AttachSession;
  /** Settles once the session is connected to conmon (or has given up). Never rejects. */
  connected: Promise<void>;
}

export function earlyAttach(o: {
  tty: boolean;
  withStdin: boolean;
  /** Resolves with the conmon connection once the runtime container exists. */
  connect: Promise<AttachConnection>;
  resize: (rows: number, cols: number) => Promise<void>;
}): EarlyAttach {
  const output = new PassThrough({ objectMode: true });
  const stdin = o.withStdin ? new PassThrough() : null;
  let conn: AttachConnection | null = null;
  let closed = false;
  const connected = o.connect.then(
    (c) => {
      if (closed) return c.close();
      conn = c;
      c.output.pipe(output);
      if (stdin) stdin.pipe(c.stdin);
      else c.stdin.destroy();
    },
    () => {
      output.end();
      stdin?.destroy();
    },
  );
  return {
    connected,
    session: {
      tty: o.tty,
      output,
      stdin,
      // A resize before the terminal exists is applied once it does.
      resize: async (rows, cols) => {
        await connected;
        await o.resize(rows, cols);
      },
      close() {
        closed = true;
        conn?.close();
        if (!output.writableEnded) output.end();
        stdin?.destroy();
      },
    },
  };
}
