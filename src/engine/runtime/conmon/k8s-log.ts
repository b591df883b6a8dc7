/**
 * Reads conmon's k8s-file logs: one record per line, `<RFC3339Nano> <stdout|stderr> <F|P> <text>`.
 * P marks a partial line (conmon split a long line or saw no newline yet); the record ending in F
 * completes it. We join partials so every entry is one logical line ending in "\n" (as Docker's
 * json-file returns them), except a last partial that never got its F (the output had no newline).
 */
import fs from 'node:fs';
import { StringDecoder } from 'node:string_decoder';

export interface K8sLogEntry { stream: 'stdout' | 'stderr'; time: string; timeMs: number; data: Buffer }

export function parseK8sLine(line: string): { stream: 'stdout' | 'stderr'; time: string; partial: boolean; text: string } | null {
  const a = line.indexOf(' ');
  const b = a < 0 ? -1 : line.indexOf(' ', a + 1);
  const c = b < 0 ? -1 : line.indexOf(' ', b + 1);
  if (c < 0) {
    // "<time> <stream> <tag>" with empty text has no third space
    const parts = line.split(' ');
    if (parts.length !== 3) return null;
    const [time, stream, tag] = parts as [string, string, string];
    if ((stream !== 'stdout' && stream !== 'stderr') || (tag !== 'F' && tag !== 'P')) return null;
    return { time, stream, partial: tag === 'P', text: '' };
  }
  const time = line.slice(0, a);
  const stream = line.slice(a + 1, b);
  const tag = line.slice(b + 1, c);
  if ((stream !== 'stdout' && stream !== 'stderr') || (tag !== 'F' && tag !== 'P')) return null;
  return { time, stream, partial: tag === 'P', text: line.slice(c + 1) };
}

/** Turns conmon's "2024-01-02T03:04:05.123456789+00:00" into milliseconds since the epoch. */
export function k8sTimeMs(time: string): number {
  return Date.parse(time);
}

/** Incremental parser: feed bytes, get complete logical entries per stream. */
export class K8sLogParser {
  private rest = '';
  private partial: Record<'stdout' | 'stderr', { time: string; chunks: string[] } | null> = { stdout: null, stderr: null };

  feed(text: string): K8sLogEntry[] {
    this.rest += text;
    const out: K8sLogEntry[] = [];
    let nl: number;
    while ((nl = this.rest.indexOf('\n')) >= 0) {
      const line = this.rest.slice(0, nl);
      this.rest = this.rest.slice(nl + 1);
      const rec = parseK8sLine(line);
      if (!rec) continue;
      const p = this.partial[rec.stream];
      if (rec.partial) {
        if (p) p.chunks.push(rec.text);
        else this.partial[rec.stream] = { time: rec.time, chunks: [rec.text] };
        continue;
      }
      const time = p ? p.time : rec.time;
      const body = p ? p.chunks.join('') + rec.text : rec.text;
      this.partial[rec.stream] = null;
      out.push({ stream: rec.stream, time, timeMs: k8sTimeMs(time), data: Buffer.from(body + '\n', 'utf8') });
    }
    return out;
  }

  /** Partial lines still open (the process wrote no final newline): emitted as they are at the end. */
  flush(): K8sLogEntry[] {
    const out: K8sLogEntry[] = [];
    for (const stream of ['stdout', 'stderr'] as const) {
      const p = this.partial[stream];
      if (p) out.push({ stream, time: p.time, timeMs: k8sTimeMs(p.time), data: Buffer.from(p.chunks.join(''), 'utf8') });
      this.partial[stream] = null;
    }
    return out;
  }
}

/** All entries currently in the file (empty when it does not exist yet), with partial lines flushed. */
export function readK8sLog(file: string): { entries: K8sLogEntry[]; offset: number } {
  const parser = new K8sLogParser();
  const { entries, offset } = readK8sLogWith(parser, file);
  return { entries: [...entries, ...parser.flush()], offset };
}

/** Like readK8sLog, but leaves an unfinished partial line in `parser` for followK8sLog to complete. */
export function readK8sLogWith(parser: K8sLogParser, file: string): { entries: K8sLogEntry[]; offset: number } {
  let buf: Buffer;
  try {
    buf = fs.readFileSync(file);
  } catch {
    return { entries: [], offset: 0 };
  }
  // Only whole lines: a record conmon is still writing is read by the follower.
  const end = buf.lastIndexOf(0x0a) + 1;
  return { entries: parser.feed(buf.subarray(0, end).toString('utf8')), offset: end };
}

/**
 * Yields entries appended to the file after `offset` until `stopped()` is true and the file has
 * been read to its end once more (conmon drains and syncs the log before writing the exit file).
 */
export async function* followK8sLog(file: string, offset: number, stopped: () => boolean, parser = new K8sLogParser()): AsyncGenerator<K8sLogEntry> {
  const decoder = new StringDecoder('utf8'); // a read may end inside a multi-byte character
  let pos = offset;
  for (;;) {
    const done = stopped();
    let size = 0;
    try {
      size = fs.statSync(file).size;
    } catch {
      size = 0;
    }
    if (size < pos) pos = 0; // rotated or truncated
    if (size > pos) {
      const fd = fs.openSync(file, 'r');
      try {
        const buf = Buffer.alloc(size - pos);
        const n = fs.readSync(fd, buf, 0, buf.length, pos);
        pos += n;
        for (const e of parser.feed(decoder.write(buf.subarray(0, n)))) yield e;
      } finally {
        fs.closeSync(fd);
      }
      continue;
    }
    if (done) {
      for (const e of parser.feed(decoder.end() + '\n')) yield e;
      for (const e of parser.flush()) yield e;
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
