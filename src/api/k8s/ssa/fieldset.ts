/**
 * Sets of field paths as server-side apply tracks ownership (sigs.k8s.io/structured-merge-diff
 * fieldpath.Set), and their wire encoding FieldsV1:
 *   {"f:metadata":{"f:labels":{"f:app":{}}},"f:spec":{"f:containers":{"k:{\"name\":\"c\"}":{".":{},"f:image":{}}}}}
 * Path elements: `f:<field>` (struct field or map key), `k:<json of key fields>` (associative list
 * item), `v:<json>` (set list item), `i:<index>` (list item by position). `.` marks that the node
 * itself is a member (it has children too); a `{}` leaf is a member without children.
 */
import { invalidArgument } from '../../../base/errors.js';
import { isPlainObject } from '../types.js';

/** A node of the set: `member` says whether the path ending here is in the set. */
export class FieldSet {
  member = false;
  readonly children = new Map<string, FieldSet>();

  static fromFieldsV1(v: unknown): FieldSet {
    const s = new FieldSet();
    if (v === undefined || v === null) return s;
    if (!isPlainObject(v)) throw invalidArgument('managedFields: fieldsV1 must be an object');
    for (const [k, child] of Object.entries(v)) {
      if (k === '.') { s.member = true; continue; }
      if (!/^[fkvi]:/.test(k)) throw invalidArgument(`managedFields: invalid path element "${k}" in fieldsV1`);
      const c = FieldSet.fromFieldsV1(child);
      if (!isPlainObject(child) || Object.keys(child).length === 0) c.member = true;
      s.children.set(k, c);
    }
    return s;
  }

  /** FieldsV1 JSON (keys sorted like kube's serializer: `.` first, then by element string). */
  toFieldsV1(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    if (this.member && this.children.size > 0) out['.'] = {};
    for (const k of [...this.children.keys()].sort()) out[k] = this.children.get(k)!.toFieldsV1();
    return out;
  }

  isEmpty(): boolean {
    if (this.member) return false;
    for (const c of this.children.values()) if (!c.isEmpty()) return false;
    return true;
  }

  insert(path: readonly string[]): void {
    let cur: FieldSet = this;
    for (const pe of path) {
      let n = cur.children.get(pe);
      if (!n) { n = new FieldSet(); cur.children.set(pe, n); }
      cur = n;
    }
    cur.member = true;
  }

  has(path: readonly string[]): boolean {
    const n = this.node(path);
    return !!n && n.member;
  }

  node(path: readonly string[]): FieldSet | undefined {
    let cur: FieldSet | undefined = this;
    for (const pe of path) { cur = cur.children.get(pe); if (!cur) return undefined; }
    return cur;
  }

  /** True when some member lies strictly below `path`. */
  hasMemberBelow(path: readonly string[]): boolean {
    const n = this.node(path);
    if (!n) return false;
    for (const c of n.children.values()) if (!c.isEmpty()) return true;
    return false;
  }

  clone(): FieldSet {
    const s = new FieldSet();
    s.member = this.member;
    for (const [k, c] of this.children) s.children.set(k, c.clone());
    return s;
  }

  union(o: FieldSet): FieldSet {
    const s = this.clone();
    s.member ||= o.member;
    for (const [k, c] of o.children) {
      const mine = s.children.get(k);
      s.children.set(k, mine ? mine.union(c) : c.clone());
    }
    return s;
  }

  /** Members of this set that are not members of `o` (exact paths, like fieldpath.Set.Difference). */
  difference(o: FieldSet): FieldSet {
    const s = new FieldSet();
    s.member = this.member && !o.member;
    for (const [k, c] of this.children) {
      const theirs = o.children.get(k);
      const d = theirs ? c.difference(theirs) : c.clone();
      if (!d.isEmpty()) s.children.set(k, d);
    }
    return s;
  }

  /** Members of this set that are not in `o` nor below any member of `o` (RecursiveDifference). */
  recursiveDifference(o: FieldSet): FieldSet {
    if (o.member) return new FieldSet();
    const s = new FieldSet();
    s.member = this.member;
    for (const [k, c] of this.children) {
      const theirs = o.children.get(k);
      const d = theirs ? c.recursiveDifference(theirs) : c.clone();
      if (!d.isEmpty()) s.children.set(k, d);
    }
    return s;
  }

  intersection(o: FieldSet): FieldSet {
    const s = new FieldSet();
    s.member = this.member && o.member;
    for (const [k, c] of this.children) {
      const theirs = o.children.get(k);
      if (!theirs) continue;
      const i = c.intersection(theirs);
      if (!i.isEmpty()) s.children.set(k, i);
    }
    return s;
  }

  /** Every member path, parents before children. */
  members(prefix: string[] = []): string[][] {
    const out: string[][] = [];
    if (this.member) out.push(prefix);
    for (const k of [...this.children.keys()].sort()) out.push(...this.children.get(k)!.members([...prefix, k]));
    return out;
  }

  equals(o: FieldSet): boolean {
    return this.difference(o).isEmpty() && o.difference(this).isEmpty();
  }
}

/** A path as kube prints it in conflict messages: .spec.containers[name="c"].image */
export function pathString(path: readonly string[]): string {
  return path.map((pe) => {
    const body = pe.slice(2);
    switch (pe[0]) {
      case 'f': return `.${body}`;
      case 'k': {
        const o = JSON.parse(body) as Record<string, unknown>;
        return `[${Object.entries(o).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(',')}]`;
      }
      case 'v': return `[=${body}]`;
      case 'i': return `[${body}]`;
      default: return pe;
    }
  }).join('');
}

export const fieldPE = (name: string) => `f:${name}`;

/** `k:` element: key fields sorted by name, compact JSON (as structured-merge-diff writes them). */
export function keyPE(keys: Record<string, unknown>): string {
  const sorted: Record<string, unknown> = {};
  for (const k of Object.keys(keys).sort()) sorted[k] = keys[k];
  return `k:${JSON.stringify(sorted)}`;
}

export const valuePE = (v: unknown) => `v:${JSON.stringify(v)}`;
