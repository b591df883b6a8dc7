/**
 * Label selectors as Kubernetes parses them (apimachinery pkg/labels): the string form used in
 * `?labelSelector=` (`a=b,c!=d,e in (x,y),f notin (z),g,!h,n>3`) and the metav1.LabelSelector object
 * form (matchLabels / matchExpressions) used in specs. Both become a list of requirements ANDed.
 */
import { invalidArgument } from '../../../base/errors.js';
import type { LabelRequirement, LabelSelector } from '../types.js';
import { isPlainObject } from '../types.js';

const NAME_RE = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const DNS_SUBDOMAIN_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Why a label key is not a qualified name ([prefix/]name), or undefined when it is one. */
export function labelKeyProblem(key: string): string | undefined {
  const parts = key.split('/');
  if (parts.length > 2) return 'a qualified name must consist of alphanumeric characters, "-", "_" or "." with an optional DNS subdomain prefix and "/"';
  const name = parts[parts.length - 1]!;
  if (parts.length === 2) {
    const prefix = parts[0]!;
    if (prefix.length === 0 || prefix.length > 253 || !DNS_SUBDOMAIN_RE.test(prefix)) return `prefix "${prefix}" must be a DNS subdomain`;
  }
  if (name.length === 0) return 'name part must be non-empty';
  if (name.length > 63) return 'name part must be no more than 63 characters';
  if (!NAME_RE.test(name)) return 'name part must consist of alphanumeric characters, "-", "_" or ".", and must start and end with an alphanumeric character';
  return undefined;
}

/** Why a label value is invalid, or undefined when valid (the empty value is valid). */
export function labelValueProblem(value: string): string | undefined {
  if (value === '') return undefined;
  if (value.length > 63) return 'must be no more than 63 characters';
  if (!NAME_RE.test(value)) return 'must consist of alphanumeric characters, "-", "_" or ".", and must start and end with an alphanumeric character';
  return undefined;
}

type Token = { kind: 'id' | 'op' | '(' | ')' | ',' | '!'; text: string };

function tokenize(s: string, sel: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (c === ' ' || c === '\t' || c === '\n') { i++; continue; }
    if (c === '(' || c === ')' || c === ',') { out.push({ kind: c, text: c }); i++; continue; }
    if (c === '!' && s[i + 1] === '=') { out.push({ kind: 'op', text: '!=' }); i += 2; continue; }
    if (c === '!') { out.push({ kind: '!', text: '!' }); i++; continue; }
    if (c === '=' && s[i + 1] === '=') { out.push({ kind: 'op', text: '==' }); i += 2; continue; }
    if (c === '=' || c === '>' || c === '<') { out.push({ kind: 'op', text: c }); i++; continue; }
    let j = i;
    while (j < s.length && !' \t\n(),!=<>'.includes(s[j]!)) j++;
    if (j === i) throw invalidArgument(`unable to parse requirement: unexpected character "${c}" in label selector "${sel}"`);
    out.push({ kind: 'id', text: s.slice(i, j) });
    i = j;
  }
  return out;
}

/** Parses the string form. The empty string selects everything. Bad input → InvalidArgument naming the selector. */
export function parseLabelSelector(s: string): LabelSelector {
  const toks = tokenize(s, s);
  const reqs: LabelRequirement[] = [];
  let p = 0;
  const fail = (why: string): never => { throw invalidArgument(`unable to parse label selector "${s}": ${why}`); };
  const peek = () => toks[p];
  const next = () => toks[p++];
  const checkKey = (k: string) => { const why = labelKeyProblem(k); if (why) fail(`invalid label key "${k}": ${why}`); };
  const checkValue = (v: string) => { const why = labelValueProblem(v); if (why) fail(`invalid label value "${v}": ${why}`); };
  const readValues = (): string[] => {
    if (next()?.kind !== '(') fail('expected "(" after in/notin');
    const vals: string[] = [];
    let cur: string | undefined;
    let sawComma = false;
    for (;;) {
      const t = next();
      if (!t) return fail('unclosed value list');
      if (t.kind === 'id') {
        if (cur !== undefined) fail(`expected "," between values, found "${t.text}"`);
        checkValue(t.text);
        cur = t.text;
      } else if (t.kind === ',') {
        vals.push(cur ?? ''); cur = undefined; sawComma = true;
      } else if (t.kind === ')') {
        if (cur !== undefined || sawComma) vals.push(cur ?? '');
        return vals;
      } else {
        fail(`unexpected "${t.text}" in value list`);
      }
    }
  };
  while (p < toks.length) {
    const t = next()!;
    if (t.kind === '!') {
      const k = next();
      if (!k || k.kind !== 'id') fail('expected a key after "!"');
      checkKey(k!.text);
      reqs.push({ key: k!.text, operator: 'DoesNotExist', values: [] });
    } else if (t.kind === 'id') {
      checkKey(t.text);
      const o = peek();
      if (!o || o.kind === ',') {
        reqs.push({ key: t.text, operator: 'Exists', values: [] });
      } else if (o.kind === 'op') {
        p++;
        const v = peek();
        let value = '';
        if (v && v.kind === 'id') { value = v.text; p++; }
        if (o.text === '>' || o.text === '<') {
          if (!/^-?\d+$/.test(value)) fail(`for "${o.text}" operator, the value must be an integer, got "${value}"`);
          reqs.push({ key: t.text, operator: o.text === '>' ? 'Gt' : 'Lt', values: [value] });
        } else {
          checkValue(value);
          reqs.push({ key: t.text, operator: o.text === '!=' ? 'NotEquals' : 'Equals', values: [value] });
        }
      } else if (o.kind === 'id' && (o.text === 'in' || o.text === 'notin')) {
        p++;
        const values = readValues();
        if (values.length === 0) fail(`for "${o.text}" operator, the value list must be non-empty`);
        reqs.push({ key: t.text, operator: o.text === 'in' ? 'In' : 'NotIn', values });
      } else {
        fail(`unexpected "${o.text}" after key "${t.text}"`);
      }
    } else {
      fail(`unexpected "${t.text}"`);
    }
    const sep = peek();
    if (sep) {
      if (sep.kind !== ',') fail(`expected "," but found "${sep.text}"`);
      p++;
      if (p >= toks.length) fail('trailing ","');
    }
  }
  return { requirements: reqs };
}

/**
 * metav1.LabelSelector object → parsed selector (LabelSelectorAsSelector). null/undefined selects
 * nothing; {} selects everything. Bad operators or values → InvalidArgument.
 */
export function labelSelectorFromObject(obj: unknown): LabelSelector {
  if (obj === null || obj === undefined) return { requirements: [], matchesNothing: true };
  if (!isPlainObject(obj)) throw invalidArgument('label selector must be an object with matchLabels and/or matchExpressions');
  const reqs: LabelRequirement[] = [];
  const ml = obj.matchLabels;
  if (ml !== undefined && ml !== null) {
    if (!isPlainObject(ml)) throw invalidArgument('selector.matchLabels must be a map of strings');
    for (const [k, v] of Object.entries(ml)) {
      if (typeof v !== 'string') throw invalidArgument(`selector.matchLabels["${k}"] must be a string`);
      const kp = labelKeyProblem(k); if (kp) throw invalidArgument(`selector.matchLabels key "${k}": ${kp}`);
      const vp = labelValueProblem(v); if (vp) throw invalidArgument(`selector.matchLabels["${k}"] value "${v}": ${vp}`);
      reqs.push({ key: k, operator: 'Equals', values: [v] });
    }
  }
  const me = obj.matchExpressions;
  if (me !== undefined && me !== null) {
    if (!Array.isArray(me)) throw invalidArgument('selector.matchExpressions must be a list');
    me.forEach((e, i) => {
      if (!isPlainObject(e) || typeof e.key !== 'string') throw invalidArgument(`selector.matchExpressions[${i}] must have a string key`);
      const kp = labelKeyProblem(e.key); if (kp) throw invalidArgument(`selector.matchExpressions[${i}].key "${e.key}": ${kp}`);
      const values = e.values === undefined || e.values === null ? [] : e.values;
      if (!Array.isArray(values) || values.some((v) => typeof v !== 'string')) throw invalidArgument(`selector.matchExpressions[${i}].values must be a list of strings`);
      const op = e.operator;
      if (op === 'In' || op === 'NotIn') {
        if (values.length === 0) throw invalidArgument(`selector.matchExpressions[${i}].values: must be specified when operator is ${op}`);
      } else if (op === 'Exists' || op === 'DoesNotExist') {
        if (values.length !== 0) throw invalidArgument(`selector.matchExpressions[${i}].values: may not be specified when operator is ${op}`);
      } else {
        throw invalidArgument(`selector.matchExpressions[${i}].operator: "${String(op)}" is not a valid label selector operator`);
      }
      reqs.push({ key: e.key, operator: op, values: values as string[] });
    });
  }
  return { requirements: reqs };
}

function holds(r: LabelRequirement, labels: Record<string, string>): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, r.key);
  const v = has ? labels[r.key]! : undefined;
  switch (r.operator) {
    case 'Equals': case 'In': return has && r.values.includes(v!);
    case 'NotEquals': case 'NotIn': return !has || !r.values.includes(v!);
    case 'Exists': return has;
    case 'DoesNotExist': return !has;
    case 'Gt': case 'Lt': {
      if (!has || !/^-?\d+$/.test(v!)) return false;
      const a = Number(v), b = Number(r.values[0]);
      return r.operator === 'Gt' ? a > b : a < b;
    }
  }
}

export function matchesLabels(sel: LabelSelector, labels: Record<string, string> | undefined): boolean {
  if (sel.matchesNothing) return false;
  const l = labels ?? {};
  return sel.requirements.every((r) => holds(r, l));
}

/** The canonical string form (what scale status.selector and kubectl print), e.g. "app=web,tier in (a,b)". */
export function labelSelectorToString(sel: LabelSelector): string {
  return sel.requirements.map((r) => {
    switch (r.operator) {
      case 'Equals': return `${r.key}=${r.values[0]}`;
      case 'NotEquals': return `${r.key}!=${r.values[0]}`;
      case 'In': return `${r.key} in (${[...r.values].sort().join(',')})`;
      case 'NotIn': return `${r.key} notin (${[...r.values].sort().join(',')})`;
      case 'Exists': return r.key;
      case 'DoesNotExist': return `!${r.key}`;
      case 'Gt': return `${r.key}>${r.values[0]}`;
      case 'Lt': return `${r.key}<${r.values[0]}`;
    }
  }).join(',');
}
