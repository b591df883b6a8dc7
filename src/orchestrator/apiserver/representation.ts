/**
 * What the client asked to receive (Accept): the object itself, a metav1.Table (kubectl get), or
 * PartialObjectMetadata (metadata-only informers); and turning objects/lists into that form.
 */
import { buildTable, crdPrinter, defaultPrinter, printerFor, type IncludeObject, type Printer } from '../../api/k8s/table/index.js';
import type { Served } from './registry.js';
import { kubeBadRequest } from './kube-errors.js';
import type { KObject } from './object-meta.js';

export type Representation = { type: 'object' } | { type: 'table'; version: 'v1' | 'v1beta1'; include: IncludeObject } | { type: 'metadata'; version: 'v1' | 'v1beta1' };

export const TABLE_CONTENT_TYPE = 'application/json;as=Table;v=v1;g=meta.k8s.io';

export function representationOf(accept: string | undefined, query: URLSearchParams): Representation {
  for (const part of (accept ?? '').split(',')) {
    const [media, ...paramList] = part.split(';').map((s) => s.trim());
    if (media !== 'application/json' && media !== '*/*') continue;
    const params = new Map(paramList.map((p) => p.split('=').map((s) => s.trim()) as [string, string]));
    if (params.get('g') !== 'meta.k8s.io') {
      if (params.size === 0) return { type: 'object' };
      continue;
    }
    const v = params.get('v');
    if (v !== 'v1' && v !== 'v1beta1') continue;
    const as = params.get('as');
    if (as === 'Table') {
      const inc = query.get('includeObject') ?? 'Metadata';
      if (inc !== 'None' && inc !== 'Metadata' && inc !== 'Object') throw kubeBadRequest(`includeObject: Unsupported value: "${inc}": supported values: "Metadata", "None", "Object"`);
      return { type: 'table', version: v, include: inc };
    }
    if (as === 'PartialObjectMetadata' || as === 'PartialObjectMetadataList') return { type: 'metadata', version: v };
  }
  return { type: 'object' };
}

export function printerOf(served: Served): Printer {
  if (served.crd) return crdPrinter(served.crd.version.columns);
  return printerFor(served.info.group, served.info.kind) ?? defaultPrinter();
}

export function contentTypeOf(rep: Representation, list: boolean): string | undefined {
  if (rep.type === 'table') return `application/json;as=Table;v=${rep.version};g=meta.k8s.io`;
  if (rep.type === 'metadata') return `application/json;as=${list ? 'PartialObjectMetadataList' : 'PartialObjectMetadata'};v=${rep.version};g=meta.k8s.io`;
  return undefined;
}

function partial(o: KObject, version: string): object {
  return { kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${version}`, metadata: o.metadata };
}

export function renderOne(served: Served, rep: Representation, o: KObject): unknown {
  if (rep.type === 'table') {
    const t = buildTable(printerOf(served), [o], { include: rep.include, ...(o.metadata.resourceVersion ? { resourceVersion: o.metadata.resourceVersion } : {}) });
    if (rep.version === 'v1beta1') t.apiVersion = 'meta.k8s.io/v1beta1';
    return t;
  }
  if (rep.type === 'metadata') return partial(o, rep.version);
  return o;
}

export function renderList(served: Served, rep: Representation, items: KObject[], meta: { resourceVersion: string; continue?: string }, apiVersion: string): unknown {
  if (rep.type === 'table') {
    const t = buildTable(printerOf(served), items, { include: rep.include, resourceVersion: meta.resourceVersion, ...(meta.continue ? { continue: meta.continue } : {}) });
    if (rep.version === 'v1beta1') t.apiVersion = 'meta.k8s.io/v1beta1';
    return t;
  }
  if (rep.type === 'metadata') return { kind: 'PartialObjectMetadataList', apiVersion: `meta.k8s.io/${rep.version}`, metadata: meta, items: items.map((o) => partial(o, rep.version)) };
  return { kind: served.info.listKind, apiVersion, metadata: meta, items };
}
