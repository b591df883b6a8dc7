/**
 * Test fixtures for the container manager: the busybox test image as an ImageService, a plain-copy
 * Snapshotter, and a manager opened on scratch dirs. Used until/unless a test needs the real image
 * store; everything that runs containers is real (conmon, crun/runc, cgroups).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { busyboxImage, busyboxRootfs, scratchDir, testRoot } from '../../helpers/test-image.js';
import { BerthError } from '../../../src/base/errors.js';
import type { ImageConfig, ImageRecord, ImageService, RootfsSnapshot, Snapshotter } from '../../../src/engine/images/types.js';
import { openContainerManager } from '../../../src/engine/containers/index.js';
import type { ContainerManager } from '../../../src/engine/containers/index.js';

let cachedConfig: ImageConfig | undefined;

export function busyboxConfig(): ImageConfig {
  if (cachedConfig) return cachedConfig;
  const { dockerArchive } = busyboxImage();
  const tmp = fs.mkdtempSync(path.join(testRoot(), 'cfg-'));
  execFileSync('tar', ['-xf', dockerArchive, '-C', tmp]);
  const manifest = JSON.parse(fs.readFileSync(path.join(tmp, 'manifest.json'), 'utf8')) as Array<{ Config: string }>;
  cachedConfig = JSON.parse(fs.readFileSync(path.join(tmp, manifest[0]!.Config), 'utf8')) as ImageConfig;
  fs.rmSync(tmp, { recursive: true, force: true });
  return cachedConfig;
}

export function busyboxImages(): ImageService {
  const config = busyboxConfig();
  const rec: ImageRecord = { id: 'sha256:' + 'b'.repeat(64), repoTags: ['busybox:latest'], repoDigests: [], config, chainIds: config.rootfs.diff_ids, size: 0, created: config.created ?? '' };
  return {
    resolve(ref: string) {
      if (ref === 'busybox' || ref === 'busybox:latest' || ref === rec.id) return rec;
      throw new BerthError('NotFound', `image "${ref}" not found`);
    },
    list: () => [rec],
  };
}

/** Copies an unpacked busybox tree per container: a real rootfs, without the image store. */
export class CopySnapshotter implements Snapshotter {
  private readonly base: string;
  constructor(private readonly dir: string) {
    this.base = path.join(dir, '.base');
    if (!fs.existsSync(this.base)) busyboxRootfs(this.base);
  }
  private p(key: string) {
    return path.join(this.dir, key);
  }
  async prepare(key: string): Promise<RootfsSnapshot> {
    execFileSync('cp', ['-a', this.base, this.p(key)]);
    return { key, path: this.p(key), kind: 'copy' };
  }
  async mount(key: string): Promise<RootfsSnapshot> {
    if (!fs.existsSync(this.p(key))) throw new BerthError('NotFound', `snapshot "${key}" not found`);
    return { key, path: this.p(key), kind: 'copy' };
  }
  async unmount(): Promise<void> {}
  async remove(key: string): Promise<void> {
    fs.rmSync(this.p(key), { recursive: true, force: true });
  }
}

export interface TestEnv { root: string; runRoot: string; snapDir: string }

export function newEnv(label: string): TestEnv {
  const base = scratchDir(label);
  const env = { root: path.join(base, 'c'), runRoot: path.join(base, 'r'), snapDir: path.join(base, 's') };
  for (const d of Object.values(env)) fs.mkdirSync(d, { recursive: true });
  return env;
}

export function openManager(env: TestEnv, runtime: 'crun' | 'runc' = 'crun', log?: (m: string) => void): Promise<ContainerManager> {
  return openContainerManager({
    root: env.root, runRoot: env.runRoot, images: busyboxImages(), snapshots: new CopySnapshotter(env.snapDir), runtime,
    logger: log ?? ((m) => { if (process.env.BERTH_TEST_VERBOSE) console.error(m); }),
  });
}

/** Collects an attach/exec session's output as text per stream. */
export async function collect(output: NodeJS.ReadableStream): Promise<{ stdout: string; stderr: string }> {
  const out = { stdout: '', stderr: '' };
  for await (const chunk of output as AsyncIterable<{ stream: 'stdout' | 'stderr'; data: Buffer }>) out[chunk.stream] += chunk.data.toString();
  return out;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Polls until fn returns a truthy value, failing after timeoutMs. */
export async function until<T>(what: string, fn: () => T | Promise<T>, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}
