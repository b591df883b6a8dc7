/**
 * `logs` over conmon's k8s-file log: filters (streams, since/until in Unix seconds, tail) on what is
 * already written, then, with follow, new entries until the container stops.
 */
import { K8sLogParser, followK8sLog, readK8sLog, readK8sLogWith } from '../runtime/index.js';
import type { K8sLogEntry } from '../runtime/index.js';
import type { LogEntry, LogOptions } from './types.js';

/** conmon writes "+00:00"; Docker clients expect RFC 3339 with "Z" for UTC. */
function dockerTime(t: string): string {
  return t.endsWith('+00:00') ? t.slice(0, -6) + 'Z' : t;
}

function keep(e: K8sLogEntry, opts: LogOptions): boolean {
  const wantOut = opts.stdout ?? true;
  const wantErr = opts.stderr ?? true;
  if (e.stream === 'stdout' && !wantOut) return false;
  if (e.stream === 'stderr' && !wantErr) return false;
  if (opts.since !== undefined && opts.since > 0 && e.timeMs < opts.since * 1000) return false;
  if (opts.until !== undefined && opts.until > 0 && e.timeMs > opts.until * 1000) return false;
  return true;
}

const toEntry = (e: K8sLogEntry): LogEntry => ({ stream: e.stream, time: dockerTime(e.time), data: e.data });

export async function* containerLogs(logPath: string, opts: LogOptions, stopped: () => boolean): AsyncGenerator<LogEntry> {
  // Decide whether to follow before reading, so an exit between the two cannot lose entries.
  const follow = !!opts.follow && !stopped();
  // When following, one parser spans the read and the follow, so a line still being written is
  // returned once, complete.
  const parser = new K8sLogParser();
  const { entries, offset } = follow ? readK8sLogWith(parser, logPath) : readK8sLog(logPath);
  let selected = entries.filter((e) => keep(e, opts));
  if (opts.tail !== undefined && opts.tail >= 0) selected = opts.tail === 0 ? [] : selected.slice(-opts.tail);
  for (const e of selected) yield toEntry(e);
  if (!follow) return;
  for await (const e of followK8sLog(logPath, offset, stopped, parser)) {
    if (opts.until !== undefined && opts.until > 0 && e.timeMs > opts.until * 1000) return;
    if (keep(e, opts)) yield toEntry(e);
  }
}
