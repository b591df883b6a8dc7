/** The effective config of a container: the image's config with the create options laid over it (Docker's merge rules). */
import { invalidArgument } from '../../base/errors.js';
import type { ImageConfig } from '../images/types.js';
import type { ContainerInfo, CreateContainerOptions } from './types.js';

export function mergeEnv(base: string[], over: string[]): string[] {
  const out = new Map<string, string>();
  for (const e of [...base, ...over]) {
    const i = e.indexOf('=');
    out.set(i < 0 ? e : e.slice(0, i), e);
  }
  return [...out.values()];
}

export function effectiveConfig(options: CreateContainerOptions, image: ImageConfig, hostname: string): { config: ContainerInfo['config']; argv: string[] } {
  const ic = image.config ?? {};
  const entrypoint = options.entrypoint ?? ic.Entrypoint ?? [];
  // Docker: a new entrypoint without a new cmd drops the image's Cmd.
  const cmd = options.cmd ?? (options.entrypoint !== undefined ? [] : ic.Cmd ?? []);
  const argv = [...entrypoint, ...cmd];
  if (argv.length === 0) throw invalidArgument(`container for image "${options.image}": no command specified`);
  for (const e of options.env ?? []) if (e === '' || e.startsWith('=')) throw invalidArgument(`invalid environment variable "${e}"`);
  const config: ContainerInfo['config'] = {
    env: mergeEnv(ic.Env ?? [], options.env ?? []),
    cmd,
    entrypoint,
    workingDir: options.workingDir ?? ic.WorkingDir ?? '',
    user: options.user ?? ic.User ?? '',
    labels: { ...(ic.Labels ?? {}), ...(options.labels ?? {}) },
    hostname,
    tty: !!options.tty,
    openStdin: !!options.openStdin,
    stopSignal: options.stopSignal ?? ic.StopSignal ?? 'SIGTERM',
    exposedPorts: { ...(ic.ExposedPorts ?? {}), ...Object.fromEntries((options.exposedPorts ?? []).map((p) => [p.includes('/') ? p : `${p}/tcp`, {}])) },
    volumes: { ...(ic.Volumes ?? {}), ...Object.fromEntries((options.volumes ?? []).map((v) => [v, {}])) },
  };
  return { config, argv };
}
