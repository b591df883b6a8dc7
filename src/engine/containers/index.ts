/**
 * The containers subsystem's entry point: `openContainerManager` wires the manager to the runtime's
 * real spec builder and cgroup readers. Call `recover()` after opening to adopt containers left by
 * an earlier daemon.
 */
import { buildSpec, buildExecProcess, readStats, readPids, oomKilled, specToJson, processToJson, precompiledSeccomp } from '../runtime/index.js';
import type { RuntimeName } from '../runtime/index.js';
import type { ImageService, Snapshotter } from '../images/types.js';
import type { RuntimeKit } from './kit.js';
import { Manager } from './manager.js';
import type { ContainerNetworking } from './networking.js';
import type { ContainerManager } from './types.js';
import type { ContainerVolumes } from '../volumes/types.js';

export async function openContainerManager(opts: {
  root: string;
  runRoot: string;
  images: ImageService;
  snapshots: Snapshotter;
  runtime: RuntimeName;
  network?: ContainerNetworking;
  volumes?: ContainerVolumes;
  logger?: (msg: string) => void;
}): Promise<ContainerManager> {
  const kit = { buildSpec, buildExecProcess, readStats, readPids, oomKilled, specToJson, processToJson, precompiledSeccomp } as unknown as RuntimeKit;
  return new Manager({ ...opts, kit });
}

export type { ContainerManager } from './types.js';
export * from './types.js';
export type { ContainerNetworking, NetworkAttached, NetworkedContainer } from './networking.js';
export { containerFs, type ContainerFs } from './fs-view.js';
export { containerChanges, changesSize, treeSize, type Change, type ChangeKind } from './diff.js';
export { archivePath, extractArchive, statPath, type PathStat, type ExtractOptions } from './archive.js';
export { exportRootfs } from './export.js';
export { containerLayerTar } from './commit.js';
