/**
 * Docker's port publishing forms (`-p`, HostConfig.PortBindings): parsing the CLI's
 * `[ip:][hostPort:]containerPort[/tcp|udp]` with ranges, and validating the API's map.
 */
import { invalidArgument } from '../../base/errors.js';

export type PortProtocol = 'tcp' | 'udp';
export interface PortBindingJson { HostIp?: string; HostPort?: string }
export type PortBindingsJson = Record<string, PortBindingJson[]>; // "80/tcp" → bindings

export interface PortRange { start: number; end: number }

export function parsePortRange(text: string, what: string): PortRange {
  const m = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(text);
  const start = m ? Number(m[1]) : NaN;
  const end = m ? Number(m[2] ?? m[1]) : NaN;
  if (!m || start < 1 || end > 65535 || end < start) throw invalidArgument(`invalid ${what} "${text}": expected a port (1-65535) or a range such as 8000-8010`);
  return { start, end };
}

/** "80/tcp" → { port: 80, protocol: 'tcp' }; the protocol defaults to tcp. */
export function parsePortKey(key: string): { port: number; protocol: PortProtocol } {
  const [portText, proto = 'tcp'] = key.split('/', 2) as [string, string | undefined];
  if (proto !== 'tcp' && proto !== 'udp') throw invalidArgument(`invalid protocol "${proto}" in port "${key}": use tcp or udp`);
  const r = parsePortRange(portText, 'container port');
  if (r.start !== r.end) throw invalidArgument(`invalid port "${key}": one container port per key`);
  return { port: r.start, protocol: proto };
}

/** One `-p` value → the ExposedPorts keys and PortBindings it adds. */
export function parsePublish(spec: string): { exposed: string[]; bindings: PortBindingsJson } {
  let rest = spec;
  let protocol: PortProtocol = 'tcp';
  const slash = rest.lastIndexOf('/');
  if (slash >= 0) {
    const proto = rest.slice(slash + 1);
    if (proto !== 'tcp' && proto !== 'udp') throw invalidArgument(`invalid protocol "${proto}" in "${spec}": use tcp or udp`);
    protocol = proto;
    rest = rest.slice(0, slash);
  }
  let hostIp = '';
  let hostPart = '';
  let containerPart: string;
  const bracket = /^\[([^\]]+)\]:(.*)$/.exec(rest); // [::1]:8080:80
  const parts = bracket ? [bracket[1]!, ...bracket[2]!.split(':')] : rest.split(':');
  if (parts.length === 1) containerPart = parts[0]!;
  else if (parts.length === 2) [hostPart, containerPart] = parts as [string, string];
  else if (parts.length === 3) [hostIp, hostPart, containerPart] = parts as [string, string, string];
  else throw invalidArgument(`invalid port format "${spec}": use [ip:][hostPort:]containerPort[/protocol]`);
  if (hostIp && !/^\d+\.\d+\.\d+\.\d+$/.test(hostIp)) throw invalidArgument(`invalid IP address "${hostIp}" in "${spec}"`);
  const cr = parsePortRange(containerPart, 'container port');
  const hr = hostPart === '' ? null : parsePortRange(hostPart, 'host port');
  const count = cr.end - cr.start + 1;
  if (hr && count > 1 && hr.end - hr.start + 1 !== count) throw invalidArgument(`invalid ranges in "${spec}": the host range and the container range must have the same size`);
  const exposed: string[] = [];
  const bindings: PortBindingsJson = {};
  for (let i = 0; i < count; i++) {
    const key = `${cr.start + i}/${protocol}`;
    exposed.push(key);
    // A host range for a single container port means "any free port of the range" (Docker's rule).
    const hostPort = !hr ? '' : count === 1 ? (hr.start === hr.end ? String(hr.start) : `${hr.start}-${hr.end}`) : String(hr.start + i);
    (bindings[key] ??= []).push({ HostIp: hostIp, HostPort: hostPort });
  }
  return { exposed, bindings };
}

/** Merges several `-p` values, as the docker CLI does. */
export function parsePublishList(specs: string[]): { exposed: string[]; bindings: PortBindingsJson } {
  const exposed = new Set<string>();
  const bindings: PortBindingsJson = {};
  for (const s of specs) {
    const one = parsePublish(s);
    for (const e of one.exposed) exposed.add(e);
    for (const [k, v] of Object.entries(one.bindings)) (bindings[k] ??= []).push(...v);
  }
  return { exposed: [...exposed], bindings };
}

/** Validates HostConfig.PortBindings from the API (keys, host ports, host IPs). */
export function validatePortBindings(v: unknown): PortBindingsJson | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) throw invalidArgument('HostConfig.PortBindings must be an object');
  const out: PortBindingsJson = {};
  for (const [key, list] of Object.entries(v as Record<string, unknown>)) {
    const { port, protocol } = parsePortKey(key);
    if (list === null) continue;
    if (!Array.isArray(list)) throw invalidArgument(`HostConfig.PortBindings["${key}"] must be a list`);
    out[`${port}/${protocol}`] = list.map((b, i) => {
      if (!b || typeof b !== 'object') throw invalidArgument(`HostConfig.PortBindings["${key}"][${i}] must be an object`);
      const { HostIp = '', HostPort = '' } = b as Record<string, unknown>;
      if (typeof HostIp !== 'string' || typeof HostPort !== 'string') throw invalidArgument(`HostConfig.PortBindings["${key}"][${i}]: HostIp and HostPort must be strings`);
      if (HostIp !== '' && !/^\d+\.\d+\.\d+\.\d+$/.test(HostIp) && HostIp !== '::' ) throw invalidArgument(`invalid host IP "${HostIp}" for port ${key}`);
      if (HostPort !== '' && HostPort !== '0') parsePortRange(HostPort, 'host port');
      return { HostIp: HostIp === '::' ? '' : HostIp, HostPort };
    });
  }
  return out;
}

/** One entry of `GET /containers/json`'s Ports. */
export interface ListedPort { IP?: string; PrivatePort: number; PublicPort?: number; Type: string }

/**
 * The PORTS column of `docker ps`: "0.0.0.0:8080->80/tcp, 443/tcp", sorted, with runs of
 * consecutive ports on the same address folded into ranges ("0.0.0.0:8000-8002->8000-8002/tcp").
 */
export function formatPortsColumn(ports: ListedPort[]): string {
  const sorted = [...ports].sort((a, b) => (a.IP ?? '').localeCompare(b.IP ?? '') || a.Type.localeCompare(b.Type) || a.PrivatePort - b.PrivatePort || (a.PublicPort ?? 0) - (b.PublicPort ?? 0));
  const runs: Array<{ first: ListedPort; last: ListedPort }> = [];
  for (const p of sorted) {
    const run = runs[runs.length - 1];
    const extends_ = run && run.last.IP === p.IP && run.last.Type === p.Type && run.last.PrivatePort + 1 === p.PrivatePort
      && (p.PublicPort === undefined ? run.last.PublicPort === undefined : run.last.PublicPort !== undefined && run.last.PublicPort + 1 === p.PublicPort);
    if (extends_) run.last = p;
    else runs.push({ first: p, last: p });
  }
  const span = (a: number, b: number) => (a === b ? `${a}` : `${a}-${b}`);
  return runs.map(({ first, last }) => {
    const priv = `${span(first.PrivatePort, last.PrivatePort)}/${first.Type}`;
    return first.PublicPort === undefined ? priv : `${first.IP ?? '0.0.0.0'}:${span(first.PublicPort, last.PublicPort!)}->${priv}`;
  }).join(', ');
}
