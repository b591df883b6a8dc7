/**
 * metav1.Table building: the kind's printer (or Name/Age, or a CRD's additionalPrinterColumns) turns
 * objects into rows; includeObject decides what each row carries (full object, metadata only, none).
 */
import { age, obj, type Obj } from './format.js';
import { evalJsonPath } from './jsonpath.js';
import { DEFAULT_PRINTER, PRINTERS, type ColumnDefinition, type Printer } from './printers.js';

export type { ColumnDefinition, Printer } from './printers.js';
export { humanDuration } from './format.js';
export { evalJsonPath } from './jsonpath.js';

export interface CrdColumn { name: string; type: string; jsonPath: string; description?: string; priority?: number; format?: string }
export type IncludeObject = 'None' | 'Metadata' | 'Object';

export function printerFor(group: string, kind: string): Printer | undefined {
  return PRINTERS[`${group}/${kind}`];
}

/** A CRD's printer: Name, its additionalPrinterColumns, and Age unless it declares its own creationTimestamp column. */
export function crdPrinter(columns: CrdColumn[]): Printer {
  const nameCol: ColumnDefinition = { name: 'Name', type: 'string', format: 'name', description: 'Name must be unique within a namespace.', priority: 0 };
  if (columns.length === 0) {
    return { columns: [nameCol, { name: 'Age', type: 'date', format: '', description: 'Creation timestamp', priority: 0 }], row: (o, now) => [String(obj(o.metadata).name ?? ''), age(obj(o.metadata).creationTimestamp, now)] };
  }
  const defs = columns.map((c) => ({ name: c.name, type: c.type, format: c.format ?? '', description: c.description ?? '', priority: c.priority ?? 0 }));
  return {
    columns: [nameCol, ...defs],
    row: (o, now) => [
      String(obj(o.metadata).name ?? ''),
      ...columns.map((c) => {
        const values = evalJsonPath(o, c.jsonPath);
        if (values.length === 0) return null;
        const v = values[0];
        if (c.type === 'date' && typeof v === 'string') return age(v, now);
        if (typeof v === 'object' && v !== null) return JSON.stringify(v);
        return values.length > 1 ? values.map((x) => String(x)).join(',') : v;
      }),
    ],
  };
}

export function defaultPrinter(): Printer {
  return {
    columns: [DEFAULT_PRINTER.columns[0]!, { name: 'Age', type: 'string', format: '', description: 'CreationTimestamp is a timestamp representing the server time when this object was created.', priority: 0 }],
    row: (o, now) => [String(obj(o.metadata).name ?? ''), age(obj(o.metadata).creationTimestamp, now)],
  };
}

function rowObject(o: Obj, include: IncludeObject): unknown {
  if (include === 'None') return undefined;
  if (include === 'Object') return o;
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata };
}

export function buildTable(printer: Printer, items: Obj[], opts: { resourceVersion?: string; continue?: string; include: IncludeObject; now?: number; omitColumns?: boolean }): Obj {
  const now = opts.now ?? Date.now();
  const meta: Obj = {};
  if (opts.resourceVersion) meta.resourceVersion = opts.resourceVersion;
  if (opts.continue) meta.continue = opts.continue;
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: meta,
    ...(opts.omitColumns ? {} : { columnDefinitions: printer.columns }),
    rows: items.map((o) => {
      const r: Obj = { cells: printer.row(o, now) };
      const ro = rowObject(o, opts.include);
      if (ro !== undefined) r.object = ro;
      return r;
    }),
  };
}
