/**
 * `POST /commit` (docker commit): a new image from a container's changes, with the container's
 * run config, the body's config and `changes` instructions over it. A running container is
 * paused meanwhile unless `pause=0`, so the layer is a consistent snapshot.
 */
import { applyChanges, type RunConfig } from '../../api/docker/commit-json.js';
import { optCommand, optObject, optString, optStringArray, optStringMap, queryBool } from '../../api/docker/validate.js';
import { invalidArgument } from '../../base/errors.js';
import { containerLayerTar } from '../../engine/containers/index.js';
import { familiarName } from '../../engine/images/index.js';
import type { ContainerInfo } from '../../engine/index.js';
import { readJson } from './body.js';
import { fsOf } from './container-fs.js';
import { sendJson, type Handler, type RequestContext } from './context.js';
import type { EventHub } from './event-hub.js';
import type { Router } from './router.js';

function runConfigOf(c: ContainerInfo): RunConfig {
  const k = c.config;
  return {
    User: k.user,
    ExposedPorts: k.exposedPorts,
    Env: k.env,
    Entrypoint: k.entrypoint.length ? k.entrypoint : null,
    Cmd: k.cmd.length ? k.cmd : null,
    Volumes: k.volumes,
    WorkingDir: k.workingDir,
    Labels: k.labels,
    ...(k.stopSignal ? { StopSignal: k.stopSignal } : {}),
  };
}

/** The request body's Config fields, where given, replace the container's. */
function bodyOverrides(body: unknown): Partial<RunConfig> {
  const o = optObject(body ?? undefined, 'body');
  if (!o) return {};
  const out: Partial<RunConfig> = {};
  const cmd = optCommand(o.Cmd, 'Cmd');
  if (cmd) out.Cmd = cmd;
  const ep = optCommand(o.Entrypoint, 'Entrypoint');
  if (ep) out.Entrypoint = ep;
  const env = optStringArray(o.Env, 'Env');
  if (env) out.Env = env;
  const labels = optStringMap(o.Labels, 'Labels');
  if (labels) out.Labels = labels;
  const user = optString(o.User, 'User');
  if (user) out.User = user;
  const wd = optString(o.WorkingDir, 'WorkingDir');
  if (wd) out.WorkingDir = wd;
  return out;
}

function targetRef(repo: string | null, tag: string | null): string | undefined {
  if (!repo) {
    if (tag) throw invalidArgument('a tag needs a repository name');
    return undefined;
  }
  return tag ? `${repo}:${tag}` : repo;
}

async function commit({ req, res, query, deps }: RequestContext, hub: EventHub): Promise<void> {
  const ref = query.get('container');
  if (!ref) throw invalidArgument('container is required: name the container to commit');
  const c = deps.engine.containers.inspect(ref);
  const tag = targetRef(query.get('repo'), query.get('tag'));
  const config = applyChanges({ ...runConfigOf(c), ...bodyOverrides(await readJson(req, null)) }, query.getAll('changes').flatMap((ch) => ch.split('\n')));
  const pause = c.state.running && !c.state.paused && queryBool(query.get('pause'), true);
  if (pause) await deps.engine.containers.pause(c.id);
  let id: string;
  try {
    const comment = query.get('comment');
    const author = query.get('author');
    const image = await deps.engine.images.commit(c.imageId, {
      layerTar: containerLayerTar(fsOf(deps, c.id)),
      config,
      createdBy: [c.path, ...c.args].join(' '),
      ...(comment ? { comment } : {}),
      ...(author ? { author } : {}),
      ...(tag ? { tag } : {}),
    });
    deps.log.info('container committed', { container: c.id, image: image.id, tag });
    id = image.id;
    hub.publish('container', 'commit', c.id, { name: c.name, image: c.image, imageID: image.id, ...(tag ? { imageRef: familiarName(tag) } : {}), ...(comment ? { comment } : {}) });
  } finally {
    // Before the reply: the client may look at the container as soon as it has the id.
    if (pause) await deps.engine.containers.unpause(c.id).catch((err: unknown) => deps.log.warn('unpause after commit failed', { id: c.id, error: String(err) }));
  }
  sendJson(res, 201, { Id: id });
}

export function commitRoutes(r: Router<Handler>, hub: EventHub): void {
  r.add('POST', '/commit', (ctx) => commit(ctx, hub));
}
