/**
 * GET of one object and LIST with selectors, pagination (limit/continue) and kube's
 * resourceVersion / resourceVersionMatch semantics, over the KV's revisioned reads.
 */
import { BerthError, isBerthError } from '../../base/errors.js';
import type { ApiContext } from './context.js';
import type { Served } from './registry.js';
import { apiVersionOf } from './admission.js';
import { decodeFor, resourcePrefix } from './object-store.js';
import { kubeBadRequest, kubeGone } from './kube-errors.js';
import { parseSelection } from './selection.js';
import type { KObject } from './object-meta.js';

export interface ListResultObjects { items: KObject[]; resourceVersion: string; continue?: string }

/** Stamps apiVersion/kind of the version the client asked for (objects are stored version-neutral). */
export function present(served: Served, o: KObject): KObject {
  return { apiVersion: apiVersionOf(served.info), kind: served.info.kind, ...withoutTypeMeta(o) };
}

function withoutTypeMeta(o: KObject): KObject {
  const { apiVersion: _a, kind: _k, ...rest } = o;
  return rest as KObject;
}

interface ContinueToken { v: string; rv: number; start: string }

export function encodeContinue(rv: number, lastKey: string): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv, start: `${lastKey}\u0000` })).toString('base64url');
}

function decodeContinue(token: string): ContinueToken {
  try {
    const t = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as ContinueToken;
    if (t.v !== 'meta.k8s.io/v1' || typeof t.rv !== 'number' || typeof t.start !== 'string') throw new Error('bad token');
    return t;
  } catch {
    throw kubeBadRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  }
}

function parseRv(s: string, what = 'resourceVersion'): number {
  if (!/^\d+$/.test(s)) throw kubeBadRequest(`invalid ${what}: ${JSON.stringify(s)}`);
  return Number(s);
}

const CONTINUE_GONE = 'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.';

export async function listObjects(ctx: ApiContext, served: Served, namespace: string | undefined, query: URLSearchParams): Promise<ListResultObjects> {
  const selection = parseSelection(served, query);
  const limitRaw = query.get('limit');
  const limit = limitRaw ? Math.max(0, Number.parseInt(limitRaw, 10) || 0) : 0;
  const rvParam = query.get('resourceVersion') ?? '';
  const rvMatch = query.get('resourceVersionMatch') ?? '';
  const cont = query.get('continue') ?? '';
  if (rvMatch && !rvParam) throw kubeBadRequest('resourceVersionMatch is forbidden unless resourceVersion is provided');
  if (rvMatch && rvMatch !== 'Exact' && rvMatch !== 'NotOlderThan') throw kubeBadRequest(`resourceVersionMatch: Unsupported value: "${rvMatch}": supported values: "Exact", "NotOlderThan"`);
  if (cont && rvParam && rvParam !== '0') throw kubeBadRequest('specifying resource version is not allowed when using continue');
  if (rvMatch === 'Exact' && rvParam === '0') throw kubeBadRequest('resourceVersionMatch "exact" is forbidden for resourceVersion "0"');

  let revision = 0;
  let after: string | undefined;
  if (cont) {
    const t = decodeContinue(cont);
    revision = t.rv;
    after = t.start.replace(/\u0000$/, '');
  } else if (rvParam && rvParam !== '0') {
    const rv = parseRv(rvParam);
    const current = await ctx.kv.currentRevision();
    if (rvMatch === 'Exact') revision = rv;
    else if (rv > current) {
      const status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `Too large resource version: ${rv}, current: ${current}`, reason: 'Timeout', code: 504, details: { causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }], retryAfterSeconds: 1 } };
      throw new BerthError('Unavailable', status.message, { details: { status } });
    }
  }
  const prefix = resourcePrefix(served.info, served.info.namespaced ? namespace : undefined);
  const items: KObject[] = [];
  let lastKey: string | undefined;
  let more = false;
  let listRevision = revision;
  const pageSize = limit > 0 ? Math.max(limit, 100) : 0;
  for (;;) {
    let page;
    try {
      page = await ctx.kv.list(prefix, { ...(listRevision ? { revision: listRevision } : {}), ...(pageSize ? { limit: pageSize } : {}), ...(after ? { continueFrom: after } : {}) });
    } catch (err) {
      if (isBerthError(err, 'Gone')) throw kubeGone(cont ? CONTINUE_GONE : `The resourceVersion for the provided list is too old.`);
      throw err;
    }
    listRevision = page.revision;
    let stoppedEarly = false;
    for (let i = 0; i < page.items.length; i++) {
      const kv = page.items[i]!;
      after = kv.key;
      const o = present(served, decodeFor(served.info, kv));
      if (!selection.matches(o)) continue;
      items.push(o);
      if (limit > 0 && items.length >= limit) {
        lastKey = kv.key;
        more = i < page.items.length - 1 || page.more;
        stoppedEarly = true;
        break;
      }
    }
    if (stoppedEarly || !page.more) break;
  }
  return { items, resourceVersion: String(rvMatch === 'Exact' && revision ? revision : listRevision), ...(more && lastKey ? { continue: encodeContinue(listRevision, lastKey) } : {}) };
}
