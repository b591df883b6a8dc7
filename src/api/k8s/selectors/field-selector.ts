/**
 * Field selectors (apimachinery pkg/fields): `metadata.name=x,spec.nodeName!=n,status.phase==Running`.
 * Only =, == and != exist. Values may escape `\,`, `\=` and `\\` (fields.EscapeValue).
 * Which fields a resource supports is the apiserver's decision; here a field is any dotted path and a
 * missing field compares as the empty string (as kube's field sets do for unset fields).
 */
import { invalidArgument } from '../../../base/errors.js';
import type { FieldRequirement, FieldSelector } from '../types.js';
import { getOwn, isPlainObject } from '../types.js';

/** Splits on unescaped commas. */
function splitTerms(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\' && i + 1 < s.length) { cur += c + s[i + 1]; i++; continue; }
    if (c === ',') { out.push(cur); cur = ''; continue; }
    cur += c;
  }
  out.push(cur);
  return out;
}

function unescape(v: string, sel: string): string {
  let out = '';
  for (let i = 0; i < v.length; i++) {
    const c = v[i]!;
    if (c === '\\') {
      const n = v[i + 1];
      if (n === undefined || !'\\,='.includes(n)) throw invalidArgument(`invalid field selector "${sel}": invalid escape sequence in value "${v}"`);
      out += n; i++;
    } else if (c === '=' || c === ',') {
      throw invalidArgument(`invalid field selector "${sel}": unescaped "${c}" in value "${v}"`);
    } else out += c;
  }
  return out;
}

export function parseFieldSelector(s: string): FieldSelector {
  const requirements: FieldRequirement[] = [];
  if (s.trim() === '') return { requirements };
  for (const term of splitTerms(s)) {
    if (term === '') throw invalidArgument(`invalid field selector "${s}": empty term`);
    // The first operator wins: != before == before = (kube's order).
    const m = /^([^=!\\]*?)(!=|==|=)(.*)$/.exec(term);
    if (!m) throw invalidArgument(`invalid field selector "${s}": "${term}" is not of the form field=value, field==value or field!=value`);
    const field = m[1]!.trim();
    if (!/^[A-Za-z0-9_.\-/[\]]+$/.test(field)) throw invalidArgument(`invalid field selector "${s}": bad field name "${field}"`);
    requirements.push({ field, operator: m[2] === '!=' ? 'NotEquals' : 'Equals', value: unescape(m[3]!, s) });
  }
  return { requirements };
}

/** Reads a dotted path from an object; scalars become their string form, missing → "". */
export function fieldValue(obj: unknown, path: string): string {
  let cur: unknown = obj;
  for (const part of path.split('.')) {
    if (!isPlainObject(cur)) return '';
    cur = getOwn(cur, part);
  }
  if (cur === undefined || cur === null) return '';
  if (typeof cur === 'string') return cur;
  if (typeof cur === 'number' || typeof cur === 'boolean') return String(cur);
  return JSON.stringify(cur);
}

export function matchesFields(sel: FieldSelector, obj: object): boolean {
  return sel.requirements.every((r) => {
    const v = fieldValue(obj, r.field);
    return r.operator === 'Equals' ? v === r.value : v !== r.value;
  });
}

export function fieldSelectorToString(sel: FieldSelector): string {
  const esc = (v: string) => v.replace(/\\/g, '\\\\').replace(/,/g, '\\,').replace(/=/g, '\\=');
  return sel.requirements.map((r) => `${r.field}${r.operator === 'Equals' ? '=' : '!='}${esc(r.value)}`).join(',');
}
