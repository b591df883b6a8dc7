/**
 * The Docker API's network endpoints: create, list (with filters), inspect, remove, connect,
 * disconnect and prune; and the network settings that container inspect/list show.
 */
import { invalidArgument } from '../../base/errors.js';
import { networkListFilter, networkPruneFilter } from '../../api/docker/network-filters.js';
import { networkJson, parseNetworkCreate } from '../../api/docker/network-json.js';
import { asObject, optBool, optObject, optString, optStringArray } from '../../api/docker/validate.js';
import type { ContainerInfo } from '../../engine/index.js';
import { readJson } from './body.js';
import { sendEmpty, sendJson, type ApiDeps, type Handler } from './context.js';
import type { Router } from './router.js';

export function withNetwork<T extends ContainerInfo>(deps: ApiDeps, c: T): T & { network?: NonNullable<ReturnType<ApiDeps['engine']['networks']['containerSettings']>> } {
  const s = deps.engine.networks.containerSettings(c.id);
  return s ? { ...c, network: s } : c;
}

const list: Handler = async ({ res, query, deps }) => {
  const keep = networkListFilter(query.get('filters'));
  sendJson(res, 200, deps.engine.networks.list().filter(keep).map(networkJson));
};

const inspect: Handler = async ({ res, params, deps }) => {
  sendJson(res, 200, networkJson(deps.engine.networks.inspect(params.name!)));
};

const create: Handler = async ({ req, res, deps }) => {
  const spec = parseNetworkCreate(await readJson(req));
  const n = await deps.engine.networks.create(spec);
  sendJson(res, 201, { Id: n.id, Warning: '' });
};

const remove: Handler = async ({ res, params, deps }) => {
  await deps.engine.networks.remove(params.name!);
  sendEmpty(res, 204);
};

const connect: Handler = async ({ req, res, params, deps }) => {
  const body = asObject(await readJson(req), 'request body');
  const ref = optString(body.Container, 'Container');
  if (!ref) throw invalidArgument('Container is required: name the container to connect');
  const ep = optObject(body.EndpointConfig, 'EndpointConfig') ?? {};
  const aliases = optStringArray(ep.Aliases, 'EndpointConfig.Aliases');
  const ipam = optObject(ep.IPAMConfig, 'EndpointConfig.IPAMConfig');
  const ip = ipam ? optString(ipam.IPv4Address, 'EndpointConfig.IPAMConfig.IPv4Address') : undefined;
  const c = deps.engine.containers.inspect(ref);
  await deps.engine.networks.connect(params.name!, { id: c.id, name: c.name, running: c.state.running }, { ...(aliases ? { aliases } : {}), ...(ip ? { ipv4Address: ip } : {}) });
  sendEmpty(res, 200);
};

const disconnect: Handler = async ({ req, res, params, deps }) => {
  const body = asObject(await readJson(req), 'request body');
  const ref = optString(body.Container, 'Container');
  if (!ref) throw invalidArgument('Container is required: name the container to disconnect');
  const force = optBool(body.Force, 'Force') ?? false;
  const c = deps.engine.containers.inspect(ref);
  await deps.engine.networks.disconnect(params.name!, c.id, force);
  sendEmpty(res, 200);
};

const prune: Handler = async ({ res, query, deps }) => {
  const keep = networkPruneFilter(query.get('filters'));
  const removed = await deps.engine.networks.prune(keep);
  sendJson(res, 200, { NetworksDeleted: removed });
};

export function networkRoutes(r: Router<Handler>): void {
  r.add('GET', '/networks', list)
    .add('POST', '/networks/create', create)
    .add('POST', '/networks/prune', prune)
    .add('GET', '/networks/{name}', inspect)
    .add('DELETE', '/networks/{name}', remove)
    .add('POST', '/networks/{name}/connect', connect)
    .add('POST', '/networks/{name}/disconnect', disconnect);
}
