/** metav1.LabelSelector validation and matching (workload selectors against template labels). */
import { type FieldCause, invalid, isObj, notSupported, required } from './causes.js';
import { validateLabels } from './names.js';

const OPS = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

export function validateLabelSelector(sel: unknown, field: string, requireNonEmpty: boolean): FieldCause[] {
  if (sel === undefined || sel === null) return requireNonEmpty ? [required(field)] : [];
  if (!isObj(sel)) return [invalid(field, sel, 'must be a label selector')];
  const out: FieldCause[] = [...validateLabels(sel.matchLabels, `${field}.matchLabels`)];
  const exprs = sel.matchExpressions;
  if (exprs !== undefined && !Array.isArray(exprs)) out.push(invalid(`${field}.matchExpressions`, exprs, 'must be a list'));
  if (Array.isArray(exprs)) {
    exprs.forEach((e, i) => {
      const f = `${field}.matchExpressions[${i}]`;
      if (!isObj(e)) return out.push(invalid(f, e, 'must be an object'));
      if (!OPS.includes(String(e.operator))) out.push(notSupported(`${f}.operator`, e.operator, OPS));
      const values = Array.isArray(e.values) ? e.values : [];
      if ((e.operator === 'In' || e.operator === 'NotIn') && values.length === 0) out.push(required(`${f}.values`, 'must be specified when `operator` is \'In\' or \'NotIn\''));
      if ((e.operator === 'Exists' || e.operator === 'DoesNotExist') && values.length > 0) out.push({ reason: 'FieldValueForbidden', message: "Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'", field: `${f}.values` });
    });
  }
  const empty = Object.keys(isObj(sel.matchLabels) ? sel.matchLabels : {}).length === 0 && (!Array.isArray(exprs) || exprs.length === 0);
  if (requireNonEmpty && empty) out.push(invalid(field, sel, 'empty selector is invalid for deployment'));
  return out;
}

export function selectorMatches(sel: Record<string, unknown>, labels: Record<string, string>): boolean {
  const ml = isObj(sel.matchLabels) ? (sel.matchLabels as Record<string, string>) : {};
  for (const [k, v] of Object.entries(ml)) if (labels[k] !== v) return false;
  const exprs = Array.isArray(sel.matchExpressions) ? (sel.matchExpressions as Array<Record<string, unknown>>) : [];
  for (const e of exprs) {
    const key = String(e.key);
    const values = Array.isArray(e.values) ? (e.values as string[]) : [];
    const has = Object.prototype.hasOwnProperty.call(labels, key);
    if (e.operator === 'In' && !(has && values.includes(labels[key]!))) return false;
    if (e.operator === 'NotIn' && has && values.includes(labels[key]!)) return false;
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
  }
  return true;
}

/** The selector as a label-selector string (Scale status.selector, kubectl's Selector column). */
export function selectorString(sel: unknown): string {
  if (!isObj(sel)) return '';
  const parts: string[] = [];
  const ml = isObj(sel.matchLabels) ? (sel.matchLabels as Record<string, string>) : {};
  for (const k of Object.keys(ml).sort()) parts.push(`${k}=${ml[k]}`);
  const exprs = Array.isArray(sel.matchExpressions) ? (sel.matchExpressions as Array<Record<string, unknown>>) : [];
  for (const e of exprs) {
    const values = Array.isArray(e.values) ? [...(e.values as string[])].sort().join(',') : '';
    if (e.operator === 'In') parts.push(`${String(e.key)} in (${values})`);
    else if (e.operator === 'NotIn') parts.push(`${String(e.key)} notin (${values})`);
    else if (e.operator === 'Exists') parts.push(String(e.key));
    else if (e.operator === 'DoesNotExist') parts.push(`!${String(e.key)}`);
  }
  return parts.join(',');
}
