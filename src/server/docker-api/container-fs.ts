/**
 * Handlers over a container's filesystem: `GET /containers/{id}/changes` (docker diff),
 * `GET|HEAD|PUT /containers/{id}/archive` (docker cp) and `GET /containers/{id}/export`.
 */
import type http from 'node:http';
import { pipeline } from 'node:stream/promises';
import { queryBool } from '../../api/docker/validate.js';
import { archivePath, containerChanges, containerFs, exportRootfs, extractArchive, statPath, type ContainerFs, type PathStat } from '../../engine/containers/index.js';
import { sendEmpty, sendJson, type ApiDeps, type Handler, type RequestContext } from './context.js';
import type { EventHub } from './event-hub.js';
import type { Router } from './router.js';

export function fsOf(deps: ApiDeps, ref: string): ContainerFs {
  const c = deps.engine.containers.inspect(ref);
  return containerFs(c, deps.engine.images, deps.engine.images.snapshotter);
}

async function changes({ res, params, deps }: RequestContext): Promise<void> {
  const list = containerChanges(fsOf(deps, params.id!));
  sendJson(res, 200, list.map((c) => ({ Path: c.path, Kind: c.kind })));
}

const statHeader = (s: PathStat) => ({ 'X-Docker-Container-Path-Stat': Buffer.from(JSON.stringify(s)).toString('base64') });

function pathParam(query: URLSearchParams): string {
  return query.get('path') ?? '';
}

async function headArchive({ res, params, query, deps }: RequestContext): Promise<void> {
  const stat = statPath(deps.engine.containers.inspect(params.id!), pathParam(query));
  res.writeHead(200, statHeader(stat));
  res.end();
}

/** Streams a tar; a failure after the headers went out can only cut the connection. */
async function streamTar(res: http.ServerResponse, tar: NodeJS.ReadableStream, headers: Record<string, string>, deps: ApiDeps, what: string): Promise<void> {
  res.writeHead(200, { 'Content-Type': 'application/x-tar', ...headers });
  try {
    await pipeline(tar, res);
  } catch (err) {
    deps.log.warn(`${what} failed`, { error: String(err) });
    res.destroy();
  }
}

/** Docker's container events for file access: archive-path, extract-to-dir, export. */
function publishAccess(hub: EventHub, c: { id: string; name: string; image: string }, action: string): void {
  hub.publish('container', action, c.id, { name: c.name, image: c.image });
}

async function getArchive({ res, params, query, deps }: RequestContext, hub: EventHub): Promise<void> {
  const c = deps.engine.containers.inspect(params.id!);
  const { stat, tar } = archivePath(c, pathParam(query));
  publishAccess(hub, c, 'archive-path');
  await streamTar(res, tar, statHeader(stat), deps, 'archive');
}

async function putArchive({ req, res, params, query, deps }: RequestContext, hub: EventHub): Promise<void> {
  const c = deps.engine.containers.inspect(params.id!);
  try {
    await extractArchive(c, pathParam(query), req, { noOverwriteDirNonDir: queryBool(query.get('noOverwriteDirNonDir')), copyUIDGID: queryBool(query.get('copyUIDGID')) });
  } catch (err) {
    req.resume();
    throw err;
  }
  publishAccess(hub, c, 'extract-to-dir');
  sendEmpty(res, 200);
}

async function exportContainer({ res, params, deps }: RequestContext, hub: EventHub): Promise<void> {
  const c = deps.engine.containers.inspect(params.id!);
  publishAccess(hub, c, 'export');
  await streamTar(res, exportRootfs(c), {}, deps, 'export');
}

export function containerFsRoutes(r: Router<Handler>, hub: EventHub): void {
  r.add('GET', '/containers/{id}/changes', changes)
    .add('HEAD', '/containers/{id}/archive', headArchive)
    .add('GET', '/containers/{id}/archive', (ctx) => getArchive(ctx, hub))
    .add('PUT', '/containers/{id}/archive', (ctx) => putArchive(ctx, hub))
    .add('GET', '/containers/{id}/export', (ctx) => exportContainer(ctx, hub));
}
