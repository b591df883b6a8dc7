/**
 * ConfigMaps, Secrets and Namespaces: key rules, secret types and their required keys, the
 * `immutable` flag, stringData folding, namespace finalizers and phase.
 */
import { type FieldCause, duplicate, forbidden, immutable, invalid, isObj, required, tooLong } from './causes.js';

const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;
const MAX_SIZE = 1024 * 1024;

function keyProblems(k: string): string[] {
  if (k.length > 253) return ['must be no more than 253 characters'];
  if (!CONFIG_KEY.test(k)) return ["a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"];
  if (k === '.' || k === '..' || k.startsWith('..')) return ["must not be '.' or '..' or start with '..'"];
  return [];
}

function validateKeys(map: unknown, field: string, out: FieldCause[], stringValues: boolean): number {
  if (map === undefined || map === null) return 0;
  if (!isObj(map)) {
    out.push(invalid(field, map, 'must be a map'));
    return 0;
  }
  let size = 0;
  for (const [k, v] of Object.entries(map)) {
    for (const p of keyProblems(k)) out.push(invalid(field, k, p));
    if (stringValues && typeof v !== 'string') out.push(invalid(`${field}[${k}]`, v, 'must be a string'));
    size += String(v).length;
  }
  return size;
}

export function validateConfigMap(o: Record<string, unknown>): FieldCause[] {
  const out: FieldCause[] = [];
  let size = validateKeys(o.data, 'data', out, true);
  size += validateKeys(o.binaryData, 'binaryData', out, true);
  if (isObj(o.data) && isObj(o.binaryData)) for (const k of Object.keys(o.data)) if (k in o.binaryData) out.push(duplicate('data', k));
  if (size > MAX_SIZE) out.push(tooLong('', MAX_SIZE));
  return out;
}

export function validateImmutableData(o: Record<string, unknown>, old: Record<string, unknown>, fields: string[]): FieldCause[] {
  if (old.immutable !== true) return [];
  const out: FieldCause[] = [];
  if (o.immutable !== true) out.push(forbidden('immutable', 'field is immutable when `immutable` is set'));
  for (const f of fields) if (JSON.stringify(o[f] ?? null) !== JSON.stringify(old[f] ?? null)) out.push(forbidden(f, 'field is immutable when `immutable` is set'));
  return out;
}

/** Folds stringData into data (base64) as the API does, and defaults the type. */
export function defaultSecret(o: Record<string, unknown>): void {
  o.type ??= 'Opaque';
  if (isObj(o.stringData)) {
    const data = isObj(o.data) ? o.data : (o.data = {});
    for (const [k, v] of Object.entries(o.stringData)) if (typeof v === 'string') data[k] = Buffer.from(v, 'utf8').toString('base64');
    delete o.stringData;
  }
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const REQUIRED_KEYS: Record<string, string[]> = {
  'kubernetes.io/dockerconfigjson': ['.dockerconfigjson'],
  'kubernetes.io/dockercfg': ['.dockercfg'],
  'kubernetes.io/tls': ['tls.crt', 'tls.key'],
  'kubernetes.io/ssh-auth': ['ssh-privatekey'],
};

export function validateSecret(o: Record<string, unknown>): FieldCause[] {
  const out: FieldCause[] = [];
  const size = validateKeys(o.data, 'data', out, true);
  if (isObj(o.data)) {
    for (const [k, v] of Object.entries(o.data)) if (typeof v === 'string' && (v.length % 4 !== 0 || !BASE64.test(v))) out.push(invalid(`data[${k}]`, '<secret contents redacted>', 'illegal base64 data'));
  }
  if (size > MAX_SIZE) out.push(tooLong('data', MAX_SIZE));
  const type = String(o.type ?? 'Opaque');
  for (const key of REQUIRED_KEYS[type] ?? []) if (!isObj(o.data) || !(key in o.data)) out.push(required(`data[${key}]`));
  if (type === 'kubernetes.io/service-account-token') {
    const ann = isObj(o.metadata) && isObj(o.metadata.annotations) ? o.metadata.annotations : {};
    if (!ann['kubernetes.io/service-account.name']) out.push(required('metadata.annotations[kubernetes.io/service-account.name]'));
  }
  if (type === 'kubernetes.io/basic-auth' && isObj(o.data) && !('username' in o.data) && !('password' in o.data)) out.push(required('data[username]'));
  return out;
}

export function validateSecretUpdate(o: Record<string, unknown>, old: Record<string, unknown>): FieldCause[] {
  const out: FieldCause[] = [];
  if ((o.type ?? 'Opaque') !== (old.type ?? 'Opaque')) out.push(immutable('type', o.type));
  out.push(...validateImmutableData(o, old, ['data']));
  return out;
}

export function defaultNamespace(o: Record<string, unknown>): void {
  const spec = isObj(o.spec) ? o.spec : (o.spec = {});
  spec.finalizers ??= ['kubernetes'];
  const meta = isObj(o.metadata) ? o.metadata : {};
  const labels = isObj(meta.labels) ? meta.labels : (meta.labels = {});
  if (typeof meta.name === 'string') labels['kubernetes.io/metadata.name'] = meta.name;
}
