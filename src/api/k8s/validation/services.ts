/**
 * core/v1 Services: defaults (type, sessionAffinity, port protocol and targetPort, IP family
 * fields, traffic policies) and rules (port ranges, names when several ports, unique ports,
 * ExternalName, clusterIP immutable once set). ClusterIP/nodePort allocation needs storage and
 * lives in the apiserver.
 */
import { type FieldCause, duplicate, immutable, invalid, isObj, notSupported, required } from './causes.js';
import { isDns1123Label, LABEL_MSG, validateLabels } from './names.js';

const TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const PROTO = ['SCTP', 'TCP', 'UDP'];

export function defaultService(o: Record<string, unknown>): void {
  const spec = isObj(o.spec) ? o.spec : (o.spec = {});
  spec.type ??= 'ClusterIP';
  spec.sessionAffinity ??= 'None';
  if (Array.isArray(spec.ports)) {
    for (const p of spec.ports) {
      if (!isObj(p)) continue;
      p.protocol ??= 'TCP';
      if (p.targetPort === undefined && p.port !== undefined) p.targetPort = p.port;
    }
  }
  if (spec.type !== 'ExternalName') {
    spec.internalTrafficPolicy ??= 'Cluster';
    spec.ipFamilyPolicy ??= 'SingleStack';
    spec.ipFamilies ??= ['IPv4'];
  }
  if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') spec.externalTrafficPolicy ??= 'Cluster';
  if (spec.type === 'LoadBalancer') spec.allocateLoadBalancerNodePorts ??= true;
  o.status ??= { loadBalancer: {} };
}

const validPort = (v: unknown) => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 65535;

export function validateService(o: Record<string, unknown>): FieldCause[] {
  const spec = o.spec;
  if (!isObj(spec)) return [required('spec')];
  const out: FieldCause[] = [];
  const type = spec.type ?? 'ClusterIP';
  if (!TYPES.includes(String(type))) out.push(notSupported('spec.type', type, TYPES));
  if (type === 'ExternalName') {
    if (typeof spec.externalName !== 'string' || spec.externalName === '') out.push(required('spec.externalName'));
  }
  const ports = Array.isArray(spec.ports) ? spec.ports : [];
  const headless = spec.clusterIP === 'None';
  if (ports.length === 0 && type !== 'ExternalName' && !headless) out.push(required('spec.ports'));
  const names = new Set<string>();
  const keys = new Set<string>();
  ports.forEach((p, i) => {
    const f = `spec.ports[${i}]`;
    if (!isObj(p)) return out.push(invalid(f, p, 'must be an object'));
    if (ports.length > 1 && (typeof p.name !== 'string' || p.name === '')) out.push(required(`${f}.name`));
    if (typeof p.name === 'string' && p.name !== '') {
      if (!isDns1123Label(p.name)) out.push(invalid(`${f}.name`, p.name, LABEL_MSG));
      if (names.has(p.name)) out.push(duplicate(`${f}.name`, p.name));
      names.add(p.name);
    }
    if (p.port === undefined) out.push(required(`${f}.port`));
    else if (!validPort(p.port)) out.push(invalid(`${f}.port`, p.port, 'must be between 1 and 65535, inclusive'));
    const proto = p.protocol ?? 'TCP';
    if (!PROTO.includes(String(proto))) out.push(notSupported(`${f}.protocol`, proto, PROTO));
    const key = `${String(p.port)}/${String(proto)}`;
    if (keys.has(key)) out.push(duplicate(`spec.ports[${i}]`, { port: p.port, protocol: proto }));
    keys.add(key);
    if (typeof p.targetPort === 'number' && !validPort(p.targetPort)) out.push(invalid(`${f}.targetPort`, p.targetPort, 'must be between 1 and 65535, inclusive'));
    if (typeof p.targetPort === 'string' && (p.targetPort === '' || p.targetPort.length > 15)) out.push(invalid(`${f}.targetPort`, p.targetPort, 'must be no more than 15 characters'));
    if (p.nodePort !== undefined && p.nodePort !== 0) {
      if (type === 'ClusterIP') out.push({ reason: 'FieldValueForbidden', message: 'Forbidden: may not be used when `type` is \'ClusterIP\'', field: `${f}.nodePort` });
      else if (!Number.isInteger(p.nodePort) || (p.nodePort as number) < 30000 || (p.nodePort as number) > 32767) out.push(invalid(`${f}.nodePort`, p.nodePort, 'provided port is not in the valid range. The range of valid ports is 30000-32767'));
    }
  });
  if (spec.selector !== undefined) out.push(...validateLabels(spec.selector, 'spec.selector'));
  if (spec.sessionAffinity !== undefined && !['ClientIP', 'None'].includes(String(spec.sessionAffinity))) out.push(notSupported('spec.sessionAffinity', spec.sessionAffinity, ['ClientIP', 'None']));
  if (typeof spec.clusterIP === 'string' && spec.clusterIP !== '' && spec.clusterIP !== 'None' && !/^(\d{1,3}\.){3}\d{1,3}$/.test(spec.clusterIP)) out.push(invalid('spec.clusterIP', spec.clusterIP, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'));
  return out;
}

export function validateServiceUpdate(o: Record<string, unknown>, old: Record<string, unknown>): FieldCause[] {
  const spec = isObj(o.spec) ? o.spec : {};
  const oldSpec = isObj(old.spec) ? old.spec : {};
  const out: FieldCause[] = [];
  // kube lets a client omit clusterIP on update (it is carried over); changing it is forbidden.
  if (oldSpec.clusterIP && spec.clusterIP !== undefined && spec.clusterIP !== '' && spec.clusterIP !== oldSpec.clusterIP && oldSpec.type !== 'ExternalName' && spec.type !== 'ExternalName') out.push(immutable('spec.clusterIP', spec.clusterIP));
  return out;
}
