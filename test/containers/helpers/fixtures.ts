/**
 * Test fixtures for the container manager: a manager on scratch dirs over the real image store
 * (busybox test image loaded) and overlay snapshotter; everything is real (conmon, crun/runc,
 * overlayfs, cgroups).
 */
import fs from 'node:fs';
import path from 'node:path';
import { busyboxImage, scratchDir } from '../../helpers/test-image.js';
import { ImageStore } from '../../../src/engine/images/index.js';
import { openSnapshotter } from '../../../src/engine/snapshots/index.js';
import { openContainerManager } from '../../../src/engine/containers/index.js';
import type { ContainerManager } from '../../../src/engine/containers/index.js';

export interface TestEnv { root: string; runRoot: string; snapDir: string }

export function newEnv(label: string): TestEnv {
  const base = scratchDir(label);
  const env = { root: path.join(base, 'c'), runRoot: path.join(base, 'r'), snapDir: path.join(base, 's') };
  for (const d of Object.values(env)) fs.mkdirSync(d, { recursive: true });
  return env;
}

/**
 * A manager over the real image store and overlay snapshotter (under env.snapDir), with the busybox
 * test image loaded as busybox:latest. Opening again on the same env reuses what is there.
 */
export async function openManager(env: TestEnv, runtime: 'crun' | 'runc' = 'crun', log?: (m: string) => void): Promise<ContainerManager> {
  const snapshots = await openSnapshotter({ root: path.join(env.snapDir, 'snap'), driver: 'overlay' });
  const images = await ImageStore.open({ root: path.join(env.snapDir, 'images'), snapshotter: snapshots });
  if (!images.list().some((i) => i.repoTags.includes('busybox:latest'))) await images.load(fs.createReadStream(busyboxImage().dockerArchive));
  return openContainerManager({
    root: env.root, runRoot: env.runRoot, images, snapshots, runtime,
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
