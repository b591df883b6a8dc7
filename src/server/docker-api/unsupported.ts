/**
 * Everything the docker CLI may ask for that berth does not do yet answers 501 with a message
 * that names the feature: never a silent success. Lookups of one network/volume/plugin answer 404
 * instead, because `docker inspect X` tries each object kind in turn and only moves on after a 404.
 */
import { notFound, notImplemented } from '../../base/errors.js';
import type { Handler } from './context.js';
import type { Router } from './router.js';

const unsupported = (what: string): Handler => async () => {
  throw notImplemented(`berth does not support ${what} yet`);
};

const noSuch = (kind: string): Handler => async ({ params }) => {
  throw notFound(`no such ${kind}: ${params.name} (berth does not support ${kind}s yet)`);
};

export function unsupportedRoutes(r: Router<Handler>): void {
  r.add('POST', '/images/create', unsupported('pulling images (docker pull)'))
    .add('GET', '/images/search', unsupported('searching registries'))
    .add('POST', '/images/{name*}/push', unsupported('pushing images (docker push)'))
    .add('POST', '/build', unsupported('building images (docker build)'))
    .add('*', '/volumes/{rest*}', unsupported('cluster volumes (swarm)'))
    .add('GET', '/plugins/{name}/json', noSuch('plugin'))
    .add('*', '/plugins', unsupported('plugins'))
    .add('*', '/plugins/{rest*}', unsupported('plugins'));
  for (const swarm of ['swarm', 'nodes', 'services', 'tasks', 'secrets', 'configs']) {
    r.add('*', `/${swarm}`, unsupported('swarm mode')).add('*', `/${swarm}/{rest*}`, unsupported('swarm mode'));
  }
  r.add('POST', '/auth', unsupported('registry login'))
    .add('GET', '/distribution/{name*}/json', unsupported('registry lookups'))
    .add('*', '/session', unsupported('BuildKit sessions'))
    .add('*', '/grpc', unsupported('BuildKit (set DOCKER_BUILDKIT=0)'))
    .add('GET', '/containers/{id}/attach/ws', unsupported('WebSocket attach'));
}
