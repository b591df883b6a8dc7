/**
 * Service account tokens: POST serviceaccounts/<name>/token (a TokenRequest, what `kubectl create
 * token` sends) answers a signed, expiring JWT naming the service account, and authenticateToken
 * turns such a token back into the user `system:serviceaccount:<ns>:<name>` with the groups
 * system:serviceaccounts and system:serviceaccounts:<ns> — for the transport, which asks the
 * apiserver about bearer tokens it does not know itself.
 * Like kube's bound tokens, a token dies with its service account: it carries the account's uid and
 * is refused once no account of that name and uid exists. Signing is HMAC-SHA256 with a random key
 * kept in the store (so every apiserver on one etcd accepts the others' tokens); the key never
 * leaves the server, and no one else needs to verify these tokens offline.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { isBerthError } from '../../base/errors.js';
import type { ApiContext, WriteOptions } from './context.js';
import type { Served } from './registry.js';
import type { UserInfo } from './types.js';
import { kubeInvalid } from './kube-errors.js';
import { isPlainObject } from './object-meta.js';

/** The audience of tokens for this API (kube's default --api-audiences). */
export const API_AUDIENCE = 'https://kubernetes.default.svc.cluster.local';
const ISSUER = API_AUDIENCE;
const KEY_PATH = '/registry/berth.dev/serviceaccount-token-signing-key';
const DEFAULT_EXPIRATION_S = 3600;
const MIN_EXPIRATION_S = 600; // kube's minimum
const MAX_EXPIRATION_S = 2 ** 32; // kube caps at 2^32 seconds

interface Claims {
  iss: string;
  aud: string[];
  sub: string;
  exp: number;
  iat: number;
  nbf: number;
  'kubernetes.io': { namespace: string; serviceaccount: { name: string; uid: string } };
}

const b64url = (b: Buffer | string) => Buffer.from(b).toString('base64url');

/** The signing key: created once (racing creators settle on the first one stored), then cached. */
export class TokenKey {
  private key: Promise<Buffer> | null = null;
  constructor(private readonly ctx: Pick<ApiContext, 'kv'>) {}

  get(): Promise<Buffer> {
    this.key ??= this.load().catch((err) => {
      this.key = null; // the store may be back next time
      throw err;
    });
    return this.key;
  }

  private async load(): Promise<Buffer> {
    const existing = await this.ctx.kv.get(KEY_PATH);
    if (existing) return Buffer.from(existing.value.toString('utf8'), 'base64');
    try {
      await this.ctx.kv.create(KEY_PATH, randomBytes(32).toString('base64'));
    } catch (err) {
      if (!isBerthError(err, 'AlreadyExists')) throw err;
    }
    const stored = await this.ctx.kv.get(KEY_PATH);
    if (!stored) throw new Error('the service account token key vanished right after it was stored');
    return Buffer.from(stored.value.toString('utf8'), 'base64');
  }
}

function sign(key: Buffer, claims: Claims): string {
  const head = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const body = b64url(JSON.stringify(claims));
  return `${head}.${body}.${createHmac('sha256', key).update(`${head}.${body}`).digest('base64url')}`;
}

/** The claims of a token this server signed and that has not expired, else null. */
function verify(key: Buffer, token: string, nowS: number): Claims | null {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  const want = createHmac('sha256', key).update(`${parts[0]}.${parts[1]}`).digest();
  const got = Buffer.from(parts[2]!, 'base64url');
  if (got.length !== want.length || !timingSafeEqual(got, want)) return null;
  let claims: Claims;
  try {
    claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as Claims;
  } catch {
    return null;
  }
  if (!isPlainObject(claims) || typeof claims.exp !== 'number' || typeof claims.nbf !== 'number') return null;
  if (claims.exp <= nowS || claims.nbf > nowS + 60) return null;
  if (!Array.isArray(claims.aud) || !claims.aud.includes(API_AUDIENCE)) return null;
  const sa = claims['kubernetes.io']?.serviceaccount;
  if (typeof claims['kubernetes.io']?.namespace !== 'string' || typeof sa?.name !== 'string' || typeof sa.uid !== 'string') return null;
  return claims;
}

function invalid(field: string, message: string) {
  return kubeInvalid('TokenRequest', 'authentication.k8s.io', '', [{ reason: 'FieldValueInvalid', message, field }]);
}

/** POST serviceaccounts/<name>/token: the answered TokenRequest (201). */
export async function requestToken(ctx: ApiContext, key: ApiContext['tokenKey'], serviceAccounts: Served, namespace: string, name: string, body: unknown, opts: WriteOptions): Promise<object> {
  const req = isPlainObject(body) ? body : {};
  const spec = isPlainObject(req.spec) ? req.spec : {};
  const exp = spec.expirationSeconds ?? DEFAULT_EXPIRATION_S;
  if (typeof exp !== 'number' || !Number.isInteger(exp) || exp < MIN_EXPIRATION_S) throw invalid('spec.expirationSeconds', `Invalid value: ${JSON.stringify(exp)}: may not specify a duration less than 10 minutes`);
  if (exp > MAX_EXPIRATION_S) throw invalid('spec.expirationSeconds', `Invalid value: ${exp}: may not specify a duration larger than 2^32 seconds`);
  const audiences = spec.audiences === undefined || spec.audiences === null ? [API_AUDIENCE] : spec.audiences;
  if (!Array.isArray(audiences) || audiences.some((a) => typeof a !== 'string' || a === '')) throw invalid('spec.audiences', 'Invalid value: audiences must be non-empty strings');
  const sa = await ctx.store.mustGet(serviceAccounts.info, namespace, name);
  const now = Math.floor(Date.now() / 1000);
  const claims: Claims = {
    iss: ISSUER,
    aud: (audiences as string[]).length ? (audiences as string[]) : [API_AUDIENCE],
    sub: `system:serviceaccount:${namespace}:${name}`,
    exp: now + exp,
    iat: now,
    nbf: now,
    'kubernetes.io': { namespace, serviceaccount: { name, uid: String(sa.obj.metadata.uid) } },
  };
  const token = opts.dryRun ? '' : sign(await key.get(), claims);
  return {
    kind: 'TokenRequest',
    apiVersion: 'authentication.k8s.io/v1',
    metadata: { name, namespace, creationTimestamp: new Date(now * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z') },
    spec: { ...spec, audiences: claims.aud, expirationSeconds: exp, boundObjectRef: spec.boundObjectRef ?? null },
    status: { token, expirationTimestamp: new Date(claims.exp * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z') },
  };
}

/** The service account user a token stands for, or null (not ours, expired, or its account is gone). */
export async function authenticateServiceAccountToken(ctx: ApiContext, key: ApiContext['tokenKey'], token: string): Promise<UserInfo | null> {
  if (token.split('.').length !== 3) return null; // not a JWT: do not touch the store
  const claims = verify(await key.get(), token, Math.floor(Date.now() / 1000));
  if (!claims) return null;
  const { namespace, serviceaccount } = claims['kubernetes.io'];
  const served = ctx.registry.lookup('', 'v1', 'serviceaccounts');
  if (!served) return null;
  const sa = await ctx.store.get(served.info, namespace, serviceaccount.name);
  if (!sa || sa.obj.metadata.uid !== serviceaccount.uid || sa.obj.metadata.deletionTimestamp) return null;
  return {
    name: `system:serviceaccount:${namespace}:${serviceaccount.name}`,
    uid: serviceaccount.uid,
    groups: ['system:serviceaccounts', `system:serviceaccounts:${namespace}`],
  };
}
