/**
 * What the Docker API shows of networks and containers' endpoints (network ls / inspect, a
 * container's NetworkSettings), built from the state on each call.
 */
import { defaultNetwork, findNetwork, findPseudo } from './find-network.js';
import { PSEUDO_NETWORKS, pseudoId, type PseudoName } from './predefined.js';
import type { NetworkState } from './state.js';
import type { ContainerNetConfig, NetworkRecord } from './store.js';
import type { ContainerNetworkSettings, EndpointInfo, NetworkInfo } from './types.js';

export function usersOf(state: NetworkState, networkId: string): Record<string, EndpointInfo> {
  const out: Record<string, EndpointInfo> = {};
  for (const c of state.configs.values()) {
    const e = c.networks.find((x) => x.networkId === networkId);
    if (e) out[c.id] = endpoint(state, c, e);
  }
  return out;
}

function endpoint(state: NetworkState, c: ContainerNetConfig, e: ContainerNetConfig['networks'][number]): EndpointInfo {
  const a = state.states.get(c.id)?.attachments.find((x) => x.networkId === e.networkId);
  return {
    containerId: c.id, containerName: c.name, endpointId: a?.endpointId ?? '', ip: a?.address.ip ?? '', prefixLen: a?.address.prefixLen ?? 0,
    gateway: a?.address.gateway ?? '', mac: a?.address.mac ?? '', aliases: [...e.aliases], ...(e.ipv4Address ? { ipv4Address: e.ipv4Address } : {}),
  };
}

export function networkInfo(state: NetworkState, n: NetworkRecord): NetworkInfo {
  return { id: n.id, name: n.name, driver: 'bridge', created: n.created, subnet: n.subnet, gateway: n.gateway, bridge: n.bridge, internal: n.internal, labels: { ...n.labels }, isDefault: n.isDefault, containers: usersOf(state, n.id) };
}

export function listNetworks(state: NetworkState): NetworkInfo[] {
  const pseudo = (Object.keys(PSEUDO_NETWORKS) as PseudoName[]).map((name) => pseudoInfo(state, name));
  return [...[...state.networks.values()].map((n) => networkInfo(state, n)), ...pseudo].sort((a, b) => a.name.localeCompare(b.name));
}

export function inspectNetwork(state: NetworkState, ref: string): NetworkInfo {
  const pseudo = findPseudo(state.networks, state.dataDir, ref);
  return pseudo ? pseudoInfo(state, pseudo) : networkInfo(state, findNetwork(state.networks, ref));
}

function pseudoInfo(state: NetworkState, name: PseudoName): NetworkInfo {
  const id = pseudoId(state.dataDir, name);
  const containers: Record<string, EndpointInfo> = {};
  for (const c of state.configs.values()) {
    if (c.mode === name) containers[c.id] = { containerId: c.id, containerName: c.name, endpointId: '', ip: '', prefixLen: 0, gateway: '', mac: '', aliases: [] };
  }
  const created = defaultNetwork(state.networks).created;
  return { id, name, driver: PSEUDO_NETWORKS[name].driver, created, subnet: '', gateway: '', bridge: '', internal: false, labels: {}, isDefault: false, containers };
}

export function containerSettings(state: NetworkState, containerId: string): ContainerNetworkSettings | null {
  const c = state.configs.get(containerId);
  if (!c) return null;
  const own = c.mode === 'joined' ? state.configs.get(c.joined ?? '') : c;
  const st = own ? state.states.get(own.id) : undefined;
  const networks: ContainerNetworkSettings['networks'] = {};
  if (c.mode === 'own') {
    for (const e of c.networks) {
      const n = state.networks.get(e.networkId);
      if (n) networks[n.name] = { ...endpoint(state, c, e), networkId: n.id };
    }
  } else if (c.mode === 'host' || c.mode === 'none') {
    networks[c.mode] = { containerId: c.id, containerName: c.name, endpointId: '', ip: '', prefixLen: 0, gateway: '', mac: '', aliases: [], networkId: pseudoId(state.dataDir, c.mode) };
  }
  return { sandboxKey: st ? st.netns : '', networks, ports: c.mode === 'own' ? st?.ports ?? [] : [], exposed: c.exposed };
}
