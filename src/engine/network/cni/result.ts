/**
 * Reading a CNI ADD result (spec versions 0.3.0 - 1.0.0; berth asks for 1.0.0): the container-side
 * interface with its MAC and the IPv4 address, prefix and gateway that IPAM gave it.
 */
import { internal } from '../../../base/errors.js';

export interface CniResult {
  cniVersion?: string;
  interfaces?: Array<{ name: string; mac?: string; sandbox?: string }>;
  ips?: Array<{ address: string; gateway?: string; interface?: number; version?: string }>;
  routes?: Array<{ dst: string; gw?: string }>;
  dns?: unknown;
  [key: string]: unknown;
}

export interface EndpointAddress { ip: string; prefixLen: number; gateway: string; mac: string; ifName: string }

export function parseCniResult(text: string, plugin: string): CniResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw internal(`CNI plugin ${plugin} printed a result that is not JSON: ${JSON.stringify(text.slice(0, 200))}`);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw internal(`CNI plugin ${plugin} printed a result that is not a JSON object`);
  const r = value as CniResult;
  if (r.interfaces !== undefined && !Array.isArray(r.interfaces)) throw internal(`CNI plugin ${plugin}: result "interfaces" is not a list`);
  if (r.ips !== undefined && !Array.isArray(r.ips)) throw internal(`CNI plugin ${plugin}: result "ips" is not a list`);
  return r;
}

/** The IPv4 address on the interface named ifName inside the sandbox (the container's side). */
export function endpointAddress(result: CniResult, ifName: string): EndpointAddress | null {
  const ifaces = result.interfaces ?? [];
  for (const ip of result.ips ?? []) {
    const m = /^(\d+\.\d+\.\d+\.\d+)\/(\d+)$/.exec(ip.address ?? '');
    if (!m) continue; // IPv6 or malformed
    const iface = ip.interface !== undefined ? ifaces[ip.interface] : undefined;
    if (iface && iface.name !== ifName) continue;
    return { ip: m[1]!, prefixLen: Number(m[2]), gateway: ip.gateway ?? '', mac: iface?.mac ?? ifaces.find((i) => i.name === ifName && i.sandbox)?.mac ?? '', ifName };
  }
  return null;
}
