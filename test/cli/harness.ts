/**
 * Test harness for the CLI end-to-end tests: a real `berth server` on scratch dirs and socket (one
 * per test file), and the real berth CLI pointed at it with BERTH_HOST. Never touches
 * /var/lib/berth or /run/berth.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { repoRoot, scratchDir } from '../helpers/test-image.js';

export const MAIN = path.join(repoRoot, 'src/cmd/main.ts');
export const NODE_ARGS = ['--import', 'tsx', MAIN];

export interface RunResult { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }

export interface Daemon {
  dir: string;
  socket: string;
  host: string;
  dataDir: string;
  runDir: string;
  proc: ChildProcess;
  log(): string;
  /** Runs `berth <args>` against this daemon. */
  berth(args: string[], opts?: { input?: string | Buffer; timeoutMs?: number; env?: Record<string, string> }): Promise<RunResult>;
  /** Raw HTTP over the socket, for bad-input tests. */
  raw(request: string | Buffer): Promise<string>;
  /** SIGTERM and wait for exit. */
  stop(): Promise<void>;
  /** kill -9, like a crash. */
  crash(): Promise<void>;
}

function waitForSocket(socket: string, proc: ChildProcess, logFile: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const tryOnce = () => {
      if (proc.exitCode !== null) return reject(new Error(`berth server exited (${proc.exitCode}):\n${fs.readFileSync(logFile, 'utf8')}`));
      const s = net.connect(socket);
      s.once('connect', () => {
        s.destroy();
        resolve();
      });
      s.once('error', () => {
        if (Date.now() > deadline) return reject(new Error(`berth server did not listen on ${socket}:\n${fs.readFileSync(logFile, 'utf8')}`));
        setTimeout(tryOnce, 100);
      });
    };
    tryOnce();
  });
}

export function runBerth(host: string, args: string[], opts: { input?: string | Buffer; timeoutMs?: number; env?: Record<string, string> } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...NODE_ARGS, ...args], {
      env: { ...process.env, BERTH_HOST: host, ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`berth ${args.join(' ')} timed out\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, opts.timeoutMs ?? 60_000);
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
    child.stdin.on('error', () => {});
    if (opts.input !== undefined) child.stdin.end(opts.input);
    else child.stdin.end();
  });
}

function spawnServer(dir: string, logFile: string, extraArgs: string[]): ChildProcess {
  const out = fs.openSync(logFile, 'a');
  const proc = spawn(process.execPath, [...NODE_ARGS, 'server', '--data-dir', path.join(dir, 'data'), '--socket', path.join(dir, 'b.sock'), '--run-dir', path.join(dir, 'run'), '--log-level', 'debug',
    // The whole default composition, Kubernetes API included, on a free port with a private kubeconfig.
    '--api-port', '0', '--kubeconfig', path.join(dir, 'kubeconfig.yaml'), ...extraArgs], {
    stdio: ['ignore', out, out],
  });
  fs.closeSync(out);
  return proc;
}

/** A real `berth server` on its own scratch dirs; `extraArgs` are further server flags (e.g. `--snapshotter copy`). */
export async function startDaemon(label: string, dir = scratchDir(label), extraArgs: string[] = []): Promise<Daemon> {
  const socket = path.join(dir, 'b.sock');
  const logFile = path.join(dir, 'server.log');
  const proc = spawnServer(dir, logFile, extraArgs);
  await waitForSocket(socket, proc, logFile);
  const host = `unix://${socket}`;
  const exited = (p: ChildProcess) => (p.exitCode !== null || p.signalCode !== null ? Promise.resolve() : new Promise<void>((r) => p.once('exit', () => r())));
  return {
    dir,
    socket,
    host,
    dataDir: path.join(dir, 'data'),
    runDir: path.join(dir, 'run'),
    proc,
    log: () => fs.readFileSync(logFile, 'utf8'),
    berth: (args, opts) => runBerth(host, args, opts),
    raw: (request) =>
      new Promise((resolve, reject) => {
        const s = net.connect(socket);
        let data = '';
        s.on('data', (d) => (data += d));
        s.once('error', reject);
        s.once('close', () => resolve(data));
        s.end(request);
      }),
    stop: async () => {
      proc.kill('SIGTERM');
      await exited(proc);
    },
    crash: async () => {
      proc.kill('SIGKILL');
      await exited(proc);
    },
  };
}

/** Restarts a daemon on the same dirs (after crash() or stop()). */
export function restartDaemon(d: Daemon): Promise<Daemon> {
  return startDaemon('unused', d.dir);
}

/** Removes every container, then stops the daemon: tests leave nothing running. */
export async function teardown(d: Daemon | undefined): Promise<void> {
  if (!d) return;
  if (d.proc.exitCode === null && d.proc.signalCode === null) {
    const ids = (await d.berth(['ps', '-aq', '--no-trunc'])).stdout.split('\n').filter(Boolean);
    if (ids.length) await d.berth(['rm', '-f', ...ids]);
    await d.stop();
  }
}
