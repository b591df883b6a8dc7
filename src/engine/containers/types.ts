/**
 * The container manager's contract: what the daemon's HTTP surfaces (src/server) use to run
 * containers. Words used here:
 *  - "ref": a container id, an unambiguous id prefix, or a name (with or without a leading "/").
 *  - "state": created → running ⇄ paused → exited (→ removed); "restarting" between restarts.
 * Every method throws BerthError (src/base/errors.ts): NotFound `container "x" not found`,
 * FailedPrecondition for state conflicts (`container "x" is running: stop it or use force`),
 * InvalidArgument for bad options, AlreadyExists for a taken name.
 */
import type { EventEmitter } from 'node:events';
import type { Readable, Writable } from 'node:stream';
import type { MountPoint, MountSpec } from '../volumes/types.js';

export type RestartPolicyName = 'no' | 'on-failure' | 'always' | 'unless-stopped';
export interface RestartPolicy { name: RestartPolicyName; maximumRetryCount?: number }

/** Everything needed to create a container; mirrors Docker's Config + HostConfig in domain words. */
export interface CreateContainerOptions {
  name?: string;
  image: string; // a reference as the user typed it; resolved by the image service
  cmd?: string[]; // undefined = the image's Cmd
  entrypoint?: string[]; // undefined = the image's Entrypoint; [] clears it
  env?: string[]; // KEY=VALUE, merged over the image's Env
  workingDir?: string;
  user?: string; // "uid", "uid:gid", "name", "name:group"
  hostname?: string;
  domainname?: string;
  labels?: Record<string, string>;
  tty?: boolean;
  openStdin?: boolean;
  stdinOnce?: boolean;
  /** [rows, cols] of the client's terminal: the TTY starts at this size (Docker's HostConfig.ConsoleSize). */
  consoleSize?: [number, number];
  stopSignal?: string;
  stopTimeout?: number; // seconds
  // resources
  memory?: number; // bytes
  memorySwap?: number; // bytes, -1 unlimited
  nanoCpus?: number; // --cpus × 1e9
  cpuShares?: number;
  cpuQuota?: number;
  cpuPeriod?: number;
  pidsLimit?: number;
  // security
  readOnlyRootfs?: boolean;
  capAdd?: string[];
  capDrop?: string[];
  privileged?: boolean;
  securityOpt?: string[]; // "no-new-privileges", "seccomp=unconfined", "seccomp=<json path>"
  usernsMode?: string; // "" or "private" (user namespace where asked)
  timeNamespace?: boolean;
  ulimits?: Array<{ name: string; soft: number; hard: number }>;
  shmSize?: number; // bytes
  // lifecycle
  init?: boolean;
  restartPolicy?: RestartPolicy;
  autoRemove?: boolean;
  // networking: "bridge" (default), "host", "none", "container:<ref>" or a network's name
  networkMode?: string;
  extraHosts?: string[]; // "name:ip"
  dns?: string[];
  /** Docker's PortBindings: "80/tcp" → [{ HostIp, HostPort }] (HostPort "" = any free port, "8000-8010" = one of the range). */
  portBindings?: Record<string, Array<{ HostIp?: string; HostPort?: string }>>;
  publishAllPorts?: boolean; // -P: every exposed port on a free host port
  exposedPorts?: string[]; // "80/tcp", added to the image's EXPOSE
  /** Further networks (and endpoint settings of the mode's network) by name: NetworkingConfig.EndpointsConfig. */
  networks?: Record<string, { aliases?: string[]; ipv4Address?: string }>;
  runtime?: 'crun' | 'runc'; // default: the daemon's --runtime
  // volumes and mounts (engine/volumes): as given, echoed by inspect's HostConfig
  binds?: string[]; // -v / HostConfig.Binds: "[src:]dst[:mode]"
  mounts?: MountSpec[]; // --mount / HostConfig.Mounts
  tmpfs?: Record<string, string>; // --tmpfs / HostConfig.Tmpfs: path → options
  volumesFrom?: string[]; // "container[:ro|rw]"
  volumes?: string[]; // Config.Volumes / `-v /path`: anonymous volumes, like the image's VOLUME
}

export type ContainerStatus = 'created' | 'running' | 'paused' | 'restarting' | 'exited' | 'removing' | 'dead';

export interface ContainerState {
  status: ContainerStatus;
  running: boolean;
  paused: boolean;
  restarting: boolean;
  oomKilled: boolean;
  dead: boolean;
  pid: number; // 0 unless running
  exitCode: number;
  error: string;
  startedAt: string; // RFC 3339 with nanoseconds, "0001-01-01T00:00:00Z" when never
  finishedAt: string;
}

export interface ContainerInfo {
  id: string; // 64 hex
  name: string; // without leading "/"
  created: string; // RFC 3339
  image: string; // as the user typed it
  imageId: string; // sha256:...
  path: string; // the process's argv[0]
  args: string[];
  options: CreateContainerOptions; // as given at create (after defaults)
  config: { env: string[]; cmd: string[]; entrypoint: string[]; workingDir: string; user: string; labels: Record<string, string>; hostname: string; tty: boolean; openStdin: boolean; stopSignal: string; exposedPorts: Record<string, object>; volumes: Record<string, object> };
  state: ContainerState;
  restartCount: number;
  runtime: 'crun' | 'runc';
  rootfs: string; // the mounted rootfs path on the host
  logPath: string;
  cgroupPath: string; // e.g. "/berth/<id>"
  namespaces: Record<string, string>; // kind → "pid:[4026532…]" read from /proc/<pid>/ns while running
  mounts: Array<{ type: string; source: string; destination: string; options: string[] }>;
  /** Volumes, binds and tmpfs mounts resolved at create (Docker's MountPoints; inspect's Mounts). */
  mountPoints?: MountPoint[];
  ociSpec?: unknown; // the OCI runtime spec config.json used
}

export interface LogEntry { stream: 'stdout' | 'stderr'; time: string; data: Buffer }
export interface LogOptions { follow?: boolean; stdout?: boolean; stderr?: boolean; since?: number; until?: number; tail?: number; timestamps?: boolean }

/** A live connection to a container's or exec's stdio. Output ends when the process exits. */
export interface AttachSession {
  tty: boolean;
  /** Output chunks in order; with tty everything is 'stdout'. */
  output: Readable; // objectMode, yields { stream: 'stdout' | 'stderr', data: Buffer }
  /** Writing feeds the process's stdin; end() closes it (when stdinOnce / exec). null without stdin. */
  stdin: Writable | null;
  resize(rows: number, cols: number): Promise<void>;
  close(): void;
}

export interface ExecOptions { cmd: string[]; env?: string[]; workingDir?: string; user?: string; tty?: boolean; consoleSize?: [number, number]; attachStdin?: boolean; attachStdout?: boolean; attachStderr?: boolean; privileged?: boolean }
export interface ExecInfo { id: string; containerId: string; running: boolean; exitCode: number | null; pid: number; options: ExecOptions }

export interface ContainerStats {
  read: string; // RFC 3339
  cpu: { totalUsageNs: number; perCpuUsageNs: number[]; systemUsageNs: number; onlineCpus: number; throttledPeriods: number; throttledTimeNs: number };
  memory: { usage: number; limit: number; maxUsage: number; cache: number; inactiveFile: number; failcnt: number };
  pids: { current: number; limit: number };
  /** Bytes and operations per device and direction, from the cgroup. */
  blkio?: { serviceBytes: BlkioEntry[]; serviced: BlkioEntry[] };
  /** Per interface of the container's own network namespace (absent when it shares the host's). */
  networks?: Record<string, NetworkCounters>;
}

export interface BlkioEntry { major: number; minor: number; op: string; value: number }

export interface NetworkCounters { rxBytes: number; rxPackets: number; rxErrors: number; rxDropped: number; txBytes: number; txPackets: number; txErrors: number; txDropped: number }

export type WaitCondition = 'not-running' | 'next-exit' | 'removed';

export interface ContainerEvent { type: 'container'; action: string; id: string; attributes: Record<string, string>; timeNano: bigint }

export interface ContainerManager {
  /** Finds containers left by an earlier daemon (running or exited meanwhile) and resumes supervising them. */
  recover(): Promise<void>;
  create(opts: CreateContainerOptions): Promise<ContainerInfo>;
  start(ref: string): Promise<void>; // FailedPrecondition-free no-op when already running → returns false via isRunning checks upstream
  stop(ref: string, timeoutSeconds?: number): Promise<void>;
  kill(ref: string, signal?: string): Promise<void>; // signal name ("KILL", "SIGTERM") or number as string
  restart(ref: string, timeoutSeconds?: number): Promise<void>;
  remove(ref: string, opts?: { force?: boolean; volumes?: boolean }): Promise<void>;
  pause(ref: string): Promise<void>;
  unpause(ref: string): Promise<void>;
  /** Resolves with the exit code once the condition holds; wait('removed') resolves after removal. */
  wait(ref: string, condition?: WaitCondition): Promise<{ exitCode: number; error?: string }>;
  list(opts?: { all?: boolean }): ContainerInfo[];
  inspect(ref: string): ContainerInfo;
  logs(ref: string, opts: LogOptions): AsyncIterable<LogEntry>;
  attach(ref: string, opts: { stdin?: boolean; stdout?: boolean; stderr?: boolean }): Promise<AttachSession>;
  resize(ref: string, rows: number, cols: number): Promise<void>;
  execCreate(ref: string, opts: ExecOptions): Promise<ExecInfo>;
  execStart(execId: string, opts?: { detach?: boolean }): Promise<AttachSession | null>; // null when detached
  execInspect(execId: string): ExecInfo;
  execResize(execId: string, rows: number, cols: number): Promise<void>;
  stats(ref: string): Promise<ContainerStats>;
  top(ref: string, psArgs?: string): Promise<{ titles: string[]; processes: string[][] }>;
  /** Image ids used by any container (for rmi refusal and GC). */
  imagesInUse(): Set<string>;
  readonly events: EventEmitter; // emits 'event' with ContainerEvent
  /** Stops supervising without touching containers (daemon shutdown / kill -9 equivalent). */
  close(): Promise<void>;
  /** Gives the container a new name (emits 'rename' with attribute oldName); AlreadyExists when taken. */
  rename(ref: string, newName: string): Promise<void>;
  /** New resource limits / restart policy, live in the cgroup and kept for restarts (emits 'update'). */
  update(ref: string, patch: ContainerUpdate): Promise<{ warnings: string[] }>;
}

/** `docker update`: absent or zero fields keep their value (pidsLimit 0 or -1 = unlimited). */
export type ContainerUpdate = Partial<Pick<CreateContainerOptions, 'memory' | 'memorySwap' | 'nanoCpus' | 'cpuShares' | 'cpuQuota' | 'cpuPeriod' | 'pidsLimit' | 'restartPolicy'>>;
