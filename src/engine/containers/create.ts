/**
 * Creating a container: the name reserved while the container is built (build-container.ts), the
 * network prepared and the volumes attached through their hooks, the record saved; on failure
 * everything made so far goes. The runtime container is made ahead right after the answer.
 */
import fs from 'node:fs';
import { asBerthError, failedPrecondition, notImplemented } from '../../base/errors.js';
import { parseBind, parseTmpfs, parseVolumesFrom } from '../../api/docker/volume-spec.js';
import { buildContainer, normalizeCreateOptions } from './build-container.js';
import { networkedContainer } from './container-network.js';
import type { ManagerContext } from './context.js';
import { newLive } from './live.js';
import { generateName, newId, validateName } from './names.js';
import { inspectContainer } from './queries.js';
import { prepareAhead } from './runtime-container.js';
import { saveRecord } from './store.js';
import type { ContainerInfo, CreateContainerOptions } from './types.js';

export async function createContainer(ctx: ManagerContext, input: CreateContainerOptions): Promise<ContainerInfo> {
  ctx.assertOpen();
  const options = normalizeCreateOptions(input, ctx.o.runtime);
  const mode = options.networkMode ?? '';
  if (!ctx.o.network && !['', 'none', 'host', 'default', 'bridge'].includes(mode)) throw notImplemented(`network mode "${mode}" needs berth's networking, which this daemon runs without`);
  const name = input.name ? validateName(input.name) : generateName((n) => ctx.nameTaken(n));
  if (ctx.nameTaken(name)) throw ctx.nameInUse(name);
  const image = ctx.o.images.resolve(options.image);
  const id = newId();
  const dir = ctx.dir(id);
  ctx.reservedNames.add(name); // no await since the check above: two creates cannot both take it
  let prepared = false;
  let networked = false;
  const network = ctx.o.network;
  const prepareNetwork = network
    ? async (config: ContainerInfo['config']) => {
        const r = await network.prepare(networkedContainer({ id, name, options, config }), (ref) => {
          const other = ctx.get(ref);
          return { id: other.rec.info.id, name: other.rec.info.name };
        });
        networked = true;
        return r;
      }
    : undefined;
  try {
    const rec = await buildContainer({ snapshots: ctx.o.snapshots, kit: ctx.o.kit, log: ctx.log }, { id, name, dir, options, image, onPrepared: () => (prepared = true), ...(prepareNetwork ? { prepareNetwork } : {}),
      attachVolumes: (rootfs, config) => attachVolumes(ctx, id, options, rootfs, Object.keys(config.volumes)) });
    saveRecord(ctx.o.root, rec);
    const l = newLive(rec, true);
    ctx.live.set(id, l);
    ctx.emit('create', id);
    // After this call's reply is on its way (setImmediate), not before it.
    setImmediate(() => prepareAhead(ctx, l));
    return inspectContainer(ctx, id);
  } catch (err) {
    await ctx.o.volumes?.release(id, { removeAnonymous: true }).catch((e: unknown) => ctx.log(`cleanup of ${id}: volumes: ${String(e)}`));
    if (prepared) await ctx.o.snapshots.remove(id).catch((e: unknown) => ctx.log(`cleanup of ${id}: ${String(e)}`));
    if (networked) await network?.release(id);
    fs.rmSync(dir, { recursive: true, force: true });
    throw asBerthError(err);
  } finally {
    ctx.reservedNames.delete(name);
  }
}

/** Resolves --volumes-from against the containers here, then lets the volumes hook attach everything. */
async function attachVolumes(ctx: ManagerContext, id: string, options: CreateContainerOptions, rootfs: string, imageVolumes: string[]) {
  const volumesFrom = (options.volumesFrom ?? []).map((raw) => {
    const { container, mode } = parseVolumesFrom(raw);
    return { mode, mountPoints: ctx.get(container).rec.info.mountPoints ?? [] };
  });
  const mounts = [...(options.binds ?? []).map(parseBind), ...(options.mounts ?? []), ...Object.entries(options.tmpfs ?? {}).map(([p, o]) => parseTmpfs(p, o))];
  if (!ctx.o.volumes) {
    if (mounts.length || volumesFrom.length) throw failedPrecondition('this daemon has no volume support configured');
    return [];
  }
  return ctx.o.volumes.attach({ containerId: id, rootfs, mounts, volumesFrom, imageVolumes });
}
