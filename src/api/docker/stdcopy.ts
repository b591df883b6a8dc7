/**
 * Docker's stdcopy framing for non-TTY streams (attach, logs, exec): an 8-byte header
 * [stream, 0, 0, 0, length u32 BE] then the payload; stream 0 = stdin, 1 = stdout, 2 = stderr.
 */
export const StdStream = { stdin: 0, stdout: 1, stderr: 2 } as const;

export function frame(stream: 'stdout' | 'stderr' | 'stdin', data: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header[0] = StdStream[stream];
  header.writeUInt32BE(data.length, 4);
  return Buffer.concat([header, data]);
}

/** Incremental decoder: feed it chunks, get whole frames back in order. */
export class FrameDecoder {
  private pending: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Array<{ stream: number; data: Buffer }> {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    const frames: Array<{ stream: number; data: Buffer }> = [];
    while (this.pending.length >= 8) {
      const len = this.pending.readUInt32BE(4);
      if (this.pending.length < 8 + len) break;
      frames.push({ stream: this.pending[0]!, data: this.pending.subarray(8, 8 + len) });
      this.pending = this.pending.subarray(8 + len);
    }
    return frames;
  }

  /** Bytes of an incomplete frame left over (non-zero at end of stream means truncation). */
  get leftover(): number {
    return this.pending.length;
  }
}
