/**
 * The mount fields of a `POST /containers/create` body: HostConfig.Binds, Mounts, Tmpfs and
 * VolumesFrom, and Config.Volumes (anonymous volumes, which the docker CLI sends for `-v /path`).
 * Each entry is parsed here so a bad one is refused with 400 before anything is created; the
 * engine keeps them as given (inspect echoes them) and resolves them at create.
 */
import { invalidArgument } from '../../base/errors.js';
import type { CreateSpec } from './domain.js';
import { checkTarget, parseBind, parseMountJson, parseTmpfs, parseVolumesFrom } from './volume-spec.js';
import { optObject, optStringArray, optStringMap, type Json } from './validate.js';

export function volumeCreateFields(host: Json, config: Json): Pick<CreateSpec, 'binds' | 'mounts' | 'tmpfs' | 'volumesFrom' | 'volumes'> {
  const out: Pick<CreateSpec, 'binds' | 'mounts' | 'tmpfs' | 'volumesFrom' | 'volumes'> = {};
  const binds = optStringArray(host.Binds, 'HostConfig.Binds');
  if (binds?.length) {
    binds.forEach(parseBind);
    out.binds = binds;
  }
  if (host.Mounts !== undefined && host.Mounts !== null) {
    if (!Array.isArray(host.Mounts)) throw invalidArgument('HostConfig.Mounts must be an array');
    if (host.Mounts.length) out.mounts = host.Mounts.map((m, i) => parseMountJson(m, `HostConfig.Mounts[${i}]`));
  }
  const tmpfs = optStringMap(host.Tmpfs, 'HostConfig.Tmpfs');
  if (tmpfs && Object.keys(tmpfs).length) {
    for (const [p, o] of Object.entries(tmpfs)) parseTmpfs(p, o);
    out.tmpfs = tmpfs;
  }
  const from = optStringArray(host.VolumesFrom, 'HostConfig.VolumesFrom');
  if (from?.length) {
    from.forEach(parseVolumesFrom);
    out.volumesFrom = from;
  }
  const volumes = optObject(config.Volumes, 'Volumes');
  if (volumes && Object.keys(volumes).length) out.volumes = Object.keys(volumes).map((p) => checkTarget('volume', p));
  return out;
}
