/** The real docker CLI (/usr/local/bin/docker) pointed at a berth test daemon. */
import { execFile } from 'node:child_process';
import type { Daemon } from '../cli/harness.js';

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
