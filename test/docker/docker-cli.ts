/**
 * The real docker CLI (28.2, /usr/local/bin/docker) pointed at a berth daemon started by the CLI
 * harness (test/helpers/busybox-daemon.ts: one daemon per test file, busybox loaded).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { Daemon } from '../cli/harness.js';

/** A command's output as its non-empty lines. */
export const lines = (s: string): string[] => s.split('\n').filter(Boolean);

export interface DockerResult { code: number; stdout: string; stderr: string }

export function dockerEnv(d: Daemon): NodeJS.ProcessEnv {
  // A private DOCKER_CONFIG keeps the CLI off the machine's ~/.docker (contexts, credentials).
  return { ...process.env, DOCKER_HOST: d.host, DOCKER_CONFIG: `${d.dir}/docker-config`, DOCKER_CLI_HINTS: 'false' };
}

/** Runs `docker <args>`; resolves with its exit code (signals count as 128+n, like a shell). */
export function docker(d: Daemon, args: string[], opts: { input?: string | Buffer; timeoutMs?: number } = {}): Promise<DockerResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('docker', args, { env: dockerEnv(d), stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (b: string) => (stdout += b));
    child.stderr.setEncoding('utf8').on('data', (b: string) => (stderr += b));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`docker ${args.join(' ')} timed out\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, opts.timeoutMs ?? 60_000);
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? 128, stdout, stderr: signal ? `${stderr}[signal ${signal}]` : stderr });
    });
    child.stdin.on('error', () => {});
    child.stdin.end(opts.input ?? '');
  });
}

/** `docker` bound to one daemon: `const docker = dockerFor(d); await docker(['ps'])`. */
export function dockerFor(d: Daemon): (args: string[], opts?: { input?: string | Buffer; timeoutMs?: number }) => Promise<DockerResult> {
  return (args, opts) => docker(d, args, opts);
}

/** `docker <args>` that must succeed; returns stdout. */
export async function dockerOk(d: Daemon, args: string[], opts: { input?: string; timeoutMs?: number } = {}): Promise<string> {
  const r = await docker(d, args, opts);
  assert.equal(r.code, 0, `docker ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return r.stdout;
}

/** Polls until `check` resolves true (the daemon applies some things asynchronously, e.g. restarts). */
export async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`timed out waiting for ${what}`);
}
