/**
 * Request dispatch: non-resource endpoints (version, health, OpenAPI, discovery), then resource
 * requests mapped to verbs (get, list, watch, create, update, patch, delete, deletecollection) and
 * subresources (status, scale, eviction, finalize, reviews), with query options parsed once.
 */
import type { ApiRequest, ApiResponse } from './types.js';
import type { ApiContext, FieldValidation, WriteOptions } from './context.js';
import type { Served } from './registry.js';
import { parseApiPath } from './request-path.js';
import { aggregatedDiscovery, AGGREGATED_V2, AGGREGATED_V2BETA1, apiGroupDoc, apiGroupList, apiResourceList, apiVersions, VERSION_INFO, wantsAggregated } from './discovery.js';
import { kubeBadRequest, kubeMethodNotAllowed, qualifiedResource } from './kube-errors.js';
import { BerthError } from '../../base/errors.js';
import { listObjects, present } from './reads.js';
import { createObject, deleteObject, parseDeleteOptions, updateObject } from './writes.js';
import { decodePatch, patchObject, patchTypeOf } from './patch.js';
import { startWatch } from './watch.js';
import { contentTypeOf, renderList, renderOne, representationOf } from './representation.js';
import { apiVersionOf } from './admission.js';
import { toScale, writeScale } from './scale.js';
import { evictPod } from './eviction.js';
import { bindPod } from './binding.js';
import { requestToken } from './service-account-token.js';
import { answerReview } from './reviews.js';
import { componentStatuses } from './component-status.js';
import { openapiV2Doc, openapiV3Doc, openapiV3Root } from './openapi.js';
import type { KObject } from './object-meta.js';
import { isPlainObject } from './object-meta.js';

const ok = (body: unknown, status = 200, headers?: Record<string, string>): ApiResponse => ({ kind: 'object', status, body, ...(headers && Object.keys(headers).length ? { headers } : {}) });

function notFoundPath(): BerthError {
  const status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'the server could not find the requested resource', reason: 'NotFound', details: {}, code: 404 };
  return new BerthError('NotFound', status.message, { details: { status } });
}

export async function handleRequest(ctx: ApiContext, req: ApiRequest): Promise<ApiResponse> {
  const path = req.path.length > 1 ? req.path.replace(/\/+$/, '') : req.path;
  const nonResource = handleNonResource(ctx, req, path);
  if (nonResource) return nonResource;
  const target = parseApiPath(path);
  const isRead = req.method === 'GET' || req.method === 'HEAD';
  switch (target.type) {
    case 'root-api': {
      if (!isRead) throw kubeMethodNotAllowed(`the server does not allow this method on the requested resource`);
      const agg = wantsAggregated(req.headers.accept);
      if (agg) return ok(aggregatedDiscovery(ctx.registry, 'api', agg), 200, { 'content-type': agg === 'v2' ? AGGREGATED_V2 : AGGREGATED_V2BETA1 });
      return ok(apiVersions(req.headers.host ?? '127.0.0.1:6443'));
    }
    case 'root-apis': {
      if (!isRead) throw kubeMethodNotAllowed(`the server does not allow this method on the requested resource`);
      const agg = wantsAggregated(req.headers.accept);
      if (agg) return ok(aggregatedDiscovery(ctx.registry, 'apis', agg), 200, { 'content-type': agg === 'v2' ? AGGREGATED_V2 : AGGREGATED_V2BETA1 });
      return ok(apiGroupList(ctx.registry));
    }
    case 'group': {
      const doc = isRead ? apiGroupDoc(ctx.registry, target.group) : null;
      if (!doc) throw notFoundPath();
      return ok(doc);
    }
    case 'group-version': {
      const doc = isRead ? apiResourceList(ctx.registry, target.group, target.version) : null;
      if (!doc) throw notFoundPath();
      return ok(doc);
    }
    case 'resource':
      return handleResource(ctx, req, target);
    default:
      throw notFoundPath();
  }
}

function handleNonResource(ctx: ApiContext, req: ApiRequest, path: string): ApiResponse | null {
  if (path === '/version') return ok(VERSION_INFO);
  if (/^\/(healthz|livez|readyz)(\/.*)?$/.test(path)) return ok('ok', 200, { 'content-type': 'text/plain; charset=utf-8' });
  if (path === '/openapi/v2') {
    // Only JSON is offered; a client asking solely for the protobuf form gets 406 and falls back.
    const accept = req.headers.accept ?? '';
    if (accept && !/json|\*\/\*/.test(accept)) {
      const status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'only application/json is supported for /openapi/v2', reason: 'NotAcceptable', code: 406 };
      throw new BerthError('InvalidArgument', status.message, { details: { status } });
    }
    return ok(openapiV2Doc());
  }
  if (path === '/openapi/v3') return ok(openapiV3Root(ctx.registry));
  if (path.startsWith('/openapi/v3/')) {
    const doc = openapiV3Doc(ctx.registry, path.slice('/openapi/v3/'.length));
    if (!doc) throw notFoundPath();
    return ok(doc, 200, req.query.get('hash') ? { 'cache-control': 'public, immutable', etag: `"${req.query.get('hash')}"` } : undefined);
  }
  if (path === '/' || path === '') return ok({ paths: ['/api', '/api/v1', '/apis', '/healthz', '/livez', '/openapi/v2', '/openapi/v3', '/readyz', '/version'] });
  return null;
}

function writeOptions(req: ApiRequest): WriteOptions {
  const dryRun = req.query.getAll('dryRun');
  // DELETE carries dryRun in its DeleteOptions body too (kubectl delete --dry-run=server), as does an Eviction's deleteOptions.
  const body = isPlainObject(req.body) ? req.body : {};
  const bodyOptions = req.method === 'DELETE' ? body : isPlainObject(body.deleteOptions) ? body.deleteOptions : {};
  if (Array.isArray(bodyOptions.dryRun)) for (const d of bodyOptions.dryRun) dryRun.push(String(d));
  for (const d of dryRun) if (d !== 'All') throw kubeBadRequest(`Invalid dry run value: ${JSON.stringify(d)}; supported values: "All"`);
  const fv = req.query.get('fieldValidation') ?? 'Warn';
  if (fv !== 'Strict' && fv !== 'Warn' && fv !== 'Ignore') throw kubeBadRequest(`fieldValidation must be one of "Ignore", "Warn", "Strict", got "${fv}"`);
  let manager = req.query.get('fieldManager') ?? '';
  if (manager.length > 128) throw kubeBadRequest('fieldManager: Too long: may not be more than 128 bytes');
  if (!manager) manager = (req.headers['user-agent'] ?? 'unknown').split('/')[0]!.trim() || 'unknown';
  return { dryRun: dryRun.length > 0, fieldManager: manager, fieldValidation: fv as FieldValidation, warnings: [], user: req.user.name };
}

function warningHeaders(opts: WriteOptions): Record<string, string> | undefined {
  if (opts.warnings.length === 0) return undefined;
  return { warning: opts.warnings.map((w) => `299 - ${JSON.stringify(w)}`).join(', ') };
}

async function handleResource(ctx: ApiContext, req: ApiRequest, t: Extract<ReturnType<typeof parseApiPath>, { type: 'resource' }>): Promise<ApiResponse> {
  const served = ctx.registry.lookup(t.group, t.version, t.plural);
  if (!served) throw notFoundPath();
  const info = served.info;
  if (!info.namespaced && t.namespace !== undefined) throw notFoundPath();
  const namespace = info.namespaced ? t.namespace : undefined;
  const sub = t.subresource;
  if (sub !== undefined && !info.subresources.some((s) => s.name === sub)) throw notFoundPath();
  if (info.group === '' && info.plural === 'bindings') {
    if (req.method !== 'POST' || namespace === undefined || t.name !== undefined) throw kubeMethodNotAllowed('the server does not allow this method on the requested resource');
    return ok(await bindPod(ctx, ctx.registry.lookup('', 'v1', 'pods')!, namespace, undefined, req.body, writeOptions(req)), 201);
  }
  if (info.virtual) return handleVirtual(ctx, req, served);

  const isRead = req.method === 'GET' || req.method === 'HEAD';
  const rep = representationOf(req.headers.accept, req.query);
  const listApiVersion = apiVersionOf(info);
  const watching = t.legacyWatch || (isRead && t.name === undefined && (req.query.get('watch') === 'true' || req.query.get('watch') === '1'));
  if (t.legacyWatch && !isRead) throw kubeMethodNotAllowed('watch paths only support GET');

  if (watching) {
    requireVerb(served, 'watch', req.method);
    const query = new URLSearchParams(req.query);
    if (t.name !== undefined) {
      // A legacy /watch/.../{name} watches one object: kube turns it into a name field selector.
      const fs = query.get('fieldSelector');
      query.set('fieldSelector', fs ? `${fs},metadata.name=${t.name}` : `metadata.name=${t.name}`);
    }
    const events = await startWatch(ctx, { served, namespace, query, signal: req.signal, render: (o) => renderOne(served, rep, o) });
    const ct = contentTypeOf(rep, false);
    return { kind: 'watch', status: 200, events, ...(ct ? { headers: { 'content-type': ct } } : {}) };
  }

  if (t.name === undefined) {
    if (isRead) {
      requireVerb(served, 'list', req.method);
      const res = await listObjects(ctx, served, namespace, req.query);
      const ct = contentTypeOf(rep, true);
      return ok(renderList(served, rep, res.items, { resourceVersion: res.resourceVersion, ...(res.continue ? { continue: res.continue } : {}) }, listApiVersion), 200, ct ? { 'content-type': ct } : undefined);
    }
    if (req.method === 'POST') {
      requireVerb(served, 'create', req.method);
      if (info.namespaced && namespace === undefined) throw notFoundPath();
      const opts = writeOptions(req);
      await refuseTerminatingCrd(ctx, served);
      const created = await createObject(ctx, served, namespace, req.body, opts);
      return ok(renderOne(served, rep, created), 201, withContentType(warningHeaders(opts), contentTypeOf(rep, false)));
    }
    if (req.method === 'DELETE') {
      requireVerb(served, 'deletecollection', req.method);
      const opts = writeOptions(req);
      const options = parseDeleteOptions(req.body, req.query);
      const res = await listObjects(ctx, served, namespace, withoutPaging(req.query));
      const deleted: KObject[] = [];
      for (const o of res.items) {
        try {
          deleted.push((await deleteObject(ctx, served, o.metadata.namespace, o.metadata.name!, options, opts)).obj);
        } catch (err) {
          if (!(err instanceof BerthError && err.code === 'NotFound')) throw err;
        }
      }
      return ok({ kind: info.listKind, apiVersion: listApiVersion, metadata: { resourceVersion: String(await ctx.kv.currentRevision()) }, items: deleted });
    }
    throw kubeMethodNotAllowed(`the server does not allow this method on the requested resource`);
  }

  const name = t.name;
  if (info.namespaced && namespace === undefined) throw notFoundPath();
  if (sub === undefined || sub === 'status' || sub === 'finalize') return handleObject(ctx, req, served, namespace, name, sub, rep);
  if (sub === 'scale') {
    const opts = writeOptions(req);
    if (isRead) return ok(toScale(served, (await ctx.store.mustGet(info, namespace, name)).obj));
    if (req.method === 'PUT') return ok(await writeScale(ctx, served, namespace, name, { put: req.body }, opts), 200, warningHeaders(opts));
    if (req.method === 'PATCH') {
      const type = patchTypeOf(req.contentType);
      if (type === 'apply' || type === 'strategic') {
        // Scale has no list fields, so a strategic patch is a merge patch; apply is treated the same way.
        return ok(await writeScale(ctx, served, namespace, name, { patch: { type: 'merge', doc: req.body } }, opts), 200, warningHeaders(opts));
      }
      return ok(await writeScale(ctx, served, namespace, name, { patch: { type, doc: req.body } }, opts), 200, warningHeaders(opts));
    }
    throw kubeMethodNotAllowed('the server does not allow this method on the requested resource');
  }
  if (sub === 'binding' && info.group === '' && info.plural === 'pods') {
    if (req.method !== 'POST') throw kubeMethodNotAllowed('the server does not allow this method on the requested resource');
    return ok(await bindPod(ctx, served, namespace!, name, req.body, writeOptions(req)), 201);
  }
  if (sub === 'eviction' && info.group === '' && info.plural === 'pods') {
    if (req.method !== 'POST') throw kubeMethodNotAllowed('the server does not allow this method on the requested resource');
    const opts = writeOptions(req);
    return ok(await evictPod(ctx, served, namespace!, name, req.body, opts), 201);
  }
  if (sub === 'token' && info.group === '' && info.plural === 'serviceaccounts') {
    if (req.method !== 'POST') throw kubeMethodNotAllowed('the server does not allow this method on the requested resource');
    return ok(await requestToken(ctx, ctx.tokenKey, served, namespace!, name, req.body, writeOptions(req)), 201);
  }
  throw new BerthError('NotImplemented', `${qualifiedResource(info.group, info.plural)}/${sub} is not served by the API server itself (it belongs to the node agent)`, {
    details: { status: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `${info.plural}/${sub} is not supported yet`, reason: 'MethodNotAllowed', code: 405 } },
  });
}

function withContentType(headers: Record<string, string> | undefined, ct: string | undefined): Record<string, string> | undefined {
  if (!ct) return headers;
  return { ...(headers ?? {}), 'content-type': ct };
}

function withoutPaging(q: URLSearchParams): URLSearchParams {
  const out = new URLSearchParams(q);
  out.delete('limit');
  out.delete('continue');
  return out;
}

function requireVerb(served: Served, verb: string, method: string): void {
  if (!served.info.verbs.includes(verb)) throw kubeMethodNotAllowed(`the server does not allow this method on the requested resource (${method} ${served.info.plural})`);
}

async function refuseTerminatingCrd(ctx: ApiContext, served: Served): Promise<void> {
  if (!served.crd) return;
  const crd = await ctx.kv.get(`/registry/apiextensions.k8s.io/customresourcedefinitions/${served.crd.serving.crdName}`);
  if (crd && crd.value.includes('"deletionTimestamp"')) {
    throw kubeMethodNotAllowed(`create not allowed while custom resource definition is terminating`);
  }
}

async function handleObject(ctx: ApiContext, req: ApiRequest, served: Served, namespace: string | undefined, name: string, sub: string | undefined, rep: ReturnType<typeof representationOf>): Promise<ApiResponse> {
  const info = served.info;
  const ct = contentTypeOf(rep, false);
  switch (req.method) {
    case 'GET':
    case 'HEAD': {
      requireVerb(served, 'get', req.method);
      const found = await ctx.store.mustGet(info, namespace, name);
      return ok(renderOne(served, rep, present(served, found.obj)), 200, ct ? { 'content-type': ct } : undefined);
    }
    case 'PUT': {
      requireVerb(served, 'update', req.method);
      const opts = writeOptions(req);
      const { obj, created } = await updateObject(ctx, served, namespace, name, req.body, opts, sub);
      return ok(renderOne(served, rep, obj), created ? 201 : 200, withContentType(warningHeaders(opts), ct));
    }
    case 'PATCH': {
      requireVerb(served, 'patch', req.method);
      if (sub === 'finalize') throw kubeMethodNotAllowed('the server does not allow this method on the requested resource');
      const opts = writeOptions(req);
      const type = patchTypeOf(req.contentType);
      const force = req.query.get('force') === 'true';
      if (req.query.has('force') && type !== 'apply') throw kubeBadRequest('force: Forbidden: may not be specified for non-apply patch');
      if (type === 'apply' && !req.query.get('fieldManager')) throw kubeBadRequest('PATCH, application/apply-patch+yaml requires fieldManager to be set');
      const doc = decodePatch(type, req.body);
      const res = await patchObject(ctx, served, namespace, name, type, doc, opts, force, sub);
      return ok(renderOne(served, rep, res.obj), res.created ? 201 : 200, withContentType(warningHeaders(opts), ct));
    }
    case 'DELETE': {
      if (sub !== undefined) throw kubeMethodNotAllowed('the server does not allow this method on the requested resource');
      requireVerb(served, 'delete', req.method);
      const opts = writeOptions(req);
      const options = parseDeleteOptions(req.body, req.query);
      const res = await deleteObject(ctx, served, namespace, name, options, opts);
      const returnsObject = !res.deleted || (info.group === '' && (info.plural === 'pods' || info.plural === 'namespaces')) || served.crd !== undefined;
      if (returnsObject) return ok(renderOne(served, rep, res.obj), !res.deleted && isPlainObject(req.body) && req.body.orphanDependents === false ? 202 : 200, ct ? { 'content-type': ct } : undefined);
      return ok({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { name, group: info.group, kind: info.plural, uid: res.obj.metadata.uid } });
    }
    default:
      throw kubeMethodNotAllowed('the server does not allow this method on the requested resource');
  }
}

async function handleVirtual(ctx: ApiContext, req: ApiRequest, served: Served): Promise<ApiResponse> {
  if (served.info.plural === 'componentstatuses' && (req.method === 'GET' || req.method === 'HEAD')) {
    const target = parseApiPath(req.path.replace(/\/+$/, ''));
    return ok(await componentStatuses(ctx, target.type === 'resource' ? target.name : undefined));
  }
  if (req.method !== 'POST') throw kubeMethodNotAllowed(`the server does not allow this method on the requested resource`);
  return ok(answerReview(served.info.kind, apiVersionOf(served.info), req.body, req.user), 201);
}

