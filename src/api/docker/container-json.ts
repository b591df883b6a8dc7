/**
 * berth's container records → Docker Engine API JSON: the inspect document
 * (`GET /containers/{id}/json`) and the list entry (`GET /containers/json`).
 */
import type { ContainerStateView, ContainerView, CreateSpec } from './domain.js';
import { humanDuration, isZeroTime, unixSeconds } from './human-time.js';
import { mountPointJson } from './volume-json.js';
import { mountJson } from './volume-spec.js';
import { listPortsJson, networkSettingsJson } from './network-json.js';

/** The `Status` column of `docker ps` (moby container/state.go String()). */
export function statusText(state: ContainerStateView, now = Date.now()): string {
  const since = (t: string) => humanDuration(Math.max(0, now - Date.parse(t)));
  if (state.running || state.status === 'running' || state.status === 'paused') {
    if (state.paused) return `Up ${since(state.startedAt)} (Paused)`;
    if (state.restarting) return `Restarting (${state.exitCode}) ${since(state.finishedAt)} ago`;
    return `Up ${since(state.startedAt)}`;
  }
  if (state.status === 'restarting') return `Restarting (${state.exitCode}) ${isZeroTime(state.finishedAt) ? 'Less than a second' : since(state.finishedAt)} ago`;
  if (state.status === 'removing') return 'Removal In Progress';
  if (state.status === 'dead') return 'Dead';
  if (isZeroTime(state.startedAt)) return 'Created';
  if (isZeroTime(state.finishedAt)) return '';
  return `Exited (${state.exitCode}) ${since(state.finishedAt)} ago`;
}

/** Docker's `Command` column: path + args, args containing spaces wrapped in single quotes. */
export function commandText(path: string, args: string[]): string {
  if (args.length === 0) return path;
  return `${path} ${args.map((a) => (a.includes(' ') ? `'${a}'` : a)).join(' ')}`;
}

function networkMode(opts: CreateSpec): string {
  const m = opts.networkMode ?? '';
  return m === '' || m === 'default' ? 'bridge' : m;
}

export function hostConfigJson(opts: CreateSpec): Record<string, unknown> {
  return {
    Binds: opts.binds ?? null,
    ...volumeHostConfigJson(opts),
    NetworkMode: networkMode(opts),
    PortBindings: opts.portBindings ?? {},
    PublishAllPorts: opts.publishAllPorts ?? false,
    RestartPolicy: { Name: opts.restartPolicy?.name ?? 'no', MaximumRetryCount: opts.restartPolicy?.maximumRetryCount ?? 0 },
    AutoRemove: opts.autoRemove ?? false,
    CapAdd: opts.capAdd ?? null,
    CapDrop: opts.capDrop ?? null,
    Dns: opts.dns ?? [],
    ExtraHosts: opts.extraHosts ?? null,
    Privileged: opts.privileged ?? false,
    ReadonlyRootfs: opts.readOnlyRootfs ?? false,
    SecurityOpt: opts.securityOpt ?? null,
    UsernsMode: opts.usernsMode ?? '',
    ShmSize: opts.shmSize ?? 64 * 1024 * 1024,
    Runtime: opts.runtime ?? 'crun',
    Memory: opts.memory ?? 0,
    MemorySwap: opts.memorySwap ?? 0,
    NanoCpus: opts.nanoCpus ?? 0,
    CpuShares: opts.cpuShares ?? 0,
    CpuPeriod: opts.cpuPeriod ?? 0,
    CpuQuota: opts.cpuQuota ?? 0,
    PidsLimit: opts.pidsLimit ?? null,
    Ulimits: (opts.ulimits ?? []).map((u) => ({ Name: u.name, Soft: u.soft, Hard: u.hard })),
    Init: opts.init ?? null,
    LogConfig: { Type: 'json-file', Config: {} },
  };
}

/** `GET /containers/{id}/json`. */
export function containerInspectJson(c: ContainerView): Record<string, unknown> {
  const s = c.state;
  return {
    Id: c.id,
    Created: c.created,
    Path: c.path,
    Args: c.args,
    State: {
      Status: s.status,
      Running: s.running,
      Paused: s.paused,
      Restarting: s.restarting,
      OOMKilled: s.oomKilled,
      Dead: s.dead,
      Pid: s.pid,
      ExitCode: s.exitCode,
      Error: s.error,
      StartedAt: s.startedAt,
      FinishedAt: s.finishedAt,
    },
    Image: c.imageId,
    ResolvConfPath: '',
    HostnamePath: '',
    HostsPath: '',
    LogPath: c.logPath,
    Name: `/${c.name}`,
    RestartCount: c.restartCount,
    Driver: 'overlay',
    Platform: 'linux',
    MountLabel: '',
    ProcessLabel: '',
    AppArmorProfile: '',
    ExecIDs: null,
    HostConfig: { ...hostConfigJson(c.options), Runtime: c.runtime, CgroupParent: c.cgroupPath },
    GraphDriver: { Name: 'overlay', Data: { MergedDir: c.rootfs } },
    // berth's own view, beyond Docker's shape (clients ignore unknown keys): the namespaces of the
    // running process, its cgroup, every mount of the runtime spec, and the OCI spec itself.
    Berth: { Namespaces: c.namespaces ?? {}, CgroupPath: c.cgroupPath, Mounts: c.mounts ?? [], OCISpec: c.ociSpec ?? null },
    Mounts: (c.mountPoints ?? []).map(mountPointJson),
    Config: {
      Hostname: c.config.hostname,
      Domainname: c.options.domainname ?? '',
      User: c.config.user,
      AttachStdin: false,
      AttachStdout: false,
      AttachStderr: false,
      ExposedPorts: Object.keys(c.config.exposedPorts).length ? c.config.exposedPorts : undefined,
      Tty: c.config.tty,
      OpenStdin: c.config.openStdin,
      StdinOnce: c.options.stdinOnce ?? false,
      Env: c.config.env,
      Cmd: c.config.cmd.length ? c.config.cmd : null,
      Image: c.image,
      Volumes: Object.keys(c.config.volumes).length ? c.config.volumes : null,
      WorkingDir: c.config.workingDir,
      Entrypoint: c.config.entrypoint.length ? c.config.entrypoint : null,
      OnBuild: null,
      Labels: c.config.labels,
      StopSignal: c.config.stopSignal || undefined,
      StopTimeout: c.options.stopTimeout,
    },
    NetworkSettings: networkSettingsJson(networkMode(c.options), c.network),
  };
}

/** One entry of `GET /containers/json`. */
export function containerListJson(c: ContainerView, now = Date.now()): Record<string, unknown> {
  return {
    Id: c.id,
    Names: [`/${c.name}`],
    Image: c.image,
    ImageID: c.imageId,
    Command: commandText(c.path, c.args),
    Created: unixSeconds(c.created),
    Ports: listPortsJson(c.network),
    Labels: c.config.labels,
    State: c.state.status,
    Status: statusText(c.state, now),
    HostConfig: { NetworkMode: networkMode(c.options) },
    NetworkSettings: { Networks: (networkSettingsJson(networkMode(c.options), c.network).Networks) },
    Mounts: (c.mountPoints ?? []).map(mountPointJson),
  };
}

/** HostConfig's mount fields as the container was created with them. */
function volumeHostConfigJson(opts: CreateSpec): Record<string, unknown> {
  return {
    ...(opts.mounts?.length ? { Mounts: opts.mounts.map(mountJson) } : {}),
    ...(opts.tmpfs ? { Tmpfs: opts.tmpfs } : {}),
    VolumesFrom: opts.volumesFrom ?? null,
  };
}
