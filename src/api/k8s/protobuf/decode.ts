/**
 * Kubernetes protobuf request bodies (`application/vnd.kubernetes.protobuf`) → the JSON-equivalent
 * object. Wire format: the magic `k8s\0`, then a runtime.Unknown message {typeMeta{apiVersion, kind},
 * raw, contentEncoding, contentType}, where raw is the typed message (e.g. k8s.io.api.core.v1.Secret).
 * The message definitions are the *.proto files beside this module (see runtime.proto for the field
 * options); this module turns decoded messages into what the same object looks like in JSON: Time →
 * RFC 3339, IntOrString → number|string, Quantity → string, bytes → base64, FieldsV1 → object,
 * embedded Go structs inlined, zero values of omitempty fields dropped.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type Protobuf from 'protobufjs';
import { BerthError, invalidArgument } from '../../../base/errors.js';
import { dataFilePath } from '../data-file.js';

const PROTO_FILES = ['runtime', 'meta', 'intstr', 'resource', 'core', 'apps', 'batch', 'policy', 'autoscaling', 'authentication', 'authorization', 'rbac', 'scheduling', 'networking'];

// Loaded on first use: the daemon needs protobufjs only when a client sends a protobuf body.
let protobufLib: typeof Protobuf | undefined;
const protobufjs = (): typeof Protobuf => (protobufLib ??= createRequire(import.meta.url)('protobufjs') as typeof Protobuf);

let root: Protobuf.Root | undefined;
function types(): Protobuf.Root {
  if (root) return root;
  const protobuf = protobufjs();
  const r = new protobuf.Root();
  for (const f of PROTO_FILES) protobuf.parse(readFileSync(dataFilePath(import.meta.url, `./${f}.proto`), 'utf8'), r, { keepCase: true });
  r.resolveAll();
  root = r;
  return r;
}

export const KUBE_PROTOBUF_MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

const CORE = 'k8s.io.api.core.v1.';
/** apiVersion/kind → message type. */
const KINDS: Record<string, string> = {
  'v1/Secret': `${CORE}Secret`, 'v1/ConfigMap': `${CORE}ConfigMap`, 'v1/Namespace': `${CORE}Namespace`,
  'v1/Service': `${CORE}Service`, 'v1/ServiceAccount': `${CORE}ServiceAccount`, 'v1/Pod': `${CORE}Pod`,
  'v1/ResourceQuota': `${CORE}ResourceQuota`,
  'apps/v1/Deployment': 'k8s.io.api.apps.v1.Deployment',
  'batch/v1/Job': 'k8s.io.api.batch.v1.Job', 'batch/v1/CronJob': 'k8s.io.api.batch.v1.CronJob',
  'policy/v1/PodDisruptionBudget': 'k8s.io.api.policy.v1.PodDisruptionBudget', 'policy/v1/Eviction': 'k8s.io.api.policy.v1.Eviction',
  'autoscaling/v1/HorizontalPodAutoscaler': 'k8s.io.api.autoscaling.v1.HorizontalPodAutoscaler', 'autoscaling/v1/Scale': 'k8s.io.api.autoscaling.v1.Scale',
  'authentication.k8s.io/v1/TokenRequest': 'k8s.io.api.authentication.v1.TokenRequest',
  'authentication.k8s.io/v1/SelfSubjectReview': 'k8s.io.api.authentication.v1.SelfSubjectReview',
  'authentication.k8s.io/v1/TokenReview': 'k8s.io.api.authentication.v1.TokenReview',
  'authorization.k8s.io/v1/SelfSubjectAccessReview': 'k8s.io.api.authorization.v1.SelfSubjectAccessReview',
  'authorization.k8s.io/v1/SelfSubjectRulesReview': 'k8s.io.api.authorization.v1.SelfSubjectRulesReview',
  'rbac.authorization.k8s.io/v1/Role': 'k8s.io.api.rbac.v1.Role', 'rbac.authorization.k8s.io/v1/ClusterRole': 'k8s.io.api.rbac.v1.ClusterRole',
  'rbac.authorization.k8s.io/v1/RoleBinding': 'k8s.io.api.rbac.v1.RoleBinding', 'rbac.authorization.k8s.io/v1/ClusterRoleBinding': 'k8s.io.api.rbac.v1.ClusterRoleBinding',
  'scheduling.k8s.io/v1/PriorityClass': 'k8s.io.api.scheduling.v1.PriorityClass',
  'networking.k8s.io/v1/Ingress': 'k8s.io.api.networking.v1.Ingress',
};
const DELETE_OPTIONS = 'k8s.io.apimachinery.pkg.apis.meta.v1.DeleteOptions';

/** The kinds this decoder understands, as apiVersion/kind (DeleteOptions in any group). */
export function protobufKinds(): string[] {
  return [...Object.keys(KINDS), '*/DeleteOptions'];
}

function unsupported(what: string): BerthError {
  const message = `the protobuf encoding of ${what} is not supported by this server; send application/json`;
  return new BerthError('InvalidArgument', message, {
    details: { status: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: 'UnsupportedMediaType', code: 415 } },
  });
}

export function decodeKubeProtobuf(body: Buffer): object {
  if (body.length < 4 || !body.subarray(0, 4).equals(KUBE_PROTOBUF_MAGIC)) throw invalidArgument('protobuf body does not start with the Kubernetes magic "k8s\\0"');
  const t = types();
  let envelope: Record<string, any>;
  try {
    envelope = t.lookupType('k8s.io.apimachinery.pkg.runtime.Unknown').decode(body.subarray(4)) as unknown as Record<string, any>;
  } catch (err) {
    throw invalidArgument(`invalid protobuf body: ${(err as Error).message}`);
  }
  const apiVersion: string = envelope.typeMeta?.apiVersion ?? '';
  const kind: string = envelope.typeMeta?.kind ?? '';
  if (envelope.contentEncoding) throw unsupported(`content encoding "${envelope.contentEncoding}"`);
  const typeName = kind === 'DeleteOptions' ? DELETE_OPTIONS : (Object.prototype.hasOwnProperty.call(KINDS, `${apiVersion}/${kind}`) ? KINDS[`${apiVersion}/${kind}`] : undefined);
  if (!typeName) throw unsupported(`${apiVersion || '<no apiVersion>'}, Kind=${kind || '<no kind>'}`);
  const type = t.lookupType(typeName);
  let msg: Record<string, unknown>;
  try {
    msg = type.decode(envelope.raw ?? Buffer.alloc(0)) as unknown as Record<string, unknown>;
  } catch (err) {
    throw invalidArgument(`invalid protobuf body for ${apiVersion}, Kind=${kind}: ${(err as Error).message}`);
  }
  return { kind, apiVersion, ...messageToJson(msg, type) };
}

type Json = Record<string, unknown>;

function messageToJson(msg: Record<string, unknown>, type: Protobuf.Type): Json {
  const out: Json = {};
  for (const field of type.fieldsArray) {
    if (!Object.prototype.hasOwnProperty.call(msg, field.name)) continue;
    const v = msg[field.name];
    const opts = field.options ?? {};
    if (field.map) {
      const m = v as Record<string, unknown>;
      if (Object.keys(m).length === 0) continue;
      const conv: Json = {};
      for (const [k, x] of Object.entries(m)) Object.defineProperty(conv, k, { value: valueToJson(x, field, true), enumerable: true, writable: true, configurable: true });
      out[field.name] = conv;
      continue;
    }
    if (field.repeated) {
      const arr = v as unknown[];
      if (arr.length === 0) continue;
      out[field.name] = arr.map((x) => valueToJson(x, field, true));
      continue;
    }
    const j = valueToJson(v, field, !!(opts['(keep)'] || opts['(ptr)']));
    if (j === undefined) continue;
    if (opts['(inline)'] && j && typeof j === 'object') Object.assign(out, j);
    else out[field.name] = j;
  }
  return out;
}

/** One value of a field; undefined = omit. `keepZero` for pointer/non-omitempty fields and list/map elements. */
function valueToJson(v: unknown, field: Protobuf.Field, keepZero: boolean): unknown {
  if (field.resolvedType instanceof protobufjs().Type) {
    const special = specialToJson(v as Record<string, any>, field.resolvedType.fullName);
    if (special !== NOT_SPECIAL) return special;
    return messageToJson(v as Record<string, unknown>, field.resolvedType);
  }
  if (field.resolvedType instanceof protobufjs().Enum) return v;
  if (field.type === 'bytes') return Buffer.from(v as Uint8Array).toString('base64');
  const n = toNumber(v);
  if (!keepZero && (n === 0 || n === '' || n === false)) return undefined;
  return n;
}

function toNumber(v: unknown): unknown {
  // int64 fields decode to Long objects when the `long` package is present.
  const l = v as { low?: unknown; high?: unknown; toNumber?: () => number } | null;
  if (l && typeof l === 'object' && 'low' in l && 'high' in l && typeof l.toNumber === 'function') return l.toNumber();
  return v;
}

const NOT_SPECIAL = Symbol('not special');

function specialToJson(m: Record<string, any>, fullName: string): unknown {
  switch (fullName) {
    case '.k8s.io.apimachinery.pkg.apis.meta.v1.Time':
    case '.k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime': {
      const seconds = Number(toNumber(m.seconds ?? 0));
      const nanos = Number(m.nanos ?? 0);
      if (seconds === 0 && nanos === 0) return undefined; // Go's zero time is sent as an empty message
      const d = new Date(seconds * 1000);
      const base = d.toISOString().slice(0, 19);
      return fullName.endsWith('MicroTime') ? `${base}.${String(Math.floor(nanos / 1000)).padStart(6, '0')}Z` : `${base}Z`;
    }
    case '.k8s.io.apimachinery.pkg.util.intstr.IntOrString':
      return Number(toNumber(m.type ?? 0)) === 1 ? (m.strVal ?? '') : (m.intVal ?? 0);
    case '.k8s.io.apimachinery.pkg.api.resource.Quantity':
      return m.string ?? '0';
    case '.k8s.io.apimachinery.pkg.apis.meta.v1.FieldsV1':
    case '.k8s.io.apimachinery.pkg.runtime.RawExtension': {
      const raw: Uint8Array | undefined = m.Raw ?? m.raw;
      if (!raw || raw.length === 0) return {};
      try { return JSON.parse(Buffer.from(raw).toString('utf8')); } catch { throw invalidArgument(`protobuf body: ${fullName.split('.').pop()} does not hold JSON`); }
    }
    case '.k8s.io.apimachinery.pkg.apis.meta.v1.Duration': {
      const ns = Number(toNumber(m.duration ?? 0));
      return goDuration(ns);
    }
    default:
      return NOT_SPECIAL;
  }
}

/** Go's time.Duration.String() for whole-millisecond-or-coarser values (what metav1.Duration carries). */
function goDuration(ns: number): string {
  if (ns === 0) return '0s';
  const neg = ns < 0;
  let s = Math.abs(ns) / 1e9;
  const h = Math.floor(s / 3600); s -= h * 3600;
  const m = Math.floor(s / 60); s -= m * 60;
  const sec = Number(s.toFixed(9)).toString();
  return `${neg ? '-' : ''}${h ? `${h}h` : ''}${h || m ? `${m}m` : ''}${sec}s`;
}

/** Encodes an object with the same types (used by tests to produce bodies; not a server response path). */
export function encodeKubeProtobuf(apiVersion: string, kind: string, message: Record<string, unknown>): Buffer {
  const t = types();
  const typeName = kind === 'DeleteOptions' ? DELETE_OPTIONS : KINDS[`${apiVersion}/${kind}`];
  if (!typeName) throw unsupported(`${apiVersion}, Kind=${kind}`);
  const type = t.lookupType(typeName);
  const raw = type.encode(type.fromObject(message)).finish();
  const env = t.lookupType('k8s.io.apimachinery.pkg.runtime.Unknown');
  const body = env.encode(env.fromObject({ typeMeta: { apiVersion, kind }, raw, contentEncoding: '', contentType: '' })).finish();
  return Buffer.concat([KUBE_PROTOBUF_MAGIC, Buffer.from(body)]);
}
