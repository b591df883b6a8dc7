/**
 * Label and field selectors of list/watch/deletecollection requests: parsing (via part 3), the
 * field labels each kind supports (kube's GetAttrs / field label conversion), and matching.
 */
import { isBerthError } from '../../base/errors.js';
import type { Served } from './registry.js';
import { kubeBadRequest } from './kube-errors.js';
import { matchesFields, matchesLabels, parseFieldSelector, parseLabelSelector } from './machinery.js';
import { isPlainObject, type KObject } from './object-meta.js';

const FIELDS: Record<string, string[]> = {
  '/Pod': ['spec.nodeName', 'spec.restartPolicy', 'spec.schedulerName', 'spec.serviceAccountName', 'spec.hostNetwork', 'status.phase', 'status.podIP', 'status.podIPs', 'status.nominatedNodeName'],
  '/Event': ['involvedObject.kind', 'involvedObject.namespace', 'involvedObject.name', 'involvedObject.uid', 'involvedObject.apiVersion', 'involvedObject.resourceVersion', 'involvedObject.fieldPath', 'reason', 'reportingComponent', 'source', 'type'],
  'events.k8s.io/Event': ['regarding.kind', 'regarding.namespace', 'regarding.name', 'regarding.uid', 'reason', 'type', 'reportingController'],
  '/Secret': ['type'],
  '/Node': ['spec.unschedulable'],
  '/Namespace': ['status.phase'],
  '/ReplicationController': ['status.replicas'],
  'apps/ReplicaSet': ['status.replicas'],
  'batch/Job': ['status.successful'],
  '/Service': ['spec.clusterIP', 'spec.type'],
  'certificates.k8s.io/CertificateSigningRequest': ['spec.signerName'],
};

function get(o: unknown, path: string): unknown {
  let cur: unknown = o;
  for (const p of path.split('.')) cur = isPlainObject(cur) ? cur[p] : undefined;
  return cur;
}

function set(target: Record<string, unknown>, path: string, value: string): void {
  const parts = path.split('.');
  let cur = target;
  for (const p of parts.slice(0, -1)) cur = (isPlainObject(cur[p]) ? cur[p] : (cur[p] = {})) as Record<string, unknown>;
  cur[parts[parts.length - 1]!] = value;
}

/** The field-label values of an object as kube computes them (all strings; missing → ""). */
export function fieldSet(served: Served, o: KObject): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  set(out, 'metadata.name', o.metadata.name ?? '');
  if (served.info.namespaced) set(out, 'metadata.namespace', o.metadata.namespace ?? '');
  const id = `${served.info.group}/${served.info.kind}`;
  for (const f of FIELDS[id] ?? []) {
    let v = get(o, f);
    if (id === '/Pod' && f === 'status.podIPs') v = Array.isArray(get(o, 'status.podIPs')) ? (get(o, 'status.podIPs') as Array<{ ip?: string }>).map((p) => p.ip).join(',') : '';
    if (id === '/Event' && f === 'source') v = get(o, 'source.component') ?? get(o, 'reportingComponent') ?? '';
    if (typeof v === 'boolean' || typeof v === 'number') v = String(v);
    if (v === undefined || v === null) v = id === '/Node' && f === 'spec.unschedulable' ? 'false' : '';
    set(out, f, String(v));
  }
  for (const f of served.crd ? crdSelectableFields(served) : []) {
    const v = get(o, f);
    set(out, f, v === undefined || v === null ? '' : String(v));
  }
  return out;
}

function crdSelectableFields(served: Served): string[] {
  const v = served.crd?.version as unknown as { selectableFields?: string[] };
  return v?.selectableFields ?? [];
}

export interface Selection {
  matches(o: KObject): boolean;
  /** True when a selector was given (watch transitions matter only then). */
  filtering: boolean;
}

export function parseSelection(served: Served, query: URLSearchParams): Selection {
  const ls = query.get('labelSelector') ?? '';
  const fs = query.get('fieldSelector') ?? '';
  let labelSel: ReturnType<typeof parseLabelSelector> | null = null;
  let fieldSel: ReturnType<typeof parseFieldSelector> | null = null;
  try {
    if (ls.trim()) labelSel = parseLabelSelector(ls);
  } catch (err) {
    throw kubeBadRequest(`unable to parse requirement: ${isBerthError(err) ? err.message : String(err)}`);
  }
  if (fs.trim()) {
    const allowed = new Set(['metadata.name', ...(served.info.namespaced ? ['metadata.namespace'] : []), ...(FIELDS[`${served.info.group}/${served.info.kind}`] ?? []), ...crdSelectableFields(served)]);
    for (const term of fs.split(',')) {
      const field = term.split(/!=|==|=/)[0]!.trim();
      if (field && !allowed.has(field)) throw kubeBadRequest(`field label not supported: ${field}`);
    }
    try {
      fieldSel = parseFieldSelector(fs);
    } catch (err) {
      throw kubeBadRequest(`invalid field selector: ${isBerthError(err) ? err.message : String(err)}`);
    }
  }
  return {
    filtering: labelSel !== null || fieldSel !== null,
    matches: (o) => (!labelSel || matchesLabels(labelSel, o.metadata.labels)) && (!fieldSel || matchesFields(fieldSel, fieldSet(served, o))),
  };
}
