/** `/_ping`, `/version`, `/info` (`/events` is in events.ts). */
import os from 'node:os';
import { API_VERSION, MIN_API_VERSION } from './api-version.js';
import { sendJson, type Handler, type RequestContext } from './context.js';
import type { Router } from './router.js';

const PING_HEADERS = {
  'Api-Version': API_VERSION,
  'Builder-Version': '1',
  'Docker-Experimental': 'false',
  Ostype: 'linux',
  Swarm: 'inactive',
  'Cache-Control': 'no-cache, no-store, must-revalidate',
  Pragma: 'no-cache',
};

async function ping({ req, res }: RequestContext): Promise<void> {
  res.writeHead(200, { ...PING_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': 2 });
  res.end(req.method === 'HEAD' ? undefined : 'OK');
}

function arch(): string {
  return ({ x64: 'amd64', arm64: 'arm64', arm: 'arm', ppc64: 'ppc64le', s390x: 's390x' } as Record<string, string>)[process.arch] ?? process.arch;
}

async function version({ res, deps }: RequestContext): Promise<void> {
  const details = {
    ApiVersion: API_VERSION,
    MinAPIVersion: MIN_API_VERSION,
    GitCommit: 'berth',
    GoVersion: `node${process.versions.node}`,
    Os: 'linux',
    Arch: arch(),
    KernelVersion: os.release(),
    BuildTime: deps.daemon.startedAt.toISOString(),
    Experimental: 'false',
  };
  sendJson(res, 200, {
    Platform: { Name: 'berth' },
    Components: [{ Name: 'Engine', Version: deps.daemon.version, Details: details }, { Name: deps.daemon.runtime, Version: '', Details: {} }],
    Version: deps.daemon.version,
    ...details,
    Experimental: false,
  });
}

async function info({ res, deps }: RequestContext): Promise<void> {
  const containers = deps.engine.containers.list({ all: true });
  const count = (s: string) => containers.filter((c) => c.state.status === s).length;
  sendJson(res, 200, {
    ID: os.hostname(),
    Containers: containers.length,
    ContainersRunning: count('running'),
    ContainersPaused: count('paused'),
    ContainersStopped: containers.length - count('running') - count('paused'),
    Images: deps.engine.images.list().length,
    Driver: 'overlay',
    DriverStatus: [],
    Plugins: { Volume: [], Network: [], Authorization: null, Log: ['json-file'] },
    MemoryLimit: true,
    SwapLimit: true,
    CpuCfsPeriod: true,
    CpuCfsQuota: true,
    CPUShares: true,
    CPUSet: true,
    PidsLimit: true,
    IPv4Forwarding: true,
    Debug: false,
    NFd: 0,
    NGoroutines: 0,
    SystemTime: new Date().toISOString(),
    LoggingDriver: 'json-file',
    CgroupDriver: 'cgroupfs',
    CgroupVersion: '1',
    NEventsListener: 0,
    KernelVersion: os.release(),
    OperatingSystem: 'Linux',
    OSVersion: '',
    OSType: 'linux',
    Architecture: os.machine(),
    IndexServerAddress: 'https://index.docker.io/v1/',
    RegistryConfig: { IndexConfigs: {}, InsecureRegistryCIDRs: [], Mirrors: [] },
    NCPU: os.cpus().length,
    MemTotal: os.totalmem(),
    DockerRootDir: deps.daemon.dataDir,
    Name: os.hostname(),
    Labels: [],
    ExperimentalBuild: false,
    ServerVersion: deps.daemon.version,
    Runtimes: { crun: { path: 'crun' }, runc: { path: 'runc' } },
    DefaultRuntime: deps.daemon.runtime,
    Swarm: { NodeID: '', NodeAddr: '', LocalNodeState: 'inactive', ControlAvailable: false, Error: '', RemoteManagers: null },
    LiveRestoreEnabled: true,
    Isolation: '',
    InitBinary: 'catatonit',
    SecurityOptions: ['name=seccomp,profile=builtin'],
    Warnings: [],
  });
}

export function systemRoutes(r: Router<Handler>): void {
  r.add(['GET', 'HEAD'], '/_ping', ping).add('GET', '/version', version).add('GET', '/info', info);
}
