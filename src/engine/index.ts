/**
 * The engine's composition root: one content/image store, one snapshotter and one container
 * manager over a data dir (persistent state) and a run dir (runtime state that a reboot clears).
 * Layout: <dataDir>/images, <dataDir>/snapshots, <dataDir>/containers; <runDir>/containers.
 * Opening an engine recovers containers left by an earlier daemon (they keep running under conmon).
 */
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { openContainerManager } from './containers/index.js';
import type { ContainerManager } from './containers/types.js';
import { ImageStore } from './images/index.js';
import { openSnapshotter } from './snapshots/index.js';
import { openNetworking, type NetworkService } from './network/index.js';
import { openVolumes, type VolumeService } from './volumes/index.js';

export type { ContainerManager, ContainerInfo } from './containers/types.js';
export type { NetworkService, NetworkInfo, EndpointInfo, ContainerNetworkSettings, PortMapping } from './network/index.js';
export { ImageStore } from './images/index.js';
export type { VolumeService, Volume, MountPoint } from './volumes/index.js';

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
  /** The default network's Linux bridge; default: berth0 for /var/lib/berth, else one derived from the data dir. */
  bridgeName?: string;
  /** The default network's subnet; default: the first free /24 of berth's pool (10.210.0.0/16). */
  bridgeSubnet?: string;
  logger?: EngineLogger;
}

/** Daemons on different data dirs get different bridges without being told. */
export function defaultBridgeName(dataDir: string): string {
  if (path.resolve(dataDir) === '/var/lib/berth') return 'berth0';
  return `berth${crypto.createHash('sha256').update(path.resolve(dataDir)).digest('hex').slice(0, 8)}`;
}

export interface Engine {
  readonly images: ImageStore;
  readonly containers: ContainerManager;
  readonly networks: NetworkService;
  /** Local volumes under <dataDir>/volumes. */
  readonly volumes: VolumeService;
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
  const networks = await openNetworking({
    dataDir: opts.dataDir,
    runDir: opts.runDir,
    bridgeName: opts.bridgeName ?? defaultBridgeName(opts.dataDir),
    ...(opts.bridgeSubnet ? { bridgeSubnet: opts.bridgeSubnet } : {}),
    log: (msg: string) => opts.logger?.info(msg, { component: 'network' }),
  });
  const volumes = openVolumes({ root: path.join(opts.dataDir, 'volumes'), log: (msg: string) => opts.logger?.info(msg, { component: 'volumes' }) });
  const containers = await openContainerManager({
    root: dirs.containers,
    runRoot: dirs.run,
    images,
    snapshots,
    runtime: opts.runtime,
    network: networks,
    volumes,
    ...(opts.logger ? { logger: (msg: string) => opts.logger!.info(msg, { component: 'containers' }) } : {}),
  });
  // Messages about a volume in use name its containers.
  volumes.containerName = (id) => containers.list({ all: true }).find((c) => c.id === id)?.name;
  // The embedded DNS answers to a container's current name.
  containers.events.on('event', (e: { action: string; id: string }) => {
    if (e.action !== 'rename') return;
    const name = containers.list({ all: true }).find((c) => c.id === e.id)?.name;
    if (name) void networks.renameContainer(e.id, name).catch((err: unknown) => opts.logger?.warn(`network: rename of ${e.id.slice(0, 12)}: ${String(err)}`));
  });
  await containers.recover();
  return {
    images,
    containers,
    networks,
    volumes,
    close: async () => {
      await containers.close();
      await networks.close();
    },
  };
}
