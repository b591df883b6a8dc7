/**
 * Pod specs (also inside workload templates): the defaults kubectl shows (restartPolicy, dnsPolicy,
 * terminationGracePeriodSeconds, schedulerName, container imagePullPolicy and termination message
 * settings, port protocols) and the rules kube enforces (containers present, unique DNS-label
 * names, images, port ranges, volume names, restartPolicy values).
 */
import { type FieldCause, duplicate, invalid, isObj, notSupported, required } from './causes.js';
import { isDns1123Label, LABEL_MSG } from './names.js';
import { parseQuantity, QUANTITY_REGEX } from './quantity.js';

function validateResources(res: unknown, field: string): FieldCause[] {
  if (res === undefined || res === null) return [];
  if (!isObj(res)) return [invalid(field, res, 'must be an object')];
  const out: FieldCause[] = [];
  const values: Record<string, Record<string, number>> = { requests: {}, limits: {} };
  for (const kind of ['requests', 'limits'] as const) {
    const m = res[kind];
    if (m === undefined || m === null) continue;
    if (!isObj(m)) {
      out.push(invalid(`${field}.${kind}`, m, 'must be a map of resource quantities'));
      continue;
    }
    for (const [name, q] of Object.entries(m)) {
      const v = parseQuantity(q);
      if (v === null) out.push(invalid(`${field}.${kind}[${name}]`, q, `quantities must match the regular expression '${QUANTITY_REGEX}'`));
      else if (v < 0) out.push(invalid(`${field}.${kind}[${name}]`, q, 'must be greater than or equal to 0'));
      else values[kind]![name] = v;
    }
  }
  for (const [name, req] of Object.entries(values.requests!)) {
    const lim = values.limits![name];
    if (lim !== undefined && req > lim) out.push(invalid(`${field}.requests`, (res.requests as Record<string, unknown>)[name], `must be less than or equal to ${name} limit of ${String((res.limits as Record<string, unknown>)[name])}`));
  }
  return out;
}

function imageTag(image: string): string | null {
  const lastSlash = image.lastIndexOf('/');
  const afterSlash = image.slice(lastSlash + 1);
  if (afterSlash.includes('@')) return '@digest';
  const colon = afterSlash.lastIndexOf(':');
  return colon < 0 ? null : afterSlash.slice(colon + 1);
}

function defaultContainer(c: Record<string, unknown>): void {
  if (c.imagePullPolicy === undefined && typeof c.image === 'string') {
    const tag = imageTag(c.image);
    c.imagePullPolicy = tag === null || tag === 'latest' ? 'Always' : 'IfNotPresent';
  }
  if (c.terminationMessagePath === undefined) c.terminationMessagePath = '/dev/termination-log';
  if (c.terminationMessagePolicy === undefined) c.terminationMessagePolicy = 'File';
  if (c.resources === undefined) c.resources = {};
  if (Array.isArray(c.ports)) for (const p of c.ports) if (isObj(p) && p.protocol === undefined) p.protocol = 'TCP';
  for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
    const pr = c[probe];
    if (!isObj(pr)) continue;
    pr.timeoutSeconds ??= 1;
    pr.periodSeconds ??= 10;
    pr.successThreshold ??= 1;
    pr.failureThreshold ??= 3;
  }
}

export function defaultPodSpec(spec: Record<string, unknown>, restartDefault = 'Always'): void {
  spec.restartPolicy ??= restartDefault;
  spec.terminationGracePeriodSeconds ??= 30;
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.securityContext ??= {};
  spec.schedulerName ??= 'default-scheduler';
  spec.enableServiceLinks ??= true;
  for (const list of ['containers', 'initContainers']) {
    const cs = spec[list];
    if (Array.isArray(cs)) for (const c of cs) if (isObj(c)) defaultContainer(c);
  }
  if (Array.isArray(spec.volumes)) {
    for (const v of spec.volumes) {
      if (!isObj(v)) continue;
      const keys = Object.keys(v).filter((k) => k !== 'name');
      if (keys.length === 0) v.emptyDir = {};
      for (const src of ['configMap', 'secret']) if (isObj(v[src]) && (v[src] as Record<string, unknown>).defaultMode === undefined) (v[src] as Record<string, unknown>).defaultMode = 420;
    }
  }
}

const RESTART = ['Always', 'OnFailure', 'Never'];
const DNS = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];
const PULL = ['Always', 'IfNotPresent', 'Never'];
const PROTO = ['SCTP', 'TCP', 'UDP'];

function validateContainers(list: unknown, field: string, names: Set<string>, needsOne: boolean): FieldCause[] {
  const out: FieldCause[] = [];
  if (list === undefined || list === null) return needsOne ? [required(field)] : [];
  if (!Array.isArray(list)) return [invalid(field, list, 'must be a list')];
  if (needsOne && list.length === 0) out.push(required(field));
  list.forEach((c, i) => {
    const f = `${field}[${i}]`;
    if (!isObj(c)) return out.push(invalid(f, c, 'must be an object'));
    if (typeof c.name !== 'string' || c.name === '') out.push(required(`${f}.name`));
    else if (!isDns1123Label(c.name)) out.push(invalid(`${f}.name`, c.name, LABEL_MSG));
    else if (names.has(c.name)) out.push(duplicate(`${f}.name`, c.name));
    else names.add(c.name);
    if (typeof c.image !== 'string' || c.image.trim() === '') out.push(required(`${f}.image`));
    if (c.imagePullPolicy !== undefined && !PULL.includes(String(c.imagePullPolicy))) out.push(notSupported(`${f}.imagePullPolicy`, c.imagePullPolicy, PULL));
    if (c.ports !== undefined && !Array.isArray(c.ports)) out.push(invalid(`${f}.ports`, c.ports, 'must be a list'));
    if (Array.isArray(c.ports)) {
      c.ports.forEach((p, j) => {
        const pf = `${f}.ports[${j}]`;
        if (!isObj(p)) return out.push(invalid(pf, p, 'must be an object'));
        if (p.containerPort === undefined) out.push(required(`${pf}.containerPort`));
        else if (!Number.isInteger(p.containerPort) || (p.containerPort as number) < 1 || (p.containerPort as number) > 65535) out.push(invalid(`${pf}.containerPort`, p.containerPort, 'must be between 1 and 65535, inclusive'));
        if (p.hostPort !== undefined && (!Number.isInteger(p.hostPort) || (p.hostPort as number) < 0 || (p.hostPort as number) > 65535)) out.push(invalid(`${pf}.hostPort`, p.hostPort, 'must be between 1 and 65535, inclusive'));
        if (p.protocol !== undefined && !PROTO.includes(String(p.protocol))) out.push(notSupported(`${pf}.protocol`, p.protocol, PROTO));
      });
    }
    out.push(...validateResources(c.resources, `${f}.resources`));
    if (Array.isArray(c.env)) {
      c.env.forEach((e, j) => {
        if (!isObj(e) || typeof e.name !== 'string' || e.name === '') out.push(required(`${f}.env[${j}].name`));
      });
    }
    if (Array.isArray(c.volumeMounts)) {
      c.volumeMounts.forEach((m, j) => {
        if (!isObj(m) || typeof m.name !== 'string' || m.name === '') out.push(required(`${f}.volumeMounts[${j}].name`));
        if (!isObj(m) || typeof m.mountPath !== 'string' || m.mountPath === '') out.push(required(`${f}.volumeMounts[${j}].mountPath`));
      });
    }
  });
  return out;
}

export function validatePodSpec(spec: unknown, field: string): FieldCause[] {
  if (!isObj(spec)) return [required(field)];
  const out: FieldCause[] = [];
  const names = new Set<string>();
  out.push(...validateContainers(spec.initContainers, `${field}.initContainers`, names, false));
  out.push(...validateContainers(spec.containers, `${field}.containers`, names, true));
  if (spec.restartPolicy !== undefined && !RESTART.includes(String(spec.restartPolicy))) out.push(notSupported(`${field}.restartPolicy`, spec.restartPolicy, RESTART));
  if (spec.dnsPolicy !== undefined && !DNS.includes(String(spec.dnsPolicy))) out.push(notSupported(`${field}.dnsPolicy`, spec.dnsPolicy, DNS));
  if (spec.terminationGracePeriodSeconds !== undefined && (!Number.isInteger(spec.terminationGracePeriodSeconds) || (spec.terminationGracePeriodSeconds as number) < 0)) out.push(invalid(`${field}.terminationGracePeriodSeconds`, spec.terminationGracePeriodSeconds, 'must be greater than or equal to 0'));
  if (Array.isArray(spec.volumes)) {
    const vnames = new Set<string>();
    spec.volumes.forEach((v, i) => {
      const f = `${field}.volumes[${i}]`;
      if (!isObj(v) || typeof v.name !== 'string' || v.name === '') return out.push(required(`${f}.name`));
      if (!isDns1123Label(v.name)) out.push(invalid(`${f}.name`, v.name, LABEL_MSG));
      if (vnames.has(v.name)) out.push(duplicate(`${f}.name`, v.name));
      vnames.add(v.name);
    });
    const containers = [...(Array.isArray(spec.containers) ? spec.containers : []), ...(Array.isArray(spec.initContainers) ? spec.initContainers : [])];
    containers.forEach((c, i) => {
      if (!isObj(c) || !Array.isArray(c.volumeMounts)) return;
      c.volumeMounts.forEach((m, j) => {
        if (isObj(m) && typeof m.name === 'string' && m.name !== '' && !vnames.has(m.name)) out.push({ reason: 'FieldValueNotFound', message: `Not found: ${JSON.stringify(m.name)}`, field: `${field}.containers[${i}].volumeMounts[${j}].name` });
      });
    });
  }
  return out;
}
