/**
 * The JSONPath subset CRD additionalPrinterColumns use: `.a.b`, `.a[0]`, `.a[*].b`,
 * `.a[?(@.type=="Ready")].status`, and `{...}` wrapping. Returns every match.
 */
import { arr, obj } from './format.js';

type Step = { field: string } | { index: number } | { all: true } | { filter: { path: string[]; value: string } };

function parse(path: string): Step[] | null {
  let p = path.trim();
  if (p.startsWith('{') && p.endsWith('}')) p = p.slice(1, -1);
  if (p.startsWith('$')) p = p.slice(1);
  const steps: Step[] = [];
  const re = /\.([A-Za-z0-9_\-/]+)|\[(\d+)\]|\[\*\]|\[\?\(@((?:\.[A-Za-z0-9_-]+)+)\s*==\s*["']([^"']*)["']\)\]|\['([^']+)'\]/y;
  let m: RegExpExecArray | null;
  re.lastIndex = 0;
  while (re.lastIndex < p.length && (m = re.exec(p))) {
    if (m[1] !== undefined) steps.push({ field: m[1] });
    else if (m[2] !== undefined) steps.push({ index: Number(m[2]) });
    else if (m[3] !== undefined) steps.push({ filter: { path: m[3].slice(1).split('.'), value: m[4] ?? '' } });
    else if (m[5] !== undefined) steps.push({ field: m[5] });
    else steps.push({ all: true });
  }
  return re.lastIndex === p.length || p.length === 0 ? steps : null;
}

export function evalJsonPath(root: unknown, path: string): unknown[] {
  const steps = parse(path);
  if (!steps) return [];
  let cur: unknown[] = [root];
  for (const s of steps) {
    const next: unknown[] = [];
    for (const v of cur) {
      if ('field' in s) {
        const x = obj(v)[s.field];
        if (x !== undefined) next.push(x);
      } else if ('index' in s) {
        const x = arr(v)[s.index];
        if (x !== undefined) next.push(x);
      } else if ('all' in s) {
        next.push(...arr(v));
      } else {
        for (const item of arr(v)) {
          let x: unknown = item;
          for (const f of s.filter.path) x = obj(x)[f];
          if (String(x) === s.filter.value) next.push(item);
        }
      }
    }
    cur = next;
  }
  return cur;
}
