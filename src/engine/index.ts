/**
 * The engine's composition root: one content/image store, one snapshotter and one container
 * manager over a data dir (persistent state) and a run dir (runtime state that a reboot clears).
 * Layout: <dataDir>/images, <dataDir>/snapshots, <dataDir>/containers; <runDir>/containers.
 * Opening an engine recovers containers left by an earlier daemon (they keep running under conmon).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { openContainerManager } from './containers/index.js';
import type { ContainerManager } from './containers/types.js';
import { ImageStore } from './images/index.js';
import { openSnapshotter } from './snapshots/index.js';

export type { ContainerManager } from './containers/types.js';
export { ImageStore } from './images/index.js';

export interface EngineLogger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

export interface EngineOptions {
  dataDir: string;
  runDir: string;
  runtime: 'crun' | 'runc';
  snapshotter?: 'overlay' | 'copy' | 'auto';
  logger?: EngineLogger;
}

export interface Engine {
  readonly images: ImageStore;
  readonly containers: ContainerManager;
  /** Stops supervising; containers keep running (conmon owns them). */
  close(): Promise<void>;
}

export async function openEngine(opts: EngineOptions): Promise<Engine> {
  const dirs = {
    images: path.join(opts.dataDir, 'images'),
    snapshots: path.join(opts.dataDir, 'snapshots'),
    containers: path.join(opts.dataDir, 'containers'),
    run: path.join(opts.runDir, 'containers'),
  };
  for (const d of Object.values(dirs)) await fs.mkdir(d, { recursive: true, mode: 0o700 });
  const snapshots = await openSnapshotter({ root: dirs.snapshots, driver: opts.snapshotter ?? 'auto' });
  const images = await ImageStore.open({ root: dirs.images, snapshotter: snapshots });
  const containers = await openContainerManager({
    root: dirs.containers,
    runRoot: dirs.run,
    images,
    snapshots,
    runtime: opts.runtime,
    ...(opts.logger ? { logger: (msg: string) => opts.logger!.info(msg, { component: 'containers' }) } : {}),
  });
  await containers.recover();
  return {
    images,
    containers,
    close: () => containers.close(),
  };
}
