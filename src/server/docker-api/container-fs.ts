/** Handlers over a container's filesystem: `GET /containers/{id}/changes` (docker diff). */
import { containerChanges, containerFs, type ContainerFs } from '../../engine/containers/index.js';
import { sendJson, type Handler, type RequestContext } from './context.js';
import type { ApiDeps } from './context.js';
import type { Router } from './router.js';

export function fsOf(deps: ApiDeps, ref: string): ContainerFs {
  const c = deps.engine.containers.inspect(ref);
  return containerFs(c, deps.engine.images, deps.engine.images.snapshotter);
}

async function changes({ res, params, deps }: RequestContext): Promise<void> {
  const list = containerChanges(fsOf(deps, params.id!));
  sendJson(res, 200, list.map((c) => ({ Path: c.path, Kind: c.kind })));
}

export function containerFsRoutes(r: Router<Handler>): void {
  r.add('GET', '/containers/{id}/changes', changes);
}
