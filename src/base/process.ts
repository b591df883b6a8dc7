/**
 * Child processes for the daemon, started by the native addon's posix_spawn (native/spawn.c)
 * rather than child_process: libuv forks, and a fork's cost grows with the daemon's memory
 * (~3 ms on the event loop per child at 100 MB, several children per container start).
 *
 * `spawnProcess` gives the child fds 0..n-1, each 'ignore' (/dev/null) or 'pipe' (a socket pair,
 * as libuv makes for 'pipe'; the daemon's end is a net.Socket); `runProcess` is execFile's shape:
 * input in, stdout and stderr collected, a non-zero exit rejected.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import { native } from './native.js';

export type Stdio = 'ignore' | 'pipe';

export interface SpawnOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** One entry per child fd from 0 (default: stdin ignored, stdout and stderr piped); other fds are not inherited. */
  stdio?: Stdio[];
  /** New session and process group (child_process's `detached`). */
  detached?: boolean;
}

export interface ProcessExit {
  /** null when killed by a signal. */
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface SpawnedProcess {
  pid: number;
  /** The daemon's end of each 'pipe' fd, null for 'ignore'. */
  stdio: Array<net.Socket | null>;
  exited: Promise<ProcessExit>;
}

const signalNames = new Map<number, NodeJS.Signals>(Object.entries(os.constants.signals).map(([k, v]) => [v, k as NodeJS.Signals]));

function envList(env: NodeJS.ProcessEnv): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(env)) if (v !== undefined) out.push(`${k}=${v}`);
  return out;
}

/** Throws (code ENOENT, EACCES…) when the program cannot be run; the child's exit comes through `exited`. */
export function spawnProcess(file: string, args: string[], o: SpawnOptions = {}): SpawnedProcess {
  const stdio = o.stdio ?? ['ignore', 'pipe', 'pipe'];
  const theirs: number[] = [];
  const ours: Array<number | null> = [];
  const closeAll = (fds: Array<number | null>) => {
    for (const fd of fds) if (fd !== null && fd >= 0) fs.closeSync(fd);
  };
  let resolveExit!: (e: ProcessExit) => void;
  const exited = new Promise<ProcessExit>((resolve) => (resolveExit = resolve));
  let pid: number;
  try {
    for (const kind of stdio) {
      const [mine, child] = kind === 'pipe' ? native().socketpair() : [null, -1];
      ours.push(mine);
      theirs.push(child);
    }
    const argv0 = file.slice(file.lastIndexOf('/') + 1);
    pid = native().spawn(file, [argv0, ...args], envList(o.env ?? process.env), o.cwd ?? '', theirs, !!o.detached, (code: number) => {
      resolveExit(code >= 0 ? { code, signal: null } : { code: null, signal: signalNames.get(-code) ?? 'SIGKILL' });
    });
  } catch (err) {
    closeAll(ours);
    throw err;
  } finally {
    closeAll(theirs);
  }
  const streams = ours.map((fd) => (fd === null ? null : new net.Socket({ fd, readable: true, writable: true })));
  // A child may exit or close its end at any time: an EPIPE must never become an unhandled 'error'.
  for (const s of streams) s?.on('error', () => undefined);
  return { pid, stdio: streams, exited };
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Written to the child's stdin, which is then closed (no input: stdin is /dev/null). */
  input?: string;
  /** SIGKILL after this long. */
  timeoutMs?: number;
}

export interface RunResult extends ProcessExit {
  stdout: string;
  stderr: string;
}

/** Runs a program to its end and collects its output; resolves whatever the exit status. */
export function runProcessRaw(file: string, args: string[], o: RunOptions = {}): Promise<RunResult> {
  const child = spawnProcess(file, args, { env: o.env, cwd: o.cwd, stdio: [o.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
  const [stdin, stdout, stderr] = child.stdio as [net.Socket | null, net.Socket, net.Socket];
  const collect = (s: net.Socket) =>
    new Promise<string>((resolve) => {
      let out = '';
      s.setEncoding('utf8');
      s.on('data', (d: string) => (out += d));
      s.on('close', () => resolve(out));
    });
  if (stdin) stdin.end(o.input ?? '');
  const kill = () => {
    try {
      process.kill(child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  const timer = o.timeoutMs ? setTimeout(kill, o.timeoutMs) : undefined;
  return Promise.all([child.exited, collect(stdout), collect(stderr)]).then(([exit, out, err]) => {
    if (timer) clearTimeout(timer);
    stdin?.destroy();
    return { ...exit, stdout: out, stderr: err };
  });
}

/** execFile's contract: resolves with stdout on exit 0; otherwise rejects with stderr (or the exit status) as the message. */
export async function runProcess(file: string, args: string[], o: RunOptions = {}): Promise<string> {
  const r = await runProcessRaw(file, args, o);
  if (r.code === 0) return r.stdout;
  const status = r.code !== null ? `exit code ${r.code}` : `killed by ${r.signal}`;
  const err = new Error(r.stderr.trim() || status) as Error & { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string };
  Object.assign(err, { code: r.code, signal: r.signal, stdout: r.stdout, stderr: r.stderr });
  throw err;
}
