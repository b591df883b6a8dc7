/** `/volumes/*`: create, list (with filters), inspect, remove, prune (Docker Engine API shapes). */
import { parseFilters } from '../../api/docker/filters.js';
import { asObject, optString, optStringMap, queryBool } from '../../api/docker/validate.js';
import { prunable, VOLUME_LIST_FILTERS, VOLUME_PRUNE_FILTERS, volumeJson, volumeMatches } from '../../api/docker/volume-json.js';
import { readJson } from './body.js';
import { sendEmpty, sendJson, type Handler, type RequestContext } from './context.js';
import type { Router } from './router.js';

async function create({ req, res, deps }: RequestContext): Promise<void> {
  const raw = await readJson(req);
  const body = raw === undefined || raw === null ? {} : asObject(raw, 'request body');
  const name = optString(body.Name, 'Name');
  const driver = optString(body.Driver, 'Driver');
  const labels = optStringMap(body.Labels, 'Labels');
  const options = optStringMap(body.DriverOpts, 'DriverOpts');
  const v = await deps.engine.volumes.create({
    ...(name ? { name } : {}), ...(driver ? { driver } : {}), ...(labels ? { labels } : {}), ...(options ? { options } : {}),
  });
  deps.log.info('volume created', { name: v.name });
  sendJson(res, 201, volumeJson(v));
}

async function list({ res, query, deps }: RequestContext): Promise<void> {
  const filters = parseFilters(query.get('filters'), VOLUME_LIST_FILTERS);
  const vols = deps.engine.volumes.list().filter((v) => volumeMatches(v, deps.engine.volumes.usersOf(v.name).length > 0, filters));
  sendJson(res, 200, { Volumes: vols.map(volumeJson), Warnings: [] });
}

async function inspect({ res, params, deps }: RequestContext): Promise<void> {
  sendJson(res, 200, volumeJson(deps.engine.volumes.inspect(params.name!)));
}

async function remove({ res, params, query, deps }: RequestContext): Promise<void> {
  await deps.engine.volumes.remove(params.name!, { force: queryBool(query.get('force')) });
  deps.log.info('volume removed', { name: params.name });
  sendEmpty(res, 204);
}

async function prune({ res, query, deps }: RequestContext): Promise<void> {
  const filters = parseFilters(query.get('filters'), VOLUME_PRUNE_FILTERS);
  const { deleted, reclaimed } = await deps.engine.volumes.prune((v) => prunable(v, false, filters));
  sendJson(res, 200, { VolumesDeleted: deleted, SpaceReclaimed: reclaimed });
}

export function volumeRoutes(r: Router<Handler>): void {
  r.add('POST', '/volumes/create', create)
    .add('POST', '/volumes/prune', prune)
    .add('GET', '/volumes', list)
    .add('GET', '/volumes/{name}', inspect)
    .add('DELETE', '/volumes/{name}', remove);
}
