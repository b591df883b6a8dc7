/**
 * Docker-style image references (the grammar of distribution/reference):
 *   busybox                 → docker.io/library/busybox:latest
 *   localhost:5000/x        → localhost:5000/x:latest
 *   example.com/a/b:1       → example.com/a/b:1
 *   name@sha256:…           → docker.io/library/name@sha256:…   (no tag added)
 * The first path component is a registry domain only if it contains '.' or ':' or is
 * 'localhost' (and is lowercase); otherwise the domain is docker.io.
 */
import { invalidArgument } from '../../base/errors.js';
import { assertSha256Digest } from '../../api/oci/index.js';

export const DEFAULT_DOMAIN = 'docker.io';
export const OFFICIAL_REPO_PREFIX = 'library/';
export const DEFAULT_TAG = 'latest';

export interface ParsedReference {
  domain: string;
  /** Repository path inside the domain, e.g. `library/busybox`. */
  path: string;
  tag?: string;
  digest?: string;
}

const component = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const domainPattern = /^(?:(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*|\[[a-fA-F0-9:]+\])(?::[0-9]+)?$/;
const tagPattern = /^[\w][\w.-]{0,127}$/;
const hex64 = /^[a-f0-9]{64}$/;

/** Parses and normalizes; adds `:latest` when there is neither tag nor digest. */
export function parseReference(ref: string): ParsedReference {
  const bad = (why: string) => invalidArgument(`invalid reference format ${JSON.stringify(ref)}: ${why}`);
  if (typeof ref !== 'string' || ref === '') throw bad('empty');
  if (ref.length > 512) throw bad('too long');
  let rest = ref;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    assertSha256Digest(digest, `reference ${JSON.stringify(ref)} digest`);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!tagPattern.test(tag)) throw bad(`tag ${JSON.stringify(tag)} is invalid`);
  }
  if (rest === '') throw bad('no repository name');
  let domain = DEFAULT_DOMAIN;
  let path = rest;
  const slash = rest.indexOf('/');
  if (slash >= 0) {
    const first = rest.slice(0, slash);
    // distribution/reference: a domain has '.' or ':' or is localhost, or is not all lowercase.
    if (first.includes('.') || first.includes(':') || first === 'localhost' || first.toLowerCase() !== first) {
      domain = first;
      path = rest.slice(slash + 1);
    }
  }
  if (!domainPattern.test(domain)) throw bad(`registry ${JSON.stringify(domain)} is invalid`);
  if (domain === 'index.docker.io') domain = DEFAULT_DOMAIN;
  if (domain === DEFAULT_DOMAIN && !path.includes('/')) path = OFFICIAL_REPO_PREFIX + path;
  const parts = path.split('/');
  for (const p of parts) {
    if (!component.test(p)) throw bad(p.toLowerCase() !== p ? 'repository name must be lowercase' : `path component ${JSON.stringify(p)} is invalid`);
  }
  if (hex64.test(rest)) throw bad('cannot specify 64-byte hexadecimal strings as a repository name');
  if (domain.length + 1 + path.length > 255) throw bad('repository name is longer than 255 characters');
  const out: ParsedReference = { domain, path };
  if (tag !== undefined) out.tag = tag;
  if (digest !== undefined) out.digest = digest;
  if (tag === undefined && digest === undefined) out.tag = DEFAULT_TAG;
  return out;
}

/** `docker.io/library/busybox` */
export function repositoryName(p: ParsedReference): string {
  return `${p.domain}/${p.path}`;
}

export function formatReference(p: ParsedReference): string {
  return repositoryName(p) + (p.tag !== undefined ? `:${p.tag}` : '') + (p.digest !== undefined ? `@${p.digest}` : '');
}

/** The canonical form: `busybox` → `docker.io/library/busybox:latest`. */
export function normalizeReference(ref: string): string {
  return formatReference(parseReference(ref));
}

/** The short form Docker shows: `docker.io/library/busybox:latest` → `busybox:latest`. */
export function familiarName(ref: string): string {
  const p = parseReference(ref);
  let name = repositoryName(p);
  if (p.domain === DEFAULT_DOMAIN) {
    name = p.path.startsWith(OFFICIAL_REPO_PREFIX) ? p.path.slice(OFFICIAL_REPO_PREFIX.length) : p.path;
  }
  return name + (p.tag !== undefined ? `:${p.tag}` : '') + (p.digest !== undefined ? `@${p.digest}` : '');
}

/** The familiar repository without tag or digest: `docker.io/library/busybox:1` → `busybox`. */
export function familiarRepository(ref: string): string {
  const p = parseReference(ref);
  return familiarName(repositoryName(p) + ':x').replace(/:x$/, '');
}

/** True for a full id, an id prefix, or `sha256:`-prefixed forms of them. */
export function looksLikeId(ref: string): boolean {
  return /^(sha256:)?[a-f0-9]{1,64}$/.test(ref);
}
