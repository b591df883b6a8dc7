/** `/images/*`: list, inspect, history, tag, remove, load (tar upload), get (docker-save tar), prune. */
import { imageInspectJson, imageSummaryJson } from '../../api/docker/image-json.js';
import { parseFilters } from '../../api/docker/filters.js';
import { queryBool } from '../../api/docker/validate.js';
import { asBerthError, invalidArgument } from '../../base/errors.js';
import { sendJson, startStream, writeChunk, type Handler, type RequestContext } from './context.js';
import type { Router } from './router.js';
import type { ImageUser } from '../../engine/images/image-store.js';

/** Image id → the containers using it (rmi refuses these unless forced; running ones even then). */
function imagesInUse(ctx: RequestContext): Map<string, ImageUser[]> {
  const inUse = new Map<string, ImageUser[]>();
  for (const c of ctx.deps.engine.containers.list({ all: true })) {
    const users = inUse.get(c.imageId) ?? [];
    users.push({ id: c.id, running: c.state.running });
    inUse.set(c.imageId, users);
  }
  return inUse;
}

async function list(ctx: RequestContext): Promise<void> {
  const filters = parseFilters(ctx.query.get('filters'), ['dangling', 'label', 'reference', 'before', 'since']);
  const all = queryBool(ctx.query.get('all'));
  const counts = imagesInUse(ctx);
  let images = ctx.deps.engine.images.list();
  const dangling = filters.get('dangling')?.[0];
  if (dangling === 'true' || dangling === '1') images = images.filter((i) => i.repoTags.length === 0);
  if (dangling === 'false' || dangling === '0') images = images.filter((i) => i.repoTags.length > 0);
  for (const ref of filters.get('reference') ?? []) {
    const re = new RegExp(`^${ref.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '.')}$`);
    images = images.filter((i) => i.repoTags.some((t) => re.test(t) || re.test(t.replace(/:[^:/]+$/, ''))));
  }
  for (const label of filters.get('label') ?? []) {
    const [k, v] = label.split('=', 2) as [string, string | undefined];
    images = images.filter((i) => {
      const labels = i.config.config?.Labels ?? {};
      return v === undefined ? k in labels : labels[k] === v;
    });
  }
  // Without ?all, Docker hides untagged intermediate images; berth has none, so all=false lists the same.
  void all;
  images.sort((a, b) => Date.parse(b.created) - Date.parse(a.created));
  sendJson(ctx.res, 200, images.map((i) => imageSummaryJson(i, counts.get(i.id)?.length ?? 0)));
}

async function inspect({ res, params, deps }: RequestContext): Promise<void> {
  sendJson(res, 200, imageInspectJson(deps.engine.images.resolve(params.name!)));
}

async function history({ res, params, deps }: RequestContext): Promise<void> {
  sendJson(res, 200, deps.engine.images.history(params.name!));
}

async function tag({ res, params, query, deps }: RequestContext): Promise<void> {
  const repo = query.get('repo');
  if (!repo) throw invalidArgument('repo is required: name the new tag (repo[:tag])');
  const t = query.get('tag');
  await deps.engine.images.tag(params.name!, t ? `${repo}:${t}` : repo);
  res.writeHead(201);
  res.end();
}

async function remove(ctx: RequestContext): Promise<void> {
  const { res, params, query, deps } = ctx;
  const result = await deps.engine.images.remove(params.name!, { force: queryBool(query.get('force')), inUse: imagesInUse(ctx) });
  sendJson(res, 200, result);
}

function progressBar(current: number, total: number): string {
  const width = 50;
  const filled = total > 0 ? Math.min(width, Math.floor((current / total) * width)) : 0;
  const bar = `[${'='.repeat(Math.max(0, filled - 1))}${filled > 0 ? '>' : ''}${' '.repeat(width - filled)}]`;
  return `${bar} ${fmtBytes(current)}/${fmtBytes(total)}`;
}

function fmtBytes(n: number): string {
  if (n < 1000) return `${n}B`;
  const units = ['kB', 'MB', 'GB'];
  let v = n;
  let u = -1;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return `${v.toFixed(v < 10 ? 2 : v < 100 ? 1 : 0)}${units[u]}`;
}

/**
 * `POST /images/load`: the body is a docker-save or OCI archive, streamed into the store. Unless
 * quiet, progress goes out as JSON lines while the upload runs (headers flushed at once); a failure
 * after that point can only be reported in-stream, as Docker's `errorDetail` line.
 */
async function load({ req, res, query, deps }: RequestContext): Promise<void> {
  const quiet = queryBool(query.get('quiet'));
  const lines: string[] = [];
  const emit = (obj: unknown) => {
    if (quiet) lines.push(JSON.stringify(obj));
    else void writeChunk(res, `${JSON.stringify(obj)}\n`);
  };
  if (!quiet) startStream(res, 'application/json');
  try {
    const result = await deps.engine.images.load(req, (p) => {
      emit({ status: p.status, id: p.id, progressDetail: { current: p.current, total: p.total }, progress: progressBar(p.current ?? 0, p.total ?? 0) });
    });
    for (const t of result.tags) emit({ stream: `Loaded image: ${t}\n` });
    for (const img of result.images) if (img.repoTags.length === 0) emit({ stream: `Loaded image ID: ${img.id}\n` });
    deps.log.info('images loaded', { tags: result.tags, images: result.images.map((i) => i.id) });
  } catch (err) {
    req.resume();
    if (quiet) throw err;
    const e = asBerthError(err);
    deps.log.warn('image load failed', { error: e.message });
    emit({ errorDetail: { message: e.message }, error: e.message });
  }
  if (quiet) return quietReply(res, lines);
  res.end();
}

function quietReply(res: RequestContext['res'], lines: string[]): void {
  const body = lines.map((l) => `${l}\n`).join('');
  res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

/** `GET /images/get?names=…` and `GET /images/{name}/get`: a docker-save tar of the named images. */
async function get({ res, params, query, deps }: RequestContext): Promise<void> {
  const names = params.name ? [params.name] : query.getAll('names').flatMap((n) => n.split(',')).filter(Boolean);
  if (names.length === 0) throw invalidArgument('names is required: name at least one image to save');
  for (const n of names) deps.engine.images.resolve(n); // NotFound as a proper 404, before the tar starts
  startStream(res, 'application/x-tar');
  try {
    await deps.engine.images.save(names, res);
  } catch (err) {
    // Mid-stream there is no status left to send: cut the connection so the client sees a broken tar.
    deps.log.error('image save failed', { error: String(err) });
    res.destroy();
    return;
  }
  if (!res.writableEnded) res.end();
}

async function prune(ctx: RequestContext): Promise<void> {
  const filters = parseFilters(ctx.query.get('filters'), ['dangling', 'until', 'label']);
  if (filters.has('until') || filters.has('label')) throw invalidArgument('berth prunes by the dangling filter only');
  const inUse = ctx.deps.engine.containers.imagesInUse();
  const dangling = filters.get('dangling')?.[0];
  const onlyDangling = dangling === undefined || dangling === 'true' || dangling === '1';
  const deleted: Array<Record<string, string>> = [];
  let reclaimed = 0;
  // By default only untagged (dangling) images go; with dangling=false every unused image does.
  for (const img of ctx.deps.engine.images.list()) {
    if (inUse.has(img.id) || (onlyDangling && img.repoTags.length > 0)) continue;
    deleted.push(...(await ctx.deps.engine.images.remove(img.id, { force: true, inUse: new Map() })));
  }
  // Then the blobs and layer snapshots nothing references any more.
  const gc = await ctx.deps.engine.images.gc(inUse);
  reclaimed += gc.bytesFreed;
  sendJson(ctx.res, 200, { ImagesDeleted: deleted.length ? deleted : null, SpaceReclaimed: reclaimed });
}

export function imageRoutes(r: Router<Handler>): void {
  r.add('GET', '/images/json', list)
    .add('POST', '/images/load', load)
    .add('GET', '/images/get', get)
    .add('POST', '/images/prune', prune)
    .add('GET', '/images/{name*}/json', inspect)
    .add('GET', '/images/{name*}/history', history)
    .add('GET', '/images/{name*}/get', get)
    .add('POST', '/images/{name*}/tag', tag)
    .add('DELETE', '/images/{name*}', remove);
}
