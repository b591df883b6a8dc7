/**
 * Turning create options into a container on disk: option validation, the rootfs snapshot, the
 * /etc files, the OCI spec (written as the bundle's config.json) and the initial record.
 */
import fs from 'node:fs';
import path from 'node:path';
import { invalidArgument } from '../../base/errors.js';
import { SECCOMP_BPF_ANNOTATION, type RuntimeName } from '../runtime/index.js';
import type { ImageRecord, Snapshotter } from '../images/types.js';
import { ociMounts, type MountPoint } from '../volumes/index.js';
import { effectiveConfig } from './container-config.js';
import { containerHostname, writeEtcFiles } from './etc-files.js';
import type { OciSpecShape, RuntimeKit } from './kit.js';
import { ZERO_TIME, nowIso } from './live.js';
import { validateRestartPolicy } from './restart-policy.js';
import { parseSignal } from './signals.js';
import type { ContainerRecord } from './store.js';
import type { ContainerInfo, CreateContainerOptions } from './types.js';

const INIT_PATH = '/usr/bin/catatonit';

/** Checks everything that can be checked without touching the disk; returns the options with defaults. */
export function normalizeCreateOptions(input: CreateContainerOptions, defaultRuntime: RuntimeName): CreateContainerOptions {
  if (!input || typeof input !== 'object') throw invalidArgument('container options must be an object');
  if (typeof input.image !== 'string' || input.image === '') throw invalidArgument('an image is required to create a container');
  const options: CreateContainerOptions = { ...input };
  options.restartPolicy = validateRestartPolicy(input.restartPolicy);
  if (options.autoRemove && options.restartPolicy.name !== 'no') throw invalidArgument('conflicting options: restart policy and auto-remove');
  const runtime = options.runtime ?? defaultRuntime;
  if (runtime !== 'crun' && runtime !== 'runc') throw invalidArgument(`unknown runtime "${String(runtime)}"`);
  options.runtime = runtime;
  const net = options.networkMode ?? '';
  if (typeof net !== 'string' || net === 'container:' || /\s/.test(net)) throw invalidArgument(`invalid network mode ${JSON.stringify(net)}`);
  if (options.stopTimeout !== undefined && (!Number.isInteger(options.stopTimeout) || options.stopTimeout < -1)) throw invalidArgument(`invalid stop timeout ${String(options.stopTimeout)}`);
  if (options.stopSignal) parseSignal(options.stopSignal);
  return options;
}

export interface BuildDeps { snapshots: Snapshotter; kit: RuntimeKit; log: (msg: string) => void }

/**
 * Prepares the snapshot, files and bundle in `dir` and returns the record to persist. On failure
 * the caller removes `dir`, and the snapshot once `onPrepared` was called.
 */
export async function buildContainer(
  d: BuildDeps,
  c: {
    id: string; name: string; dir: string; options: CreateContainerOptions; image: ImageRecord; onPrepared: () => void;
    /** Records the container's networks (the networking hook's prepare); says which netns the spec joins. */
    prepareNetwork?: (config: ContainerInfo['config']) => Promise<{ netnsPath?: string }>;
    /** Gives the container its volumes, binds and tmpfs mounts (the volumes hook's attach), over the fresh rootfs. */
    attachVolumes?: (rootfs: string, config: ContainerInfo['config']) => Promise<MountPoint[]>;
  },
): Promise<ContainerRecord> {
  const { id, name, dir, options, image } = c;
  const { config, argv } = effectiveConfig(options, image.config, containerHostname(id, options));
  if (config.stopSignal) parseSignal(config.stopSignal);
  const { netnsPath } = c.prepareNetwork ? await c.prepareNetwork(config) : {};
  const bundle = path.join(dir, 'bundle');
  fs.mkdirSync(bundle, { recursive: true });
  const snap = await d.snapshots.prepare(id, image.chainIds);
  c.onPrepared();
  const files = writeEtcFiles(dir, id, options);
  const mountPoints = c.attachVolumes ? await c.attachVolumes(snap.path, config) : [];
  const cgroupsPath = `/berth/${id}`;
  const { spec, warnings } = await d.kit.buildSpec({
    id, options, image: image.config, rootfs: snap.path, files, cgroupsPath,
    ...(options.init ? { initPath: INIT_PATH } : {}),
    ...(netnsPath ? { netnsPath } : {}),
    ...(mountPoints.length ? { extraMounts: ociMounts(mountPoints) } : {}),
  });
  for (const w of warnings) d.log(`container ${id.slice(0, 12)}: ${w}`);
  if (options.runtime === 'crun') precompileSeccomp(spec, d, id);
  fs.writeFileSync(path.join(bundle, 'config.json'), d.kit.specToJson(spec, 1));
  const info: ContainerInfo = {
    id, name, created: nowIso(), image: options.image, imageId: image.id,
    path: argv[0]!, args: argv.slice(1), options, config,
    state: { status: 'created', running: false, paused: false, restarting: false, oomKilled: false, dead: false, pid: 0, exitCode: 0, error: '', startedAt: ZERO_TIME, finishedAt: ZERO_TIME },
    restartCount: 0, runtime: options.runtime ?? 'crun', rootfs: snap.path, logPath: path.join(dir, 'ctr.log'), cgroupPath: cgroupsPath, namespaces: {},
    mounts: (spec.mounts ?? []).map((m) => ({ type: m.type ?? 'bind', source: m.source ?? '', destination: m.destination, options: m.options ?? [] })),
    mountPoints,
    ociSpec: spec,
  };
  return { info, manuallyStopped: false, hasBeenStarted: false, cgroupsPath };
}

/**
 * Hands crun the seccomp filter precompiled (cached per distinct section): crun would otherwise
 * compile Docker's profile with libseccomp on every create. A failure only costs that speed-up.
 */
function precompileSeccomp(spec: OciSpecShape, d: BuildDeps, id: string): void {
  const seccomp = (spec.linux as { seccomp?: unknown } | undefined)?.seccomp;
  if (!seccomp) return;
  try {
    const bpf = d.kit.precompiledSeccomp(seccomp as never);
    if (bpf) spec.annotations = { ...((spec.annotations as Record<string, string> | undefined) ?? {}), [SECCOMP_BPF_ANNOTATION]: bpf };
  } catch (err) {
    d.log(`container ${id.slice(0, 12)}: seccomp precompile failed, crun compiles it: ${String(err)}`);
  }
}
