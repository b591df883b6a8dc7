/** `/containers/*`: create, list, inspect, lifecycle, wait, logs, stats, top, resize, prune. */
import { containerInspectJson, containerListJson } from '../../api/docker/container-json.js';
import { withNetwork } from './networks.js';
import { parseCreateRequest } from '../../api/docker/create-request.js';
import { CONTAINER_FILTERS, containerMatches, parseFilters } from '../../api/docker/filters.js';
import { frame } from '../../api/docker/stdcopy.js';
import { statsJson } from '../../api/docker/stats-json.js';
import { queryBool, queryInt } from '../../api/docker/validate.js';
import { asBerthError, BerthError, invalidArgument, isBerthError } from '../../base/errors.js';
import { dockerStartErrorMessage } from '../../api/docker/start-errors.js';
import type { ContainerStats, LogOptions, WaitCondition } from '../../engine/containers/types.js';
import { changesSize } from '../../engine/containers/index.js';
import { readJson } from './body.js';
import { fsOf } from './container-fs.js';
import { sendEmpty, sendJson, startStream, writeChunk, type RequestContext } from './context.js';
import type { Router } from './router.js';
import type { Handler } from './context.js';
import { MULTIPLEXED_STREAM, RAW_STREAM } from './stream-session.js';

async function create({ req, res, query, deps }: RequestContext): Promise<void> {
  const spec = parseCreateRequest(await readJson(req), query.get('name'));
  const info = await deps.engine.containers.create(spec);
  deps.log.info('container created', { id: info.id, name: info.name, image: info.image });
  sendJson(res, 201, { Id: info.id, Warnings: [] });
}

async function list({ res, query, deps }: RequestContext): Promise<void> {
  const filters = parseFilters(query.get('filters'), CONTAINER_FILTERS);
  const limit = queryInt(query.get('limit'), 'limit', -1)!;
  // Docker: a limit (`ps -n` / `ps -l`) counts the latest containers in any state.
  const all = queryBool(query.get('all')) || limit > 0 || filters.has('status') || filters.has('exited');
  const every = deps.engine.containers.list({ all: true });
  let items = deps.engine.containers.list({ all }).filter((c) => containerMatches(c, filters, every));
  items.sort((a, b) => Date.parse(b.created) - Date.parse(a.created));
  if (limit > 0) items = items.slice(0, limit);
  const now = Date.now();
  const size = queryBool(query.get('size'));
  sendJson(res, 200, items.map((c) => ({ ...containerListJson(withNetwork(deps, c), now), ...(size ? sizeFields(deps, c.id, c.imageId) : {}) })));
}

/** `size=1` (docker ps -s, docker inspect -s): the writable layer, and it plus the image. */
function sizeFields(deps: RequestContext['deps'], id: string, imageId: string): { SizeRw: number; SizeRootFs: number } {
  const rw = writableLayerSize(deps, id);
  let image = 0;
  try {
    image = deps.engine.images.resolve(imageId).size;
  } catch {
    // Removed with force while the container lives on: only the container's own bytes count.
  }
  return { SizeRw: rw, SizeRootFs: rw + image };
}

async function inspect({ res, params, query, deps }: RequestContext): Promise<void> {
  const c = deps.engine.containers.inspect(params.id!);
  const size = queryBool(query.get('size')) ? sizeFields(deps, c.id, c.imageId) : {};
  sendJson(res, 200, { ...containerInspectJson(withNetwork(deps, c)), ...size });
}

async function start({ res, params, deps }: RequestContext): Promise<void> {
  const c = deps.engine.containers.inspect(params.id!);
  if (c.state.running) return sendEmpty(res, 304);
  try {
    await deps.engine.containers.start(c.id);
  } catch (err) {
    // As in Docker, an --rm container that cannot start is removed (a `wait?condition=removed`
    // client would otherwise hang); the start error is still what the client gets.
    if (c.options.autoRemove) {
      await deps.engine.containers.remove(c.id, { force: true }).catch((e) => deps.log.warn('removing an --rm container after a failed start failed', { id: c.id, error: String(e) }));
    }
    const e = asBerthError(err);
    throw new BerthError(e.code, dockerStartErrorMessage(e.message), { cause: err });
  }
  sendEmpty(res, 204);
}

function timeout(query: URLSearchParams): number | undefined {
  return queryInt(query.get('t') ?? query.get('timeout'), 't');
}

async function stop({ res, params, query, deps }: RequestContext): Promise<void> {
  const c = deps.engine.containers.inspect(params.id!);
  if (!c.state.running) return sendEmpty(res, 304);
  await deps.engine.containers.stop(c.id, timeout(query));
  sendEmpty(res, 204);
}

async function restart({ res, params, query, deps }: RequestContext): Promise<void> {
  await deps.engine.containers.restart(params.id!, timeout(query));
  sendEmpty(res, 204);
}

async function kill({ res, params, query, deps }: RequestContext): Promise<void> {
  await deps.engine.containers.kill(params.id!, query.get('signal') || undefined);
  sendEmpty(res, 204);
}

async function pause({ res, params, deps }: RequestContext): Promise<void> {
  await deps.engine.containers.pause(params.id!);
  sendEmpty(res, 204);
}

async function unpause({ res, params, deps }: RequestContext): Promise<void> {
  await deps.engine.containers.unpause(params.id!);
  sendEmpty(res, 204);
}

async function rename({ res, params, query, deps }: RequestContext): Promise<void> {
  const name = query.get('name');
  if (!name) throw invalidArgument('a new container name is required: give ?name=');
  await deps.engine.containers.rename(params.id!, name.replace(/^\//, ''));
  sendEmpty(res, 204);
}

async function remove({ res, params, query, deps }: RequestContext): Promise<void> {
  if (queryBool(query.get('link'))) throw invalidArgument('berth has no container links to remove');
  await deps.engine.containers.remove(params.id!, { force: queryBool(query.get('force')), volumes: queryBool(query.get('v')) });
  sendEmpty(res, 204);
}

const WAIT_CONDITIONS: WaitCondition[] = ['not-running', 'next-exit', 'removed'];

/**
 * The docker CLI waits for these headers before it starts the container, so they are flushed
 * before the wait can finish; the body comes when the condition holds.
 */
async function wait({ res, params, query, deps }: RequestContext): Promise<void> {
  const condition = (query.get('condition') || 'not-running') as WaitCondition;
  if (!WAIT_CONDITIONS.includes(condition)) throw invalidArgument(`invalid condition "${condition}": use not-running, next-exit or removed`);
  const id = deps.engine.containers.inspect(params.id!).id;
  const result = deps.engine.containers.wait(id, condition);
  startStream(res, 'application/json');
  try {
    const { exitCode, error } = await result;
    res.end(JSON.stringify({ StatusCode: exitCode, Error: error ? { Message: error } : null }));
  } catch (err) {
    res.end(JSON.stringify({ StatusCode: -1, Error: { Message: (err as Error).message } }));
  }
}

function parseSince(v: string | null, field: string): number | undefined {
  if (!v) return undefined;
  if (!/^\d+(\.\d+)?$/.test(v)) throw invalidArgument(`${field} must be a unix timestamp, got "${v}"`);
  const n = Number(v);
  return n === 0 ? undefined : n;
}

async function logs({ res, params, query, deps }: RequestContext): Promise<void> {
  const c = deps.engine.containers.inspect(params.id!);
  const opts: LogOptions = {
    follow: queryBool(query.get('follow')),
    stdout: queryBool(query.get('stdout')),
    stderr: queryBool(query.get('stderr')),
    timestamps: queryBool(query.get('timestamps')),
  };
  if (!opts.stdout && !opts.stderr) throw invalidArgument('you must choose at least one stream: stdout or stderr');
  const tail = query.get('tail');
  if (tail && tail !== 'all') opts.tail = queryInt(tail, 'tail')!;
  const since = parseSince(query.get('since'), 'since');
  const until = parseSince(query.get('until'), 'until');
  if (since !== undefined) opts.since = since;
  if (until !== undefined) opts.until = until;
  const entries = deps.engine.containers.logs(c.id, opts)[Symbol.asyncIterator]();
  const tty = c.config.tty;
  startStream(res, tty ? RAW_STREAM : MULTIPLEXED_STREAM);
  // The client going away ends a follow: return() releases the engine's log reader.
  res.once('close', () => void entries.return?.());
  for (;;) {
    const next = await entries.next();
    if (next.done || res.destroyed) break;
    const e = next.value;
    const data = opts.timestamps ? Buffer.concat([Buffer.from(`${e.time} `), e.data]) : e.data;
    if (!(await writeChunk(res, tty ? data : frame(e.stream, data)))) break;
  }
  if (!res.writableEnded) res.end();
}

async function stats({ res, params, query, deps }: RequestContext): Promise<void> {
  const c = deps.engine.containers.inspect(params.id!);
  const stream = queryBool(query.get('stream'), true);
  const oneShot = queryBool(query.get('one-shot'));
  const sample = async (): Promise<ContainerStats | null> => {
    try {
      return await deps.engine.containers.stats(c.id);
    } catch (err) {
      // A stopped (or just-removed) container has no cgroup to read: Docker reports zeros.
      if (isBerthError(err, 'FailedPrecondition') || isBerthError(err, 'NotFound')) return null;
      throw err;
    }
  };
  if (!stream) {
    let prev: ContainerStats | null = null;
    let cur = await sample();
    if (!oneShot && cur) {
      // Two samples so precpu_stats is filled and the CLI can compute a CPU percentage.
      prev = cur;
      await new Promise((r) => setTimeout(r, 500));
      cur = (await sample()) ?? prev;
    }
    return sendJson(res, 200, statsJson(c.id, c.name, cur, prev));
  }
  startStream(res, 'application/json');
  let prev: ContainerStats | null = null;
  let closed = false;
  res.once('close', () => {
    closed = true;
  });
  while (!closed) {
    const cur = await sample();
    if (!(await writeChunk(res, `${JSON.stringify(statsJson(c.id, c.name, cur, prev))}\n`))) break;
    prev = cur;
    await new Promise((r) => setTimeout(r, 1000));
  }
  if (!res.writableEnded) res.end();
}

async function top({ res, params, query, deps }: RequestContext): Promise<void> {
  const out = await deps.engine.containers.top(params.id!, query.get('ps_args') || undefined);
  sendJson(res, 200, { Titles: out.titles, Processes: out.processes });
}

async function resize({ res, params, query, deps }: RequestContext): Promise<void> {
  const h = queryInt(query.get('h'), 'h');
  const w = queryInt(query.get('w'), 'w');
  if (h === undefined || w === undefined || h < 0 || w < 0) throw invalidArgument('resize needs non-negative h and w');
  await deps.engine.containers.resize(params.id!, h, w);
  sendEmpty(res, 200);
}

/** Bytes a container's removal frees (its writable layer), as Docker's prune reports them. */
function writableLayerSize(deps: RequestContext['deps'], id: string): number {
  try {
    return changesSize(fsOf(deps, id));
  } catch {
    return 0;
  }
}

async function prune({ res, deps }: RequestContext): Promise<void> {
  const deleted: string[] = [];
  let reclaimed = 0;
  for (const c of deps.engine.containers.list({ all: true })) {
    if (c.state.status !== 'exited' && c.state.status !== 'created' && c.state.status !== 'dead') continue;
    try {
      const size = writableLayerSize(deps, c.id);
      await deps.engine.containers.remove(c.id);
      deleted.push(c.id);
      reclaimed += size;
    } catch (err) {
      // Another client may have removed or started it meanwhile: prune what it can.
      deps.log.debug('prune skipped a container', { id: c.id, error: String(err) });
    }
  }
  sendJson(res, 200, { ContainersDeleted: deleted, SpaceReclaimed: reclaimed });
}

export function containerRoutes(r: Router<Handler>): void {
  r.add('POST', '/containers/create', create)
    .add('GET', '/containers/json', list)
    .add('POST', '/containers/prune', prune)
    .add('GET', '/containers/{id}/json', inspect)
    .add('POST', '/containers/{id}/start', start)
    .add('POST', '/containers/{id}/stop', stop)
    .add('POST', '/containers/{id}/restart', restart)
    .add('POST', '/containers/{id}/kill', kill)
    .add('POST', '/containers/{id}/pause', pause)
    .add('POST', '/containers/{id}/unpause', unpause)
    .add('POST', '/containers/{id}/rename', rename)
    .add('POST', '/containers/{id}/wait', wait)
    .add('POST', '/containers/{id}/resize', resize)
    .add('DELETE', '/containers/{id}', remove)
    .add('GET', '/containers/{id}/logs', logs)
    .add('GET', '/containers/{id}/stats', stats)
    .add('GET', '/containers/{id}/top', top);
}
