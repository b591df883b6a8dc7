/**
 * Kubernetes name rules (apimachinery/pkg/util/validation) and object metadata validation.
 */
import { type FieldCause, invalid, isObj, required, tooLong } from './causes.js';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

export const LABEL_MSG = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
export const SUBDOMAIN_MSG = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
export const DNS1035_MSG = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

export type NameRule = 'subdomain' | 'label' | 'dns1035' | 'path-segment';

/** The problems with a name under a rule ([] when fine). */
export function nameProblems(name: string, rule: NameRule): string[] {
  switch (rule) {
    case 'label':
      return [...(name.length > 63 ? ['must be no more than 63 characters'] : []), ...(DNS1123_LABEL.test(name) ? [] : [LABEL_MSG])];
    case 'dns1035':
      return [...(name.length > 63 ? ['must be no more than 63 characters'] : []), ...(DNS1035_LABEL.test(name) ? [] : [DNS1035_MSG])];
    case 'subdomain':
      return [...(name.length > 253 ? ['must be no more than 253 characters'] : []), ...(DNS1123_SUBDOMAIN.test(name) ? [] : [SUBDOMAIN_MSG])];
    case 'path-segment':
      if (name === '.' || name === '..') return [`may not be '${name}'`];
      return /[/%]/.test(name) ? [`may not contain '/' or '%'`] : [];
  }
}

export function isDns1123Label(s: string): boolean {
  return s.length <= 63 && DNS1123_LABEL.test(s);
}
export function isDns1123Subdomain(s: string): boolean {
  return s.length <= 253 && DNS1123_SUBDOMAIN.test(s);
}

/** A label/annotation key: optional DNS subdomain prefix + "/" + qualified name (≤ 63). */
export function qualifiedNameProblems(key: string): string[] {
  const parts = key.split('/');
  const problems: string[] = [];
  let name = key;
  if (parts.length === 2) {
    const [prefix, n] = parts as [string, string];
    if (prefix.length === 0) problems.push('prefix part must be non-empty');
    else if (!isDns1123Subdomain(prefix)) problems.push(`prefix part ${SUBDOMAIN_MSG}`);
    name = n;
  } else if (parts.length > 2) {
    return ["a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"];
  }
  if (name.length === 0) problems.push('name part must be non-empty');
  else if (name.length > 63) problems.push('name part must be no more than 63 characters');
  else if (!QUALIFIED_NAME.test(name)) problems.push("name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')");
  return problems;
}

export function labelValueProblems(v: string): string[] {
  const problems: string[] = [];
  if (v.length > 63) problems.push('must be no more than 63 characters');
  if (!LABEL_VALUE.test(v)) problems.push("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')");
  return problems;
}

export function validateLabels(labels: unknown, field: string): FieldCause[] {
  if (labels === undefined || labels === null) return [];
  if (!isObj(labels)) return [invalid(field, labels, 'must be a map of strings')];
  const out: FieldCause[] = [];
  for (const [k, v] of Object.entries(labels)) {
    for (const p of qualifiedNameProblems(k)) out.push(invalid(field, k, p));
    if (typeof v !== 'string') out.push(invalid(`${field}[${k}]`, v, 'must be a string'));
    else for (const p of labelValueProblems(v)) out.push(invalid(`${field}[${k}]`, v, p));
  }
  return out;
}

const TOTAL_ANNOTATION_SIZE = 256 * 1024;

/** Metadata rules shared by every kind: name (per the kind's rule), namespace presence, labels, annotations, owner references. */
export function validateObjectMeta(meta: unknown, opts: { namespaced: boolean; nameRule: NameRule }): FieldCause[] {
  if (!isObj(meta)) return [required('metadata')];
  const out: FieldCause[] = [];
  const name = meta.name;
  if (typeof name !== 'string' || name === '') {
    if (typeof meta.generateName !== 'string' || meta.generateName === '') out.push(required('metadata.name', 'name or generateName is required'));
  } else {
    for (const p of nameProblems(name, opts.nameRule)) out.push(invalid('metadata.name', name, p));
  }
  if (opts.namespaced && (typeof meta.namespace !== 'string' || meta.namespace === '')) out.push(required('metadata.namespace'));
  if (!opts.namespaced && typeof meta.namespace === 'string' && meta.namespace !== '') out.push({ reason: 'FieldValueForbidden', message: 'Forbidden: not allowed on this type', field: 'metadata.namespace' });
  out.push(...validateLabels(meta.labels, 'metadata.labels'));
  if (meta.annotations !== undefined && meta.annotations !== null) {
    if (!isObj(meta.annotations)) out.push(invalid('metadata.annotations', meta.annotations, 'must be a map of strings'));
    else {
      let size = 0;
      for (const [k, v] of Object.entries(meta.annotations)) {
        for (const p of qualifiedNameProblems(k.toLowerCase())) out.push(invalid('metadata.annotations', k, p));
        if (typeof v !== 'string') out.push(invalid(`metadata.annotations[${k}]`, v, 'must be a string'));
        size += k.length + String(v).length;
      }
      if (size > TOTAL_ANNOTATION_SIZE) out.push(tooLong('metadata.annotations', TOTAL_ANNOTATION_SIZE));
    }
  }
  if (Array.isArray(meta.ownerReferences)) {
    meta.ownerReferences.forEach((r, i) => {
      const f = `metadata.ownerReferences[${i}]`;
      if (!isObj(r)) return out.push(invalid(f, r, 'must be an object'));
      for (const k of ['apiVersion', 'kind', 'name', 'uid']) if (typeof r[k] !== 'string' || r[k] === '') out.push(required(`${f}.${k}`, `${k} must not be empty`));
    });
    const controllers = meta.ownerReferences.filter((r) => isObj(r) && r.controller === true);
    if (controllers.length > 1) out.push(invalid('metadata.ownerReferences', meta.ownerReferences, 'Only one reference can have Controller set to true'));
  }
  if (meta.finalizers !== undefined && !Array.isArray(meta.finalizers)) out.push(invalid('metadata.finalizers', meta.finalizers, 'must be a list of strings'));
  if (Array.isArray(meta.finalizers)) {
    meta.finalizers.forEach((f, i) => {
      if (typeof f !== 'string' || qualifiedNameProblems(f).length > 0) out.push(invalid(`metadata.finalizers[${i}]`, f, 'name is neither a standard finalizer name nor is it fully qualified'));
    });
  }
  return out;
}
