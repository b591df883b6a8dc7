/**
 * The volumes subsystem's contract. Two faces:
 *  - VolumeService: what `berth volume …` and `/volumes/*` use (create, list, inspect, remove, prune);
 *  - ContainerVolumes: the hook the container manager calls at create (attach: resolve, create and
 *    populate the container's mounts), at removal (release) and at recovery (adopt).
 * A volume is "in use" while any container (in any state) has it among its mount points.
 */
import type { MountSpec } from '../../api/docker/volume-spec.js';

export type { MountSpec } from '../../api/docker/volume-spec.js';

/** Label Docker (23+) puts on anonymous volumes; `volume prune` without -a removes only these. */
export const ANONYMOUS_LABEL = 'com.docker.volume.anonymous';

export interface Volume {
  name: string;
  driver: 'local';
  mountpoint: string; // <data-dir>/volumes/<name>/_data
  created: string; // RFC 3339
  labels: Record<string, string>;
  options: Record<string, string>;
  anonymous: boolean;
}

/** One mount of a container, as recorded at create (inspect's Mounts, and the volume usage). */
export interface MountPoint {
  type: 'volume' | 'bind' | 'tmpfs';
  name?: string; // volume name
  source: string; // host path ('' for tmpfs)
  destination: string;
  driver?: string; // volumes: 'local'
  mode: string; // as given with -v ("ro", "z", …), '' otherwise
  rw: boolean;
  propagation: string; // binds: 'rprivate' unless asked; '' for volumes and tmpfs
  /** tmpfs mount data ("size=65536k", "mode=1777", "exec", …). */
  tmpfsOptions?: string[];
  /** Volumes: created for this container (image VOLUME or `-v /path`), removed with `rm -v`. */
  anonymous?: boolean;
}

export interface CreateVolumeOptions { name?: string; driver?: string; labels?: Record<string, string>; options?: Record<string, string> }

export interface VolumeService {
  /** Creates a volume, or returns the existing one of that name (Docker's idempotent create). */
  create(opts: CreateVolumeOptions): Promise<Volume>;
  list(): Volume[];
  inspect(name: string): Volume;
  /** Ids of the containers using a volume. */
  usersOf(name: string): string[];
  /** Conflict when in use (force does not change that, as in Docker); force ignores a missing volume. */
  remove(name: string, opts?: { force?: boolean }): Promise<void>;
  /** Removes the unused volumes the predicate accepts; returns their names and the bytes freed. */
  prune(accept: (v: Volume) => boolean): Promise<{ deleted: string[]; reclaimed: number }>;
}

/** What a container asks for, in the order Docker gives precedence: mounts, volumes-from, image volumes. */
export interface ContainerMountRequest {
  containerId: string;
  /** The container's freshly prepared rootfs (the image content), for copy-up. */
  rootfs: string;
  /** -v / Binds, --mount / Mounts, --tmpfs / Tmpfs, parsed. */
  mounts: MountSpec[];
  /** The mount points of the containers named by --volumes-from, with the mode asked for. */
  volumesFrom: Array<{ mode: '' | 'ro' | 'rw'; mountPoints: MountPoint[] }>;
  /** The image's VOLUME paths. */
  imageVolumes: string[];
}

export interface ContainerVolumes {
  /** Creates missing volumes (and -v bind sources), copies image content into new empty volumes. */
  attach(req: ContainerMountRequest): Promise<MountPoint[]>;
  /**
   * The container is gone: its volumes are no longer in use (at once); its anonymous volumes are
   * removed when asked (`rm -v`, `--rm`). The returned promise ends when their files are gone.
   */
  release(containerId: string, opts: { removeAnonymous: boolean }): Promise<void>;
  /** A container found at daemon start uses these mount points. */
  adopt(containerId: string, mountPoints: MountPoint[]): void;
}
