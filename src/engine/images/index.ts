/**
 * The image service: references, image metadata, docker-save / OCI archive load and save, tags,
 * removal and garbage collection. Depends on snapshots only through snapshots/index.ts.
 */
export { ImageStore } from './image-store.js';
export type { LoadProgress, RemoveResult } from './image-store.js';
export type { HistoryRow } from './history.js';
export {
  normalizeReference,
  familiarName,
  familiarRepository,
  parseReference,
  formatReference,
  repositoryName,
  looksLikeId,
  type ParsedReference,
} from './reference.js';
export { chainIds } from './chain-id.js';
export type { ImageConfig, ImageRecord, ImageService, RootfsSnapshot, Snapshotter } from './types.js';
