/**
 * The mount flags of `run`/`create` (-v, --mount, --tmpfs, --volumes-from) and their place in the
 * Docker create body, as the docker CLI sends them: `-v /path` is an anonymous volume in
 * Config.Volumes, other -v values go to HostConfig.Binds (a relative `./dir` source made absolute),
 * --mount becomes HostConfig.Mounts, --tmpfs HostConfig.Tmpfs. The daemon validates everything again.
 */
import path from 'node:path';
import type { FlagSpec, Parsed } from '../args.js';
import { CliError, list } from '../command.js';
import { parseMountFlag } from '../../api/docker/volume-mount-flag.js';

export const volumeFlags: FlagSpec[] = [
  { name: 'volume', short: 'v', type: 'list', help: 'Bind mount a volume ([SRC:]DST[:ro|rw,...]; SRC a volume name or an absolute host path)' },
  { name: 'mount', type: 'list', value: 'mount', help: 'Attach a filesystem mount to the container (type=volume|bind|tmpfs,source=…,target=…[,readonly])' },
  { name: 'tmpfs', type: 'list', help: 'Mount a tmpfs directory (/path[:size=64m,mode=1777,…])' },
  { name: 'volumes-from', type: 'list', help: 'Mount volumes from the specified container(s) (NAME[:ro|rw])' },
];

export function volumeBody(p: Parsed): { config: Record<string, unknown>; host: Record<string, unknown> } {
  const anonymous: Record<string, object> = {};
  const binds: string[] = [];
  for (const v of list(p, 'volume')) {
    const parts = v.split(':');
    if (parts.length === 1) anonymous[v] = {};
    else {
      // The docker CLI resolves a source like ./data or ../x against the current directory.
      if (parts[0]!.startsWith('.')) parts[0] = path.resolve(parts[0]!);
      binds.push(parts.join(':'));
    }
  }
  let mounts: Array<Record<string, unknown>>;
  try {
    mounts = list(p, 'mount').map(parseMountFlag);
  } catch (err) {
    throw new CliError(`invalid argument for "--mount" flag: ${(err as Error).message}`, 125);
  }
  const tmpfs: Record<string, string> = {};
  for (const t of list(p, 'tmpfs')) {
    const i = t.indexOf(':');
    tmpfs[i < 0 ? t : t.slice(0, i)] = i < 0 ? '' : t.slice(i + 1);
  }
  return {
    config: Object.keys(anonymous).length ? { Volumes: anonymous } : {},
    host: {
      ...(binds.length ? { Binds: binds } : {}),
      ...(mounts.length ? { Mounts: mounts } : {}),
      ...(Object.keys(tmpfs).length ? { Tmpfs: tmpfs } : {}),
      ...(list(p, 'volumes-from').length ? { VolumesFrom: list(p, 'volumes-from') } : {}),
    },
  };
}
