/** `POST /containers/{id}/update` (docker update). */
import { parseUpdateRequest } from '../../api/docker/update-json.js';
import { readJson } from './body.js';
import { sendJson, type Handler, type RequestContext } from './context.js';
import type { Router } from './router.js';

async function update({ req, res, params, deps }: RequestContext): Promise<void> {
  const patch = parseUpdateRequest(await readJson(req, {}));
  const { warnings } = await deps.engine.containers.update(params.id!, patch);
  deps.log.info('container updated', { id: params.id });
  sendJson(res, 200, { Warnings: warnings });
}

export function containerUpdateRoutes(r: Router<Handler>): void {
  r.add('POST', '/containers/{id}/update', update);
}
