/**
 * TEMPORARY stand-in for part 3 (src/api/k8s) while it is being written in parallel; machinery.ts
 * switches to the real module once it lands and this file is deleted.
 */
import { invalidArgument } from '../../base/errors.js';

export interface Gvk { group: string; version: string; kind: string }
export interface Requirement { key: string; op: 'in' | 'notin' | 'exists' | '!' | '=' | '!='; values: string[] }
export type LabelSelector = Requirement[];
export type FieldSelector = Array<{ field: string; op: '=' | '!='; value: string }>;

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const clone = <T>(v: T): T => (v === undefined ? v : JSON.parse(JSON.stringify(v)));

export function applyMergePatch(doc: unknown, patch: unknown): unknown {
  if (!isObj(patch)) return clone(patch);
  const out: Record<string, unknown> = isObj(doc) ? { ...doc } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = applyMergePatch(out[k], v);
  }
  return out;
}

function pointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw invalidArgument(`invalid JSON pointer "${path}"`);
  return path.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

export function applyJsonPatch(doc: unknown, patch: unknown): unknown {
  if (!Array.isArray(patch)) throw invalidArgument('a JSON patch must be an array of operations');
  let root = clone(doc);
  const parentOf = (path: string): [Record<string, unknown> | unknown[], string] => {
    const parts = pointer(path);
    if (parts.length === 0) throw invalidArgument('cannot address the document root here');
    let cur: unknown = root;
    for (const p of parts.slice(0, -1)) {
      cur = Array.isArray(cur) ? cur[Number(p)] : isObj(cur) ? cur[p] : undefined;
      if (cur === undefined) throw invalidArgument(`path "${path}" does not exist`);
    }
    return [cur as Record<string, unknown>, parts[parts.length - 1]!];
  };
  const get = (path: string): unknown => {
    let cur: unknown = root;
    for (const p of pointer(path)) cur = Array.isArray(cur) ? cur[Number(p)] : isObj(cur) ? cur[p] : undefined;
    return cur;
  };
  const add = (path: string, value: unknown) => {
    if (path === '') { root = value; return; }
    const [parent, last] = parentOf(path);
    if (Array.isArray(parent)) parent.splice(last === '-' ? parent.length : Number(last), 0, value);
    else parent[last] = value;
  };
  const remove = (path: string) => {
    const [parent, last] = parentOf(path);
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else { if (!(last in parent)) throw invalidArgument(`path "${path}" does not exist`); delete parent[last]; }
  };
  for (const op of patch as Array<Record<string, unknown>>) {
    const path = String(op.path ?? '');
    switch (op.op) {
      case 'add': add(path, clone(op.value)); break;
      case 'remove': remove(path); break;
      case 'replace': if (get(path) === undefined) throw invalidArgument(`path "${path}" does not exist`); if (path === '') root = clone(op.value); else { remove(path); add(path, clone(op.value)); } break;
      case 'move': { const v = get(String(op.from)); remove(String(op.from)); add(path, v); break; }
      case 'copy': add(path, clone(get(String(op.from)))); break;
      case 'test': if (JSON.stringify(get(path)) !== JSON.stringify(op.value)) throw invalidArgument(`test operation at "${path}" failed`); break;
      default: throw invalidArgument(`unknown JSON patch operation "${String(op.op)}"`);
    }
  }
  return root;
}

export function applyStrategicMergePatch(doc: unknown, patch: unknown, _gvk: Gvk): unknown {
  return applyMergePatch(doc, patch);
}

export function serverSideApply(live: object | null, applied: object, _opts: { manager: string; force: boolean; gvk: Gvk; now: string }): { object: object; conflicts: Array<{ manager: string; field: string }> } {
  return { object: applyMergePatch(live ?? {}, applied) as object, conflicts: [] };
}

export function updateManagedFieldsForUpdate(_old: object | null, newObj: object, _opts: { manager: string; operation: 'Update'; gvk: Gvk; now: string; subresource?: string }): object {
  return newObj;
}

export function parseLabelSelector(s: string): LabelSelector {
  const out: LabelSelector = [];
  const parts = s.split(/,(?![^(]*\))/).map((p) => p.trim()).filter(Boolean);
  for (const p of parts) {
    let m: RegExpMatchArray | null;
    if ((m = p.match(/^([\w./-]+)\s+(in|notin)\s+\(([^)]*)\)$/))) out.push({ key: m[1]!, op: m[2] as 'in', values: m[3]!.split(',').map((x) => x.trim()).filter(Boolean) });
    else if ((m = p.match(/^!\s*([\w./-]+)$/))) out.push({ key: m[1]!, op: '!', values: [] });
    else if ((m = p.match(/^([\w./-]+)\s*(==|=|!=)\s*([\w.-]*)$/))) out.push({ key: m[1]!, op: m[2] === '!=' ? '!=' : '=', values: [m[3]!] });
    else if ((m = p.match(/^([\w./-]+)$/))) out.push({ key: m[1]!, op: 'exists', values: [] });
    else throw invalidArgument(`unable to parse requirement: "${p}"`);
  }
  return out;
}

export function matchesLabels(sel: LabelSelector, labels: Record<string, string> | undefined): boolean {
  const l = labels ?? {};
  return sel.every((r) => {
    const has = Object.prototype.hasOwnProperty.call(l, r.key);
    switch (r.op) {
      case '=': return has && l[r.key] === r.values[0];
      case '!=': return !has || l[r.key] !== r.values[0];
      case 'in': return has && r.values.includes(l[r.key]!);
      case 'notin': return !has || !r.values.includes(l[r.key]!);
      case 'exists': return has;
      case '!': return !has;
    }
    return false;
  });
}

export function parseFieldSelector(s: string): FieldSelector {
  return s.split(',').map((p) => p.trim()).filter(Boolean).map((p) => {
    const m = p.match(/^([^!=]+)(==|=|!=)(.*)$/);
    if (!m) throw invalidArgument(`invalid field selector: "${p}"`);
    return { field: m[1]!.trim(), op: m[2] === '!=' ? '!=' : '=', value: m[3]! };
  });
}

export function matchesFields(sel: FieldSelector, obj: object): boolean {
  return sel.every((r) => {
    let cur: unknown = obj;
    for (const p of r.field.split('.')) cur = isObj(cur) ? cur[p] : undefined;
    const v = cur === undefined || cur === null ? '' : String(cur);
    return r.op === '=' ? v === r.value : v !== r.value;
  });
}

export function openapiV2(): object { return { swagger: '2.0', info: { title: 'Kubernetes', version: 'v1.34.0' }, paths: {}, definitions: {} }; }
export function openapiV3Index(): object { return { paths: {} }; }
export function openapiV3GroupVersion(_gv: string): object | null { return null; }
export function schemaFor(_gvk: Gvk): object | null { return null; }
