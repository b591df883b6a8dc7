/**
 * What the container manager needs from the runtime's spec and cgroup code (src/engine/runtime),
 * as one object so the manager is constructed with its collaborators rather than reaching for them.
 */
import type { ImageConfig } from '../images/types.js';
import type { ContainerStats, CreateContainerOptions, ExecOptions } from './types.js';

export interface SpecFiles { hosts: string; hostname: string; resolvConf: string }

export interface SpecInputShape {
  id: string;
  options: CreateContainerOptions;
  image: ImageConfig;
  rootfs: string;
  files: SpecFiles;
  shmPath?: string;
  initPath?: string;
  cgroupsPath: string;
  netnsPath?: string;
  /** Volume, bind and tmpfs mounts (engine/volumes), after the defaults. */
  extraMounts?: Array<{ destination: string; type?: string; source?: string; options?: string[] }>;
}

/** The OCI runtime spec, the parts the manager reads itself. */
export interface OciSpecShape {
  process?: { args?: string[]; terminal?: boolean; env?: string[]; cwd?: string };
  mounts?: Array<{ destination: string; type?: string; source?: string; options?: string[] }>;
  linux?: { cgroupsPath?: string };
  [key: string]: unknown;
}

type MaybePromise<T> = T | Promise<T>;

export interface RuntimeKit {
  buildSpec(input: SpecInputShape): MaybePromise<{ spec: OciSpecShape; warnings: string[] }>;
  buildExecProcess(spec: OciSpecShape, exec: ExecOptions, rootfs: string): MaybePromise<unknown>;
  readStats(cgroupsPath: string): MaybePromise<ContainerStats>;
  readPids(cgroupsPath: string): MaybePromise<number[]>;
  oomKilled(cgroupsPath: string): MaybePromise<boolean>;
  /** JSON for config.json / process.json that keeps 64-bit rlimits exact ("unlimited" = 2^64-1). */
  specToJson(spec: OciSpecShape, indent?: number): string;
  processToJson(process: unknown, indent?: number): string;
  /** Base64 BPF of a spec's seccomp section for crun's run.oci.seccomp_bpf_data, or null. */
  precompiledSeccomp(seccomp: never): string | null;
}
