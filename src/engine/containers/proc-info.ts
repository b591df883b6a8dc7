/**
 * What `top` and `inspect` read from /proc about a container's processes: ps -ef's columns
 * (UID PID PPID C STIME TTY TIME CMD) and the namespace inodes of its init process.
 */
import fs from 'node:fs';
import os from 'node:os';

const CLK_TCK = 100; // USER_HZ on Linux; /proc times are in these ticks

function bootTimeMs(): number {
  const stat = fs.readFileSync('/proc/stat', 'utf8');
  const m = /^btime (\d+)/m.exec(stat);
  return m ? Number(m[1]) * 1000 : Date.now() - os.uptime() * 1000;
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

function formatCpuTime(ticks: number): string {
  const s = Math.floor(ticks / CLK_TCK);
  return `${pad2(Math.floor(s / 3600))}:${pad2(Math.floor((s % 3600) / 60))}:${pad2(s % 60)}`;
}

function ttyName(ttyNr: number): string {
  if (ttyNr === 0) return '?';
  const major = (ttyNr >> 8) & 0xfff;
  const minor = (ttyNr & 0xff) | ((ttyNr >> 12) & 0xfff00);
  if (major === 136) return `pts/${minor}`;
  if (major === 4) return `tty${minor}`;
  return '?';
}

/** One ps -ef row, or null if the process vanished while we read it. */
export function psRow(pid: number, now = Date.now(), boot = bootTimeMs()): string[] | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = stat.lastIndexOf(')');
    const comm = stat.slice(stat.indexOf('(') + 1, close);
    const f = stat.slice(close + 2).split(' '); // f[0] = state (field 3)
    const ppid = Number(f[1]);
    const ttyNr = Number(f[4]);
    const utime = Number(f[11]);
    const stime = Number(f[12]);
    const startTicks = Number(f[19]);
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const uid = /^Uid:\s+(\d+)/m.exec(status)?.[1] ?? '?';
    const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter((s) => s !== '').join(' ');
    const startMs = boot + (startTicks / CLK_TCK) * 1000;
    const elapsed = Math.max((now - startMs) / 1000, 0.001);
    const c = Math.floor(((utime + stime) / CLK_TCK / elapsed) * 100);
    const d = new Date(startMs);
    const stimeStr = now - startMs < 86_400_000 ? `${pad2(d.getHours())}:${pad2(d.getMinutes())}` : `${d.toLocaleString('en', { month: 'short' })}${pad2(d.getDate())}`;
    return [uid, String(pid), String(ppid), String(c), stimeStr, ttyName(ttyNr), formatCpuTime(utime + stime), cmdline || `[${comm}]`];
  } catch {
    return null;
  }
}

export const PS_TITLES = ['UID', 'PID', 'PPID', 'C', 'STIME', 'TTY', 'TIME', 'CMD'];

export function psTable(pids: number[]): { titles: string[]; processes: string[][] } {
  const now = Date.now();
  const boot = bootTimeMs();
  const processes = pids
    .slice()
    .sort((a, b) => a - b)
    .map((p) => psRow(p, now, boot))
    .filter((r): r is string[] => r !== null);
  return { titles: PS_TITLES, processes };
}

/** kind → "pid:[4026532…]" for each namespace of a live process; empty when it is gone. */
export function namespacesOf(pid: number): Record<string, string> {
  const out: Record<string, string> = {};
  if (pid <= 0) return out;
  let kinds: string[] = [];
  try {
    kinds = fs.readdirSync(`/proc/${pid}/ns`);
  } catch {
    return out;
  }
  for (const kind of kinds) {
    try {
      out[kind] = fs.readlinkSync(`/proc/${pid}/ns/${kind}`);
    } catch {
      /* the process exited meanwhile */
    }
  }
  return out;
}
