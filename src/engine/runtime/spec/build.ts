/**
 * Builds a container's OCI runtime spec (config.json) from its create options and image config,
 * with Docker's semantics (moby oci/defaults.go + daemon/oci_linux.go). Pure apart from reading
 * the image's /etc/passwd and /etc/group and, when asked, a custom seccomp profile: host facts
 * come in as a parameter so every rule is unit-testable. Bad options throw InvalidArgument before
 * anything exists; soft problems (clamped limits, ignored options) come back as warnings.
 */
import path from 'node:path';
import { failedPrecondition, invalidArgument } from '../../../base/errors.js';
import { OciVersion, type OciCapabilities, type OciMount, type OciSpec } from '../../../api/oci/runtime-spec.js';
import type { CreateContainerOptions } from '../../containers/types.js';
import type { ImageConfig } from '../../images/types.js';
import { defaultProfile, renderSeccomp } from '../seccomp/index.js';
import { resolveCapabilities } from './capabilities.js';
import { resolveCommand } from './command.js';
import { defaultDeviceRules, privilegedDeviceRules } from './devices.js';
import { containerEnv } from './env.js';
import type { HostFacts } from './host-facts.js';
import { buildMounts, DefaultShmSize } from './mounts.js';
import { buildNamespaces, isHostNetwork, usernsMappings, wantsUserns } from './namespaces.js';
import { buildResources } from './resources.js';
import { buildRlimits } from './rlimits.js';
import { parseSecurityOpts } from './security-opts.js';
import { resolveUser } from './user.js';

export interface SpecInput {
  id: string; // container id (64 hex)
  options: CreateContainerOptions;
  image: ImageConfig;
  rootfs: string; // absolute host path of the mounted rootfs
  files: { hosts: string; hostname: string; resolvConf: string }; // host files bind-mounted at /etc/hosts, /etc/hostname, /etc/resolv.conf
  shmPath?: string; // host path of the container's /dev/shm tmpfs, if the caller made one; else a tmpfs mount in the spec
  initPath?: string; // host path of the init binary (catatonit) when options.init
  cgroupsPath: string; // e.g. "/berth/<id>" (cgroupfs driver)
  netnsPath?: string; // join this network namespace; undefined + networkMode 'host' = host netns; else a new one
  extraMounts?: OciMount[]; // volumes, binds, tmpfs: placed after the defaults, replacing a default at the same destination
}

/** Docker's masked paths (moby oci/defaults.go, incl. the 2024 powercap addition). */
export const MaskedPaths: readonly string[] = [
  '/proc/asound', '/proc/acpi', '/proc/kcore', '/proc/keys', '/proc/latency_stats', '/proc/timer_list', '/proc/timer_stats',
  '/proc/sched_debug', '/proc/scsi', '/sys/firmware', '/sys/devices/virtual/powercap',
];
export const ReadonlyPaths: readonly string[] = ['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger'];

/** Where the init binary appears inside the container (catatonit syntax: `/dev/init -- cmd…`). */
export const InitPathInContainer = '/dev/init';

const hostnamePattern = /^[a-zA-Z0-9]([a-zA-Z0-9.-]*[a-zA-Z0-9])?$/;

function checkAbsolute(what: string, p: string): void {
  if (!p.startsWith('/') || p.includes('\0')) throw invalidArgument(`${what} ${JSON.stringify(p)} must be an absolute path`);
}

function hostnameFor(input: SpecInput, host: HostFacts): string {
  const h = input.options.hostname;
  if (h !== undefined && h !== '') {
    if (h.length > 64 || !hostnamePattern.test(h)) throw invalidArgument(`invalid hostname ${JSON.stringify(h)}`);
    return h;
  }
  // Docker: in host network mode the container shows the host's name.
  return isHostNetwork(input.options.networkMode) ? host.hostname : input.id.slice(0, 12);
}

function workingDir(input: SpecInput): string {
  const wd = input.options.workingDir || input.image.config?.WorkingDir || '/';
  if (!wd.startsWith('/')) throw invalidArgument(`the working directory '${wd}' is invalid, it needs to be an absolute path`);
  return path.posix.normalize(wd);
}

/** Docker's SetCapabilities: non-root processes start with empty effective/permitted sets (like execve). */
export function capabilitySets(caps: string[], uid: number): OciCapabilities {
  return uid === 0 ? { bounding: [...caps], effective: [...caps], permitted: [...caps] } : { bounding: [...caps] };
}

export function buildSpecFor(input: SpecInput, host: HostFacts): { spec: OciSpec; warnings: string[] } {
  const o = input.options;
  const warnings: string[] = [];
  if (!/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(input.id)) throw invalidArgument(`invalid container id ${JSON.stringify(input.id)}`);
  checkAbsolute('rootfs', input.rootfs);
  checkAbsolute('cgroups path', input.cgroupsPath);
  if (input.cgroupsPath.split('/').includes('..')) throw invalidArgument(`cgroups path ${JSON.stringify(input.cgroupsPath)} must not contain ".."`);
  for (const [k, v] of Object.entries(input.files)) checkAbsolute(`${k} file`, v);
  if (input.shmPath !== undefined) checkAbsolute('shm path', input.shmPath);
  if (o.init && !input.initPath) throw failedPrecondition('--init was requested but no init binary is configured');
  if (input.initPath !== undefined) checkAbsolute('init path', input.initPath);
  for (const m of input.extraMounts ?? []) checkAbsolute('mount destination', m.destination);
  const shmSize = o.shmSize ?? 0;
  if (!Number.isSafeInteger(shmSize) || shmSize < 0) throw invalidArgument('SHM size can not be less than 0');

  const command = resolveCommand(o, input.image);
  const hostname = hostnameFor(input, host);
  const security = parseSecurityOpts(o.securityOpt, warnings);
  const privileged = o.privileged === true;
  const caps = resolveCapabilities(o, host.capabilities, warnings);
  const user = resolveUser(input.rootfs, o.user ?? input.image.config?.User ?? '');
  const userns = wantsUserns(o.usernsMode);
  const namespaces = buildNamespaces({ networkMode: o.networkMode, netnsPath: input.netnsPath, usernsMode: o.usernsMode, timeNamespace: o.timeNamespace });
  const ownNetns = namespaces.some((n) => n.type === 'network');

  const spec: OciSpec = {
    ociVersion: OciVersion,
    process: {
      terminal: o.tty === true,
      // The process sees the client's terminal size from its first instruction, not after a resize.
      ...(o.tty && o.consoleSize && o.consoleSize[0] > 0 && o.consoleSize[1] > 0 ? { consoleSize: { height: o.consoleSize[0], width: o.consoleSize[1] } } : {}),
      user: { uid: user.uid, gid: user.gid, ...(user.additionalGids.length > 0 ? { additionalGids: user.additionalGids } : {}) },
      args: o.init ? [InitPathInContainer, '--', ...command.args] : command.args,
      env: containerEnv({ imageEnv: input.image.config?.Env, env: o.env, hostname, tty: o.tty === true }),
      cwd: workingDir(input),
      capabilities: capabilitySets(caps, user.uid),
      rlimits: buildRlimits(o.ulimits, host.hardRlimits, warnings),
      noNewPrivileges: security.noNewPrivileges,
    },
    root: { path: input.rootfs, readonly: o.readOnlyRootfs === true },
    hostname,
    mounts: buildMounts({
      files: input.files,
      shmPath: input.shmPath,
      shmSize: shmSize || DefaultShmSize,
      initPath: o.init ? input.initPath : undefined,
      readOnlyRootfs: o.readOnlyRootfs === true,
      privileged,
      userns,
      ownNetns,
      extra: input.extraMounts,
    }),
    linux: {
      namespaces,
      cgroupsPath: input.cgroupsPath,
      resources: {
        ...buildResources(o, host, warnings),
        devices: privileged ? privilegedDeviceRules() : defaultDeviceRules(),
      },
    },
  };
  if (o.domainname) {
    if (!hostnamePattern.test(o.domainname) || o.domainname.length > 64) throw invalidArgument(`invalid domainname ${JSON.stringify(o.domainname)}`);
    spec.domainname = o.domainname;
  }
  // Docker, for containers with a private network namespace: ports below 1024 and ICMP echo
  // sockets without capabilities (ping group range cannot be set from a user namespace).
  if (ownNetns && !o.networkMode?.startsWith('container:')) {
    spec.linux.sysctl = { 'net.ipv4.ip_unprivileged_port_start': '0' };
    if (!userns) spec.linux.sysctl['net.ipv4.ping_group_range'] = '0 2147483647';
  }
  if (userns) {
    spec.linux.uidMappings = usernsMappings();
    spec.linux.gidMappings = usernsMappings();
  }
  if (privileged) {
    spec.linux.devices = host.hostDevices();
  } else if (!security.unconfinedSystemPaths) {
    spec.linux.maskedPaths = [...MaskedPaths];
    spec.linux.readonlyPaths = [...ReadonlyPaths];
  }
  // Docker: privileged containers and seccomp=unconfined run without a filter.
  if (!privileged && security.seccomp.kind !== 'unconfined') {
    const profile = security.seccomp.kind === 'custom' ? security.seccomp.profile : defaultProfile();
    spec.linux.seccomp = renderSeccomp(profile, { capabilities: caps, arch: host.arch, kernel: host.kernel });
  }
  return { spec, warnings };
}
