/**
 * Networks in the Docker Engine API's shapes: `GET /networks` entries, a container's
 * NetworkSettings (Networks, Ports) and the list's Ports column; and the network create body.
 */
import { invalidArgument } from '../../base/errors.js';
import { asObject, optBool, optString, optStringMap } from './validate.js';

export interface EndpointView { containerId: string; containerName: string; endpointId: string; ip: string; prefixLen: number; gateway: string; mac: string; aliases: string[]; ipv4Address?: string }
export interface NetworkView { id: string; name: string; driver: string; created: string; subnet: string; gateway: string; bridge: string; internal: boolean; labels: Record<string, string>; isDefault: boolean; containers: Record<string, EndpointView> }
export interface PortView { hostIp: string; hostPort: number; containerPort: number; protocol: string }
export interface NetworkSettingsView { sandboxKey: string; networks: Record<string, EndpointView & { networkId: string }>; ports: PortView[]; exposed: string[] }

export function networkJson(n: NetworkView): Record<string, unknown> {
  return {
    Name: n.name,
    Id: n.id,
    Created: n.created,
    Scope: 'local',
    Driver: n.driver,
    EnableIPv6: false,
    IPAM: { Driver: 'default', Options: null, Config: n.subnet ? [{ Subnet: n.subnet, Gateway: n.gateway }] : [] },
    Internal: n.internal,
    Attachable: false,
    Ingress: false,
    ConfigFrom: { Network: '' },
    ConfigOnly: false,
    Containers: Object.fromEntries(Object.values(n.containers).map((e) => [e.containerId, {
      Name: e.containerName, EndpointID: e.endpointId, MacAddress: e.mac, IPv4Address: e.ip ? `${e.ip}/${e.prefixLen}` : '', IPv6Address: '',
    }])),
    Options: n.isDefault ? { 'com.docker.network.bridge.name': n.bridge, 'com.docker.network.bridge.default_bridge': 'true' } : n.bridge ? { 'com.docker.network.bridge.name': n.bridge } : {},
    Labels: n.labels,
  };
}

function endpointJson(e: EndpointView & { networkId: string }): Record<string, unknown> {
  return {
    IPAMConfig: e.ipv4Address ? { IPv4Address: e.ipv4Address } : null,
    Links: null,
    Aliases: e.aliases.length ? e.aliases : null,
    MacAddress: e.mac,
    NetworkID: e.networkId,
    EndpointID: e.endpointId,
    Gateway: e.gateway,
    IPAddress: e.ip,
    IPPrefixLen: e.prefixLen,
    IPv6Gateway: '',
    GlobalIPv6Address: '',
    GlobalIPv6PrefixLen: 0,
    DriverOpts: null,
    DNSNames: [e.containerName, e.containerId.slice(0, 12), ...e.aliases],
  };
}

/** Docker's NetworkSettings.Ports: every exposed port, with its host bindings or null. */
export function portsJson(s: NetworkSettingsView): Record<string, Array<{ HostIp: string; HostPort: string }> | null> {
  const out: Record<string, Array<{ HostIp: string; HostPort: string }> | null> = {};
  for (const p of s.exposed) out[p] = null;
  for (const p of s.ports) (out[`${p.containerPort}/${p.protocol}`] ??= []).push({ HostIp: p.hostIp || '0.0.0.0', HostPort: String(p.hostPort) });
  return out;
}

export function networkSettingsJson(mode: string, s: NetworkSettingsView | undefined): Record<string, unknown> {
  const networks: Record<string, unknown> = {};
  if (s) for (const [name, e] of Object.entries(s.networks)) networks[name] = endpointJson(e);
  else if (mode === 'host' || mode === 'none') networks[mode] = endpointJson({ containerId: '', containerName: '', endpointId: '', ip: '', prefixLen: 0, gateway: '', mac: '', aliases: [], networkId: mode });
  const primary = s?.networks.bridge ?? Object.values(s?.networks ?? {})[0];
  return {
    Bridge: '', SandboxID: '', SandboxKey: s?.sandboxKey ?? '', Ports: s ? portsJson(s) : {},
    Gateway: primary?.gateway ?? '', IPAddress: primary?.ip ?? '', IPPrefixLen: primary?.prefixLen ?? 0, MacAddress: primary?.mac ?? '',
    Networks: networks,
  };
}

/** The `Ports` of `GET /containers/json`. */
export function listPortsJson(s: NetworkSettingsView | undefined): Array<Record<string, unknown>> {
  if (!s) return [];
  const out: Array<Record<string, unknown>> = s.ports.map((p) => ({ IP: p.hostIp || '0.0.0.0', PrivatePort: p.containerPort, PublicPort: p.hostPort, Type: p.protocol }));
  for (const e of s.exposed) {
    const [port, proto] = e.split('/');
    if (!s.ports.some((p) => String(p.containerPort) === port && p.protocol === proto)) out.push({ PrivatePort: Number(port), Type: proto });
  }
  return out;
}

export interface NetworkCreateSpec { name: string; driver?: string; subnet?: string; gateway?: string; internal?: boolean; labels?: Record<string, string> }

/** `POST /networks/create`: Name, Driver, Internal, Labels and one IPv4 IPAM config. */
export function parseNetworkCreate(body: unknown): NetworkCreateSpec {
  const o = asObject(body, 'request body');
  const name = optString(o.Name, 'Name');
  if (!name) throw invalidArgument('Name is required: name the network to create');
  if (o.EnableIPv6 === true) throw invalidArgument('berth networks are IPv4 only: EnableIPv6 is not supported');
  const spec: NetworkCreateSpec = { name };
  const driver = optString(o.Driver, 'Driver');
  if (driver) spec.driver = driver;
  const internal = optBool(o.Internal, 'Internal');
  if (internal) spec.internal = true;
  const labels = optStringMap(o.Labels, 'Labels');
  if (labels) spec.labels = labels;
  const ipam = o.IPAM === undefined || o.IPAM === null ? undefined : asObject(o.IPAM, 'IPAM');
  const configs = ipam?.Config;
  if (configs !== undefined && configs !== null) {
    if (!Array.isArray(configs)) throw invalidArgument('IPAM.Config must be a list');
    if (configs.length > 1) throw invalidArgument('berth networks take one IPAM config (one IPv4 subnet)');
    if (configs.length === 1) {
      const c = asObject(configs[0], 'IPAM.Config[0]');
      const subnet = optString(c.Subnet, 'IPAM.Config[0].Subnet');
      const gateway = optString(c.Gateway, 'IPAM.Config[0].Gateway');
      if (subnet) spec.subnet = subnet;
      if (gateway) spec.gateway = gateway;
    }
  }
  return spec;
}
