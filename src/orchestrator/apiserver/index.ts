/**
 * The Kubernetes API server's semantics over berth's storage: createApiServer wires the registry
 * (built-ins + CRDs found in storage), the object store, the service allocator and the garbage
 * collector, makes sure the standard namespaces and the `kubernetes` service exist, and answers
 * requests through handleRequest.
 */
import type { KV } from '../../storage/types.js';
import { asBerthError, isBerthError } from '../../base/errors.js';
import type { ApiRequest, ApiResponse, ApiServer } from './types.js';
import type { ApiContext, WriteOptions } from './context.js';
import { ObjectStore, decodeObject } from './object-store.js';
import { ResourceRegistry } from './registry.js';
import { ServiceAllocator, KUBERNETES_SERVICE_IP } from './service-allocator.js';
import { GarbageCollector } from './gc.js';
import { handleRequest } from './handler.js';
import { createObject } from './writes.js';
import { crdServing } from './crd-definition.js';
import { authenticateServiceAccountToken, TokenKey } from './service-account-token.js';

export type { ApiServer, ApiRequest, ApiResponse, UserInfo, WatchEventObject } from './types.js';

export interface CreateApiServerOptions {
  kv: KV;
  logger?: (m: string) => void;
  /** How often watches with allowWatchBookmarks get a BOOKMARK (default 30 s). */
  bookmarkIntervalMs?: number;
  /** The port the API is reachable on, for the `kubernetes` service's targetPort (default 6443). */
  apiPort?: number;
  /** Events a watch may queue for a client that is not reading before it is cut off (default 10,000). */
  maxQueuedWatchEvents?: number;
  /** How long Events live after their last write (kube's --event-ttl; default 1 h). */
  eventTtlSeconds?: number;
}

export const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

export async function createApiServer(opts: CreateApiServerOptions): Promise<ApiServer> {
  const log = opts.logger ?? (() => {});
  const registry = new ResourceRegistry();
  let gc: GarbageCollector | null = null;
  const ctx: ApiContext = {
    kv: opts.kv,
    store: new ObjectStore(opts.kv, opts.eventTtlSeconds ?? 3600),
    registry,
    services: new ServiceAllocator(opts.kv),
    log,
    kickGc: () => gc?.kick(),
    bookmarkIntervalMs: opts.bookmarkIntervalMs ?? 30_000,
    maxQueuedWatchEvents: opts.maxQueuedWatchEvents ?? 10_000,
    tokenKey: new TokenKey({ kv: opts.kv }),
  };
  await loadCrds(ctx);
  await bootstrap(ctx, opts.apiPort ?? 6443);
  gc = new GarbageCollector(ctx);
  await gc.start();
  let closed = false;
  return {
    async handle(req: ApiRequest): Promise<ApiResponse> {
      if (closed) throw asBerthError(new Error('the API server is shut down'));
      return handleRequest(ctx, req);
    },
    async authenticateToken(token: string) {
      if (closed) return null;
      return authenticateServiceAccountToken(ctx, ctx.tokenKey, token);
    },
    async close(): Promise<void> {
      closed = true;
      await gc?.close();
    },
  };
}

async function loadCrds(ctx: ApiContext): Promise<void> {
  const res = await ctx.kv.list('/registry/apiextensions.k8s.io/customresourcedefinitions/');
  for (const kv of res.items) {
    try {
      ctx.registry.setCrd(crdServing(decodeObject(kv)));
    } catch (err) {
      ctx.log(`skipping unreadable CRD ${kv.key}: ${asBerthError(err).message}`);
    }
  }
}

const SYSTEM_WRITE = (): WriteOptions => ({ dryRun: false, fieldManager: 'berth-apiserver', fieldValidation: 'Ignore', warnings: [], user: 'system:apiserver' });

/** The namespaces every cluster has, and default/kubernetes (the API's own service at 10.96.0.1). */
async function bootstrap(ctx: ApiContext, apiPort: number): Promise<void> {
  const ns = ctx.registry.lookup('', 'v1', 'namespaces')!;
  for (const name of SYSTEM_NAMESPACES) {
    await ignoreExists(createObject(ctx, ns, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } }, SYSTEM_WRITE()));
  }
  const svc = ctx.registry.lookup('', 'v1', 'services')!;
  await ignoreExists(
    createObject(ctx, svc, 'default', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'kubernetes', labels: { component: 'apiserver', provider: 'kubernetes' } },
      spec: { type: 'ClusterIP', clusterIP: KUBERNETES_SERVICE_IP, ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: apiPort }], sessionAffinity: 'None' },
    }, SYSTEM_WRITE()),
  );
}

async function ignoreExists(p: Promise<unknown>): Promise<void> {
  try {
    await p;
  } catch (err) {
    // Already there from an earlier start (or its IP is: it is then ours from that start).
    if (isBerthError(err, 'AlreadyExists')) return;
    if (isBerthError(err, 'InvalidArgument') && /already allocated/.test(err.message)) return;
    throw err;
  }
}
