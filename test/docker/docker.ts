/** The real docker CLI (/usr/local/bin/docker) pointed at a berth test daemon. */
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { NODE_ARGS, runBerth, type Daemon } from '../cli/harness.js';
import { scratchDir } from '../helpers/test-image.js';

export interface DockerResult { code: number; stdout: string; stderr: string }

export function dockerFor(d: Daemon) {
  return (args: string[], opts: { input?: string | Buffer; timeoutMs?: number; encoding?: 'buffer' } = {}): Promise<DockerResult> =>
    new Promise((resolve) => {
      const child = execFile('docker', args, { env: { ...process.env, DOCKER_HOST: d.host, DOCKER_CONFIG: `${d.dir}/docker-config` }, timeout: opts.timeoutMs ?? 60_000, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
      });
      if (opts.input !== undefined) child.stdin?.end(opts.input);
      else child.stdin?.end();
    });
}

/** A berth server with extra flags (e.g. `--snapshotter copy`), on its own scratch dirs, like startDaemon. */
export async function startDaemonWith(label: string, extra: string[]): Promise<Daemon> {
  const dir = scratchDir(label);
  const log = path.join(dir, 'server.log');
  const out = fs.openSync(log, 'a');
  const proc = spawn(process.execPath, [...NODE_ARGS, 'server', '--data-dir', path.join(dir, 'data'), '--socket', path.join(dir, 'b.sock'), '--run-dir', path.join(dir, 'run'),
    '--log-level', 'debug', '--api-port', '0', '--kubeconfig', path.join(dir, 'kubeconfig.yaml'), ...extra], { stdio: ['ignore', out, out] });
  fs.closeSync(out);
  const socket = path.join(dir, 'b.sock');
  const deadline = Date.now() + 30_000;
  while (!fs.existsSync(socket)) {
    if (proc.exitCode !== null) throw new Error(`berth server exited:\n${fs.readFileSync(log, 'utf8')}`);
    if (Date.now() > deadline) throw new Error(`berth server did not listen:\n${fs.readFileSync(log, 'utf8')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const host = `unix://${socket}`;
  const exited = () => (proc.exitCode !== null || proc.signalCode !== null ? Promise.resolve() : new Promise<void>((r) => proc.once('exit', () => r())));
  return {
    dir, socket, host, dataDir: path.join(dir, 'data'), runDir: path.join(dir, 'run'), proc,
    log: () => fs.readFileSync(log, 'utf8'),
    berth: (args, opts) => runBerth(host, args, opts),
    raw: () => Promise.reject(new Error('raw is not offered by startDaemonWith')),
    stop: async () => {
      proc.kill('SIGTERM');
      await exited();
    },
    crash: async () => {
      proc.kill('SIGKILL');
      await exited();
    },
  };
}
