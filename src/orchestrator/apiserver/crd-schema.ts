/**
 * Validation of custom resources against their CRD's structural openAPIV3Schema, with pruning of
 * fields the schema does not declare (kube's default for apiextensions/v1), reporting what was
 * pruned so fieldValidation=Strict|Warn can act on it.
 */
import type { StatusCause } from './kube-errors.js';
import { isPlainObject } from './object-meta.js';

export type Schema = Record<string, unknown>;

export interface SchemaCheck { causes: StatusCause[]; pruned: string[] }

const show = (v: unknown) => (typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v) ?? 'null');

function typeOk(type: string, v: unknown): boolean {
  switch (type) {
    case 'object': return isPlainObject(v);
    case 'array': return Array.isArray(v);
    case 'string': return typeof v === 'string';
    case 'integer': return typeof v === 'number' && Number.isInteger(v);
    case 'number': return typeof v === 'number';
    case 'boolean': return typeof v === 'boolean';
    default: return true;
  }
}

/** Validates value in place, deleting undeclared fields; returns causes and pruned field paths. */
export function checkAgainstSchema(schema: Schema, value: unknown, path: string, out: SchemaCheck = { causes: [], pruned: [] }): SchemaCheck {
  const invalid = (msg: string) => out.causes.push({ reason: 'FieldValueInvalid', message: `Invalid value: ${show(value)}: ${msg}`, field: path });
  if (value === null) {
    if (schema.nullable !== true && schema.type !== undefined) out.causes.push({ reason: 'FieldValueTypeInvalid', message: `Invalid value: "null": ${path} in body must be of type ${String(schema.type)}: "null"`, field: path });
    return out;
  }
  if (schema['x-kubernetes-int-or-string'] === true) {
    if (typeof value !== 'string' && !(typeof value === 'number' && Number.isInteger(value))) invalid(`${path} in body must be of type integer or string: ${show(value)}`);
    return out;
  }
  const type = typeof schema.type === 'string' ? schema.type : undefined;
  if (type && !typeOk(type, value)) {
    out.causes.push({ reason: 'FieldValueTypeInvalid', message: `Invalid value: ${show(value)}: ${path} in body must be of type ${type}: ${show(value)}`, field: path });
    return out;
  }
  if (Array.isArray(schema.enum) && !schema.enum.some((e) => JSON.stringify(e) === JSON.stringify(value))) {
    out.causes.push({ reason: 'FieldValueNotSupported', message: `Unsupported value: ${show(value)}: supported values: ${schema.enum.map(show).join(', ')}`, field: path });
  }
  if (typeof value === 'string') {
    if (typeof schema.pattern === 'string' && !safeRegex(schema.pattern).test(value)) invalid(`${path} in body should match '${schema.pattern}'`);
    if (typeof schema.maxLength === 'number' && [...value].length > schema.maxLength) out.causes.push({ reason: 'FieldValueTooLong', message: `Too long: may not be more than ${schema.maxLength} bytes`, field: path });
    if (typeof schema.minLength === 'number' && [...value].length < schema.minLength) invalid(`${path} in body should be at least ${schema.minLength} chars long`);
  }
  if (typeof value === 'number') {
    if (typeof schema.minimum === 'number' && (schema.exclusiveMinimum === true ? value <= schema.minimum : value < schema.minimum)) invalid(`${path} in body should be greater than or equal to ${schema.minimum}`);
    if (typeof schema.maximum === 'number' && (schema.exclusiveMaximum === true ? value >= schema.maximum : value > schema.maximum)) invalid(`${path} in body should be less than or equal to ${schema.maximum}`);
  }
  if (Array.isArray(value)) {
    if (typeof schema.maxItems === 'number' && value.length > schema.maxItems) out.causes.push({ reason: 'FieldValueTooMany', message: `Too many: ${value.length}: must have at most ${schema.maxItems} items`, field: path });
    if (typeof schema.minItems === 'number' && value.length < schema.minItems) invalid(`${path} in body should have at least ${schema.minItems} items`);
    if (isPlainObject(schema.items)) value.forEach((item, i) => checkAgainstSchema(schema.items as Schema, item, `${path}[${i}]`, out));
  }
  if (isPlainObject(value)) checkObject(schema, value, path, out);
  return out;
}

function checkObject(schema: Schema, value: Record<string, unknown>, path: string, out: SchemaCheck): void {
  const props = isPlainObject(schema.properties) ? (schema.properties as Record<string, Schema>) : undefined;
  const additional = schema.additionalProperties;
  const preserve = schema['x-kubernetes-preserve-unknown-fields'] === true;
  const child = (k: string) => (path ? `${path}.${k}` : k);
  if (Array.isArray(schema.required)) {
    for (const r of schema.required) if (typeof r === 'string' && !(r in value)) out.causes.push({ reason: 'FieldValueRequired', message: 'Required value', field: child(r) });
  }
  for (const k of Object.keys(value)) {
    // The root and embedded resources (x-kubernetes-embedded-resource) always carry type and object metadata.
    if ((path === '' || schema['x-kubernetes-embedded-resource'] === true) && (k === 'apiVersion' || k === 'kind' || k === 'metadata') && !(props && props[k])) continue;
    if (props && props[k]) checkAgainstSchema(props[k]!, value[k], child(k), out);
    else if (isPlainObject(additional)) checkAgainstSchema(additional as Schema, value[k], child(k), out);
    else if (additional === true || preserve) continue;
    else {
      out.pruned.push(child(k));
      delete value[k];
    }
  }
  if (typeof schema.maxProperties === 'number' && Object.keys(value).length > schema.maxProperties) out.causes.push({ reason: 'FieldValueTooMany', message: `Too many: must have at most ${schema.maxProperties} items`, field: path });
}

/** Applies `default` values declared in the schema (apiextensions/v1 defaulting). */
export function applySchemaDefaults(schema: Schema, value: unknown): void {
  if (isPlainObject(value) && isPlainObject(schema.properties)) {
    for (const [k, sub] of Object.entries(schema.properties as Record<string, Schema>)) {
      if (value[k] === undefined && sub.default !== undefined) value[k] = JSON.parse(JSON.stringify(sub.default));
      if (value[k] !== undefined) applySchemaDefaults(sub, value[k]);
    }
  } else if (Array.isArray(value) && isPlainObject(schema.items)) {
    for (const item of value) applySchemaDefaults(schema.items as Schema, item);
  }
}

function safeRegex(pattern: string): RegExp {
  try {
    return new RegExp(pattern, 'u');
  } catch {
    return /[\s\S]*/;
  }
}

/**
 * Structural-schema rules (the subset that matters): every node declares a type unless it is
 * int-or-string or preserves unknown fields; the root is an object; metadata may only constrain
 * name and generateName. Returns causes with paths under the given base.
 */
export function structuralProblems(schema: unknown, base: string): StatusCause[] {
  const causes: StatusCause[] = [];
  if (!isPlainObject(schema)) return [{ reason: 'FieldValueRequired', message: 'Required value: schemas are required', field: base }];
  if (schema.type !== 'object') causes.push({ reason: 'FieldValueInvalid', message: `Invalid value: ${show(schema.type)}: must be object at the root`, field: `${base}.type` });
  const walk = (s: Record<string, unknown>, p: string) => {
    const untyped = s['x-kubernetes-int-or-string'] === true || s['x-kubernetes-preserve-unknown-fields'] === true;
    if (s.type === undefined && !untyped) causes.push({ reason: 'FieldValueRequired', message: 'Required value: must not be empty for specified object fields', field: `${p}.type` });
    if (s.type !== undefined && !['object', 'array', 'string', 'integer', 'number', 'boolean'].includes(String(s.type))) causes.push({ reason: 'FieldValueNotSupported', message: `Unsupported value: ${show(s.type)}`, field: `${p}.type` });
    if (s.type === 'array' && !isPlainObject(s.items)) causes.push({ reason: 'FieldValueRequired', message: 'Required value: must be specified', field: `${p}.items` });
    if (typeof s.pattern === 'string') {
      try { new RegExp(s.pattern, 'u'); } catch { causes.push({ reason: 'FieldValueInvalid', message: `Invalid value: ${show(s.pattern)}: must be a valid regular expression`, field: `${p}.pattern` }); }
    }
    if (isPlainObject(s.properties)) for (const [k, v] of Object.entries(s.properties)) if (isPlainObject(v)) walk(v, `${p}.properties[${k}]`);
    if (isPlainObject(s.items)) walk(s.items, `${p}.items`);
    if (isPlainObject(s.additionalProperties)) walk(s.additionalProperties, `${p}.additionalProperties`);
  };
  walk(schema, base);
  return causes;
}
