/**
 * The engine's domain objects as the Docker wire mapping reads them. The api layer may not import
 * the engine (see .dependency-cruiser.cjs), so these mirror the fields of
 * src/engine/containers/types.ts and src/engine/images/types.ts that the mapping needs; the
 * engine's own objects satisfy them structurally, which the server's typecheck proves.
 */
import type { NetworkSettingsView } from './network-json.js';
import type { ImageConfig } from '../oci/types.js';
import type { MountPointView } from './volume-json.js';
import type { MountSpec } from './volume-spec.js';

export interface RestartPolicySpec { name: 'no' | 'on-failure' | 'always' | 'unless-stopped'; maximumRetryCount?: number }

/** What berth can create: the Docker create body in domain words (= engine CreateContainerOptions). */
export interface CreateSpec {
  name?: string;
  image: string;
  cmd?: string[];
  entrypoint?: string[];
  env?: string[];
  workingDir?: string;
  user?: string;
  hostname?: string;
  domainname?: string;
  labels?: Record<string, string>;
  tty?: boolean;
  openStdin?: boolean;
  stdinOnce?: boolean;
  consoleSize?: [number, number];
  stopSignal?: string;
  stopTimeout?: number;
  memory?: number;
  memorySwap?: number;
  nanoCpus?: number;
  cpuShares?: number;
  cpuQuota?: number;
  cpuPeriod?: number;
  pidsLimit?: number;
  readOnlyRootfs?: boolean;
  capAdd?: string[];
  capDrop?: string[];
  privileged?: boolean;
  securityOpt?: string[];
  usernsMode?: string;
  ulimits?: Array<{ name: string; soft: number; hard: number }>;
  shmSize?: number;
  init?: boolean;
  restartPolicy?: RestartPolicySpec;
  autoRemove?: boolean;
  networkMode?: string;
  extraHosts?: string[];
  dns?: string[];
  portBindings?: Record<string, Array<{ HostIp?: string; HostPort?: string }>>;
  publishAllPorts?: boolean;
  exposedPorts?: string[];
  networks?: Record<string, { aliases?: string[]; ipv4Address?: string }>;
  runtime?: 'crun' | 'runc';
  binds?: string[];
  mounts?: MountSpec[];
  tmpfs?: Record<string, string>;
  volumesFrom?: string[];
  volumes?: string[]; // Config.Volumes: anonymous volume paths
}

export interface ContainerStateView {
  status: string;
  running: boolean;
  paused: boolean;
  restarting: boolean;
  oomKilled: boolean;
  dead: boolean;
  pid: number;
  exitCode: number;
  error: string;
  startedAt: string;
  finishedAt: string;
}

export interface ContainerView {
  id: string;
  name: string;
  created: string;
  image: string;
  imageId: string;
  path: string;
  args: string[];
  options: CreateSpec;
  /** Filled by the API from the network service (undefined: no network of its own). */
  network?: NetworkSettingsView;
  config: { env: string[]; cmd: string[]; entrypoint: string[]; workingDir: string; user: string; labels: Record<string, string>; hostname: string; tty: boolean; openStdin: boolean; stopSignal: string; exposedPorts: Record<string, object>; volumes: Record<string, object> };
  state: ContainerStateView;
  restartCount: number;
  runtime: string;
  rootfs: string;
  logPath: string;
  cgroupPath: string;
  namespaces?: Record<string, string>;
  mounts?: Array<{ type: string; source: string; destination: string; options: string[] }>;
  mountPoints?: MountPointView[];
  ociSpec?: unknown;
}

/** The image config as stored (OCI image-spec config.json). */
export type ImageConfigView = ImageConfig;

export interface ImageView {
  id: string;
  repoTags: string[];
  repoDigests: string[];
  config: ImageConfigView;
  size: number;
  created: string;
}

export interface ContainerStatsView {
  read: string;
  cpu: { totalUsageNs: number; perCpuUsageNs: number[]; systemUsageNs: number; onlineCpus: number; throttledPeriods: number; throttledTimeNs: number };
  memory: { usage: number; limit: number; maxUsage: number; cache: number; inactiveFile: number; failcnt: number };
  pids: { current: number; limit: number };
  blkio?: { serviceBytes: Array<{ major: number; minor: number; op: string; value: number }>; serviced: Array<{ major: number; minor: number; op: string; value: number }> };
  networks?: Record<string, { rxBytes: number; rxPackets: number; rxErrors: number; rxDropped: number; txBytes: number; txPackets: number; txErrors: number; txDropped: number }>;
}

export interface ExecView {
  id: string;
  containerId: string;
  running: boolean;
  exitCode: number | null;
  pid: number;
  options: { cmd: string[]; env?: string[]; workingDir?: string; user?: string; tty?: boolean; attachStdin?: boolean; attachStdout?: boolean; attachStderr?: boolean; privileged?: boolean };
}
