/**
 * Splits a Kubernetes API path into what it addresses: a discovery document, or a resource
 * (group, version, plural, namespace, name, subresource), including legacy `/watch/` paths.
 */
export type ApiPath =
  | { type: 'root-api' }
  | { type: 'root-apis' }
  | { type: 'group'; group: string }
  | { type: 'group-version'; group: string; version: string }
  | { type: 'resource'; group: string; version: string; plural: string; namespace?: string; name?: string; subresource?: string; legacyWatch: boolean }
  | { type: 'unknown' };

export function parseApiPath(path: string): ApiPath {
  const segs = path.split('/').filter((s) => s !== '').map((s) => decodeURIComponent(s));
  if (segs[0] === 'api') {
    if (segs.length === 1) return { type: 'root-api' };
    return resourcePath('', segs[1]!, segs.slice(2), segs.length === 2);
  }
  if (segs[0] === 'apis') {
    if (segs.length === 1) return { type: 'root-apis' };
    if (segs.length === 2) return { type: 'group', group: segs[1]! };
    return resourcePath(segs[1]!, segs[2]!, segs.slice(3), segs.length === 3);
  }
  return { type: 'unknown' };
}

function resourcePath(group: string, version: string, rest: string[], isGroupVersion: boolean): ApiPath {
  if (isGroupVersion) return { type: 'group-version', group, version };
  let legacyWatch = false;
  if (rest[0] === 'watch') {
    legacyWatch = true;
    rest = rest.slice(1);
  }
  if (rest.length === 0) return { type: 'unknown' };
  // namespaces/{ns}/{resource}/... is namespaced; namespaces, namespaces/{name} and namespaces/{name}/{status|finalize} address the Namespace itself.
  if (rest[0] === 'namespaces' && rest.length >= 3 && !(rest.length === 3 && (rest[2] === 'status' || rest[2] === 'finalize'))) {
    const [, namespace, plural, name, subresource, ...extra] = rest;
    if (extra.length > 0 && subresource !== 'proxy') return { type: 'unknown' };
    return { type: 'resource', group, version, plural: plural!, namespace, ...(name !== undefined ? { name } : {}), ...(subresource !== undefined ? { subresource } : {}), legacyWatch };
  }
  const [plural, name, subresource, ...extra] = rest;
  if (extra.length > 0 && subresource !== 'proxy') return { type: 'unknown' };
  return { type: 'resource', group, version, plural: plural!, ...(name !== undefined ? { name } : {}), ...(subresource !== undefined ? { subresource } : {}), legacyWatch };
}
