/**
 * `POST /containers/create`: validates Docker's Config + HostConfig body and turns it into berth's
 * create options. Anything berth cannot honour yet (volumes, port publishing, devices…) is refused
 * with NotImplemented rather than silently dropped.
 */
import { invalidArgument, notImplemented } from '../../base/errors.js';
import type { CreateSpec, RestartPolicySpec } from './domain.js';
import { volumeCreateFields } from './volume-create-fields.js';
import { parsePortKey, validatePortBindings } from './network-ports.js';
import { asObject, optBool, optCommand, optConsoleSize, optInt, optObject, optString, optStringArray, optStringMap, type Json } from './validate.js';

/** Docker's rule for container names (daemon/names): first char alphanumeric, then [a-zA-Z0-9_.-]. */
export const CONTAINER_NAME_PATTERN = /^\/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

export function validateContainerName(name: string): string {
  if (!CONTAINER_NAME_PATTERN.test(name)) {
    throw invalidArgument(`invalid container name "${name}": only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`);
  }
  return name.replace(/^\//, '');
}

/** "bridge", "host", "none", "container:<name|id>" or a user-defined network's name. */
export function validateNetworkMode(mode: string): string {
  if (mode.startsWith('container:')) {
    if (mode.length === 'container:'.length) throw invalidArgument('invalid network mode "container:": name the container whose network to join');
    return mode;
  }
  if (!/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(mode) && !/^[0-9a-f]{1,64}$/.test(mode)) throw invalidArgument(`invalid network mode "${mode}"`);
  return mode;
}

function endpointsConfig(v: unknown): CreateSpec['networks'] {
  const nc = optObject(v, 'NetworkingConfig');
  const eps = nc ? optObject(nc.EndpointsConfig, 'NetworkingConfig.EndpointsConfig') : undefined;
  if (!eps || !Object.keys(eps).length) return undefined;
  const out: NonNullable<CreateSpec['networks']> = {};
  for (const [name, raw] of Object.entries(eps)) {
    const where = `NetworkingConfig.EndpointsConfig["${name}"]`;
    const e = optObject(raw, where) ?? {};
    const aliases = optStringArray(e.Aliases, `${where}.Aliases`);
    const ipam = optObject(e.IPAMConfig, `${where}.IPAMConfig`);
    const ip = ipam ? optString(ipam.IPv4Address, `${where}.IPAMConfig.IPv4Address`) : undefined;
    out[name] = { ...(aliases?.length ? { aliases } : {}), ...(ip ? { ipv4Address: ip } : {}) };
  }
  return out;
}

const RESTART_POLICIES = new Set(['no', 'on-failure', 'always', 'unless-stopped']);

function restartPolicy(v: unknown): RestartPolicySpec | undefined {
  const o = optObject(v, 'HostConfig.RestartPolicy');
  if (!o) return undefined;
  const name = optString(o.Name, 'HostConfig.RestartPolicy.Name') ?? '';
  const retries = optInt(o.MaximumRetryCount, 'HostConfig.RestartPolicy.MaximumRetryCount', 0);
  if (name === '' ) return retries ? invalidRestart(name) : undefined;
  if (!RESTART_POLICIES.has(name)) return invalidRestart(name);
  if (retries && name !== 'on-failure') throw invalidArgument(`maximum retry count cannot be used with restart policy "${name}"`);
  return { name: name as RestartPolicySpec['name'], ...(retries !== undefined ? { maximumRetryCount: retries } : {}) };
}

function invalidRestart(name: string): never {
  throw invalidArgument(`invalid restart policy "${name}": use no, always, unless-stopped or on-failure[:max-retries]`);
}

function ulimits(v: unknown): CreateSpec['ulimits'] {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) throw invalidArgument('HostConfig.Ulimits must be an array');
  return v.map((u, i) => {
    const o = asObject(u, `HostConfig.Ulimits[${i}]`);
    const name = optString(o.Name, `HostConfig.Ulimits[${i}].Name`);
    const soft = optInt(o.Soft, `HostConfig.Ulimits[${i}].Soft`, -1);
    const hard = optInt(o.Hard, `HostConfig.Ulimits[${i}].Hard`, -1);
    if (!name || soft === undefined || hard === undefined) throw invalidArgument(`HostConfig.Ulimits[${i}] needs Name, Soft and Hard`);
    if (hard !== -1 && soft > hard) throw invalidArgument(`ulimit "${name}": soft limit ${soft} is above hard limit ${hard}`);
    return { name, soft, hard };
  });
}

/** Fields berth does not implement yet: refused when set to anything but their empty value. */
function refuseUnsupported(host: Json, config: Json): void {
  const nonEmpty = (v: unknown) =>
    v !== undefined && v !== null && v !== '' && v !== false && v !== 0 &&
    !(Array.isArray(v) && v.length === 0) && !(typeof v === 'object' && !Array.isArray(v) && Object.keys(v as object).length === 0);
  const unsupported: Array<[unknown, string]> = [
    [host.Devices, 'devices (HostConfig.Devices)'],
    [host.Links, 'links (HostConfig.Links)'],
    [config.Healthcheck, 'health checks (Config.Healthcheck)'],
  ];
  for (const [value, what] of unsupported) if (nonEmpty(value)) throw notImplemented(`berth does not support ${what} yet`);
}

/** Maps a Docker create body (+ the `name` query parameter) to berth's create options. */
export function parseCreateRequest(body: unknown, name?: string | null): CreateSpec {
  const config = asObject(body, 'request body');
  const host = optObject(config.HostConfig, 'HostConfig') ?? {};
  refuseUnsupported(host, config);
  const image = optString(config.Image, 'Image');
  if (!image) throw invalidArgument('Image is required: name the image to create the container from');
  const spec: CreateSpec = { image };
  const set = <K extends keyof CreateSpec>(key: K, value: CreateSpec[K] | undefined) => {
    if (value !== undefined) spec[key] = value;
  };
  if (name) set('name', validateContainerName(name));
  set('cmd', optCommand(config.Cmd, 'Cmd'));
  set('entrypoint', optCommand(config.Entrypoint, 'Entrypoint'));
  set('env', optStringArray(config.Env, 'Env'));
  for (const e of spec.env ?? []) if (e.startsWith('=') || e === '') throw invalidArgument(`invalid environment variable "${e}"`);
  set('workingDir', optString(config.WorkingDir, 'WorkingDir') || undefined);
  if (spec.workingDir && !spec.workingDir.startsWith('/')) throw invalidArgument(`working directory "${spec.workingDir}" is not an absolute path`);
  set('user', optString(config.User, 'User') || undefined);
  set('hostname', optString(config.Hostname, 'Hostname') || undefined);
  set('domainname', optString(config.Domainname, 'Domainname') || undefined);
  set('labels', optStringMap(config.Labels, 'Labels'));
  set('tty', optBool(config.Tty, 'Tty'));
  set('openStdin', optBool(config.OpenStdin, 'OpenStdin'));
  set('stdinOnce', optBool(config.StdinOnce, 'StdinOnce'));
  set('consoleSize', optConsoleSize(host.ConsoleSize, 'HostConfig.ConsoleSize'));
  set('stopSignal', optString(config.StopSignal, 'StopSignal') || undefined);
  set('stopTimeout', optInt(config.StopTimeout, 'StopTimeout', -1));

  set('memory', optInt(host.Memory, 'HostConfig.Memory', 0) || undefined);
  set('memorySwap', optInt(host.MemorySwap, 'HostConfig.MemorySwap', -1) || undefined);
  if (spec.memory && spec.memory < 6 * 1024 * 1024) throw invalidArgument('minimum memory limit allowed is 6MB');
  if (spec.memorySwap && spec.memorySwap > 0 && (!spec.memory || spec.memorySwap < spec.memory)) {
    throw invalidArgument('minimum memoryswap limit should be larger than memory limit, see usage');
  }
  set('nanoCpus', optInt(host.NanoCpus, 'HostConfig.NanoCpus', 0) || undefined);
  set('cpuShares', optInt(host.CpuShares, 'HostConfig.CpuShares', 0) || undefined);
  set('cpuQuota', optInt(host.CpuQuota, 'HostConfig.CpuQuota', -1) || undefined);
  set('cpuPeriod', optInt(host.CpuPeriod, 'HostConfig.CpuPeriod', 0) || undefined);
  if (spec.nanoCpus && (spec.cpuQuota || spec.cpuPeriod)) throw invalidArgument('conflicting options: NanoCPUs and CPU Period/Quota cannot both be set');
  set('pidsLimit', optInt(host.PidsLimit, 'HostConfig.PidsLimit', -1) || undefined);
  set('readOnlyRootfs', optBool(host.ReadonlyRootfs, 'HostConfig.ReadonlyRootfs'));
  set('capAdd', optStringArray(host.CapAdd, 'HostConfig.CapAdd'));
  set('capDrop', optStringArray(host.CapDrop, 'HostConfig.CapDrop'));
  set('privileged', optBool(host.Privileged, 'HostConfig.Privileged'));
  set('securityOpt', optStringArray(host.SecurityOpt, 'HostConfig.SecurityOpt'));
  set('usernsMode', optString(host.UsernsMode, 'HostConfig.UsernsMode') || undefined);
  set('ulimits', ulimits(host.Ulimits));
  set('shmSize', optInt(host.ShmSize, 'HostConfig.ShmSize', 0) || undefined);
  set('init', optBool(host.Init, 'HostConfig.Init'));
  set('restartPolicy', restartPolicy(host.RestartPolicy));
  set('autoRemove', optBool(host.AutoRemove, 'HostConfig.AutoRemove'));
  if (spec.autoRemove && spec.restartPolicy && spec.restartPolicy.name !== 'no') {
    throw invalidArgument('conflicting options: cannot combine AutoRemove (--rm) with a restart policy');
  }
  const networkMode = optString(host.NetworkMode, 'HostConfig.NetworkMode');
  // "default" is what the docker CLI sends when --network is not given: the daemon's default (bridge).
  if (networkMode && networkMode !== 'default') set('networkMode', validateNetworkMode(networkMode));
  set('portBindings', validatePortBindings(host.PortBindings));
  if (spec.portBindings && !Object.keys(spec.portBindings).length) delete spec.portBindings;
  set('publishAllPorts', optBool(host.PublishAllPorts, 'HostConfig.PublishAllPorts') || undefined);
  const exposed = optObject(config.ExposedPorts, 'ExposedPorts');
  if (exposed && Object.keys(exposed).length) set('exposedPorts', Object.keys(exposed).map((k) => { const p = parsePortKey(k); return `${p.port}/${p.protocol}`; }));
  set('networks', endpointsConfig(body && (body as Json).NetworkingConfig));
  set('extraHosts', optStringArray(host.ExtraHosts, 'HostConfig.ExtraHosts'));
  set('dns', optStringArray(host.Dns, 'HostConfig.Dns'));
  Object.assign(spec, volumeCreateFields(host, config));
  const runtime = optString(host.Runtime, 'HostConfig.Runtime');
  if (runtime) {
    if (runtime !== 'crun' && runtime !== 'runc') throw invalidArgument(`unknown runtime "${runtime}": berth supports crun and runc`);
    spec.runtime = runtime;
  }
  return spec;
}
