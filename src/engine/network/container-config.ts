/**
 * A container's network configuration, recorded at create: its mode (own namespace, none, host,
 * or another container's), its networks with their aliases and addresses, and its port bindings.
 */
import net from 'node:net';
import { invalidArgument } from '../../base/errors.js';
import type { NetworkedContainer } from '../containers/index.js';
import { defaultNetwork, findNetwork } from './find-network.js';
import { contains, parseIp, parseSubnet } from './ipv4.js';
import { NAME_PATTERN } from './networks.js';
import type { NetworkState } from './state.js';
import type { ContainerNetConfig, NetworkRecord } from './store.js';

export function endpointEntry(n: NetworkRecord, aliases: string[] = [], ipv4Address?: string): ContainerNetConfig['networks'][number] {
  if (aliases.length && n.isDefault) throw invalidArgument('network-scoped aliases are only supported for user-defined networks');
  for (const a of aliases) if (typeof a !== 'string' || !NAME_PATTERN.test(a)) throw invalidArgument(`invalid network alias "${String(a)}"`);
  if (ipv4Address !== undefined && ipv4Address !== '') {
    const ip = parseIp(ipv4Address);
    if (ip === null) throw invalidArgument(`invalid IPv4 address "${ipv4Address}"`);
    if (n.isDefault) throw invalidArgument('user specified IP address is supported on user defined networks only');
    if (!contains(parseSubnet(n.subnet), ip)) throw invalidArgument(`IP address ${ipv4Address} is not in network ${n.name}'s subnet ${n.subnet}`);
    return { networkId: n.id, aliases: [...aliases], ipv4Address };
  }
  return { networkId: n.id, aliases: [...aliases] };
}

/** Checks the container's network options and records them; returns the namespace its spec joins. */
export function prepareConfig(state: NetworkState, c: NetworkedContainer, resolve: (ref: string) => { id: string; name: string }): { netnsPath?: string } {
  const o = c.options;
  const mode = o.networkMode ?? '';
  const bindings = o.portBindings ?? {};
  const publishes = Object.keys(bindings).length > 0 || !!o.publishAllPorts;
  for (const server of o.dns ?? []) if (net.isIP(server) === 0) throw invalidArgument(`invalid DNS server "${server}": expected an IP address`);
  const cfg: ContainerNetConfig = { id: c.id, name: c.name, hostname: c.hostname, mode: 'own', networks: [], bindings: {}, exposed: [...c.exposedPorts], ...(o.dns?.length ? { dns: [...o.dns] } : {}) };
  const extra = { ...(o.networks ?? {}) };
  if (mode === 'none' || mode === 'host' || mode.startsWith('container:')) {
    if (publishes) throw invalidArgument(`conflicting options: port publishing and the container type network mode "${mode}"`);
    if (Object.keys(extra).length) throw invalidArgument(`conflicting options: network mode "${mode}" cannot be combined with other networks`);
    if (mode !== 'none' && mode !== 'host') {
      const target = resolve(mode.slice('container:'.length));
      const tc = state.configs.get(target.id);
      const joined = tc?.mode === 'joined' ? tc.joined! : target.id;
      if (tc && tc.mode !== 'own' && tc.mode !== 'joined') throw invalidArgument(`cannot join the network of container ${target.name}: it uses network mode "${tc.mode}"`);
      state.saveConfig({ ...cfg, mode: 'joined', joined });
      return { netnsPath: state.netnsPath(joined) };
    }
    state.saveConfig({ ...cfg, mode });
    return {};
  }
  const primaryName = mode === '' || mode === 'default' ? 'bridge' : mode;
  const primary = primaryName === 'bridge' ? defaultNetwork(state.networks) : findNetwork(state.networks, primaryName);
  // The docker CLI keys the default network's endpoint settings "default" (NetworkMode "default").
  const ownKeys = [primaryName, primary.id, ...(primary.isDefault ? ['default'] : [])];
  const first = ownKeys.map((k) => extra[k]).find((e) => e !== undefined);
  for (const key of ownKeys) delete extra[key];
  cfg.networks.push(endpointEntry(primary, first?.aliases, first?.ipv4Address));
  for (const [ref, e] of Object.entries(extra)) {
    const n = findNetwork(state.networks, ref);
    if (!cfg.networks.some((x) => x.networkId === n.id)) cfg.networks.push(endpointEntry(n, e.aliases, e.ipv4Address));
  }
  cfg.bindings = structuredClone(bindings);
  if (o.publishAllPorts) for (const p of c.exposedPorts) cfg.bindings[p] ??= [{ HostIp: '', HostPort: '' }];
  for (const p of Object.keys(bindings)) if (!cfg.exposed.includes(p)) cfg.exposed.push(p);
  state.saveConfig(cfg);
  return { netnsPath: state.netnsPath(c.id) };
}

/** A renamed container answers to its new name on its networks (and no longer to the old one). */
export function renameConfig(state: NetworkState, containerId: string, name: string): void {
  const c = state.configs.get(containerId);
  if (c && c.name !== name) state.saveConfig({ ...c, name });
}
