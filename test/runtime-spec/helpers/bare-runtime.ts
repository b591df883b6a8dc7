/**
 * Runs containers from berth's generated spec with a bare OCI runtime (crun or runc, no conmon):
 * a bundle per container in a scratch dir, the runtime's state under the scratch dir (`--root`),
 * and cgroups under a per-process parent that cleanupCgroups() removes afterwards.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { busyboxRootfs, repoRoot, scratchDir } from '../../helpers/test-image.js';
import { buildSpec, processToJson, specToJson, type SpecInput } from '../../../src/engine/runtime/spec/index.js';
import type { CreateContainerOptions } from '../../../src/engine/containers/types.js';
import type { ImageConfig } from '../../../src/engine/images/types.js';
import type { OciProcess, OciSpec } from '../../../src/api/oci/runtime-spec.js';

export type RuntimeName = 'crun' | 'runc';
export interface RunResult { code: number | null; stdout: string; stderr: string; spec: OciSpec; warnings: string[] }

/** The busybox test image's config (scripts/make-test-image.mjs): Cmd ["sh"], PATH, WorkingDir "/". */
export const busyboxConfig: ImageConfig = {
  architecture: process.arch === 'arm64' ? 'arm64' : 'amd64',
  os: 'linux',
  config: { Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'], Cmd: ['sh'], WorkingDir: '/' },
  rootfs: { type: 'layers', diff_ids: [] },
};

export const cgroupParent = `/berth-spec-test-${process.pid}`;

export class BareRuntime {
  readonly dir: string;
  readonly rootfs: string;
  readonly state: string;
  readonly files: SpecInput['files'];

  constructor(readonly runtime: RuntimeName) {
    execFileSync('bash', [path.join(repoRoot, 'scripts/host-fixes.sh')], { stdio: 'inherit' });
    this.dir = scratchDir(`spec-${runtime}`);
    // Traversable by others (search bit only), so a user-namespaced container root (host uid 100000)
    // can reach its rootfs and bind-mount sources; the test root lives under /tmp (scripts/test.sh).
    fs.chmodSync(this.dir, 0o711);
    for (let d = path.dirname(this.dir); d.startsWith('/tmp/'); d = path.dirname(d)) fs.chmodSync(d, fs.statSync(d).mode | 0o001);
    this.rootfs = busyboxRootfs(path.join(this.dir, 'rootfs'));
    this.state = path.join(this.dir, `${runtime}-state`);
    fs.mkdirSync(this.state);
    const etc = path.join(this.dir, 'etc');
    fs.mkdirSync(etc);
    this.files = { hosts: path.join(etc, 'hosts'), hostname: path.join(etc, 'hostname'), resolvConf: path.join(etc, 'resolv.conf') };
    fs.writeFileSync(this.files.hosts, '127.0.0.1\tlocalhost\n');
    fs.writeFileSync(this.files.hostname, 'spec-test\n');
    fs.writeFileSync(this.files.resolvConf, 'nameserver 127.0.0.1\n');
    for (const f of Object.values(this.files)) fs.chmodSync(f, 0o644);
  }

  /** Writes the bundle for a new container; returns its id, bundle dir and spec. */
  bundle(options: Partial<CreateContainerOptions>, extra: Partial<SpecInput> = {}): { id: string; bundle: string; cgroupsPath: string; spec: OciSpec; warnings: string[] } {
    const id = randomBytes(32).toString('hex');
    const cgroupsPath = `${cgroupParent}/${id}`;
    const { spec, warnings } = buildSpec({ id, options: { image: 'busybox', ...options }, image: busyboxConfig, rootfs: this.rootfs, files: this.files, cgroupsPath, ...extra });
    const bundle = path.join(this.dir, 'bundles', id.slice(0, 12));
    fs.mkdirSync(bundle, { recursive: true });
    fs.writeFileSync(path.join(bundle, 'config.json'), specToJson(spec, 2));
    return { id, bundle, cgroupsPath, spec, warnings };
  }

  private args(...rest: string[]): string[] {
    return ['--root', this.state, ...rest];
  }

  /** `<runtime> run` in the foreground; resolves with the exit code and output. */
  async run(options: Partial<CreateContainerOptions>, extra: Partial<SpecInput> = {}, timeoutMs = 20000): Promise<RunResult> {
    const b = this.bundle(options, extra);
    const child = spawn(this.runtime, this.args('run', '--bundle', b.bundle, b.id), { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => this.kill(b.id), timeoutMs);
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    clearTimeout(timer);
    this.delete(b.id);
    return { code, stdout, stderr, spec: b.spec, warnings: b.warnings };
  }

  /** `<runtime> create` + `start` (detached, output to a log file): for looking at a live or exited container. */
  start(options: Partial<CreateContainerOptions>, extra: Partial<SpecInput> = {}): { id: string; cgroupsPath: string; log: string; spec: OciSpec } {
    const b = this.bundle(options, extra);
    const log = path.join(b.bundle, 'output.log');
    const fd = fs.openSync(log, 'w');
    try {
      execFileSync(this.runtime, this.args('create', '--bundle', b.bundle, b.id), { stdio: ['ignore', fd, fd] });
    } finally {
      fs.closeSync(fd);
    }
    execFileSync(this.runtime, this.args('start', b.id));
    return { id: b.id, cgroupsPath: b.cgroupsPath, log, spec: b.spec };
  }

  /** `<runtime> exec --process <file>` with a process JSON (what conmon's --exec-process-spec gets). */
  exec(id: string, proc: OciProcess): { code: number; stdout: string; stderr: string } {
    const file = path.join(this.dir, `exec-${randomBytes(4).toString('hex')}.json`);
    fs.writeFileSync(file, processToJson(proc));
    const r = spawnSync(this.runtime, this.args('exec', '--process', file, id), { encoding: 'utf8', timeout: 20000 });
    return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
  }

  status(id: string): string {
    return (JSON.parse(execFileSync(this.runtime, this.args('state', id), { encoding: 'utf8' })) as { status: string }).status;
  }

  async waitStopped(id: string, timeoutMs = 20000): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (this.status(id) !== 'stopped') {
      if (Date.now() > end) throw new Error(`container ${id} still running after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  kill(id: string): void {
    try {
      execFileSync(this.runtime, this.args('kill', id, 'KILL'), { stdio: 'ignore' });
    } catch {
      // already gone
    }
  }

  delete(id: string): void {
    try {
      execFileSync(this.runtime, this.args('delete', '--force', id), { stdio: 'ignore' });
    } catch {
      // already gone
    }
  }
}

/** Removes the test's cgroup parent from every hierarchy (cgroup dirs go with rmdir, children first). */
export function cleanupCgroups(): void {
  const rmTree = (dir: string): void => {
    if (!fs.existsSync(dir)) return;
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) if (e.isDirectory()) rmTree(path.join(dir, e.name));
    try {
      fs.rmdirSync(dir);
    } catch {
      // still busy: a runtime bug would show here as a leftover, not as a test crash
    }
  };
  for (const h of fs.readdirSync('/sys/fs/cgroup')) rmTree(path.join('/sys/fs/cgroup', h, cgroupParent));
  rmTree(path.join('/sys/fs/cgroup', cgroupParent));
}
