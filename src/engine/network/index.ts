/**
 * The networking subsystem's entry point: `openNetworking` opens the network store under the data
 * and run dirs, makes sure the default network "bridge" exists, and returns the object that is
 * both the Docker API's network service and the container manager's networking hook.
 */
import path from 'node:path';
import { DnsServers } from './dns-servers.js';
import { EmbeddedDns } from './dns/index.js';
import { NetworkManager } from './manager.js';

export const CNI_PLUGIN_DIRS = ['/usr/lib/cni', '/opt/cni/bin'];

export interface NetworkingOptions {
  dataDir: string;
  runDir: string;
  bridgeName: string;
  bridgeSubnet?: string;
  log: (m: string) => void;
}

export async function openNetworking(o: NetworkingOptions): Promise<NetworkManager> {
  return NetworkManager.open({
    dataDir: path.join(o.dataDir, 'networks'),
    runDir: path.join(o.runDir, 'networks'),
    defaultBridge: o.bridgeName,
    ...(o.bridgeSubnet ? { defaultSubnet: o.bridgeSubnet } : {}),
    pluginDirs: CNI_PLUGIN_DIRS,
    dns: new DnsServers((upstreams) => new EmbeddedDns({ log: o.log, ...(upstreams ? { upstreams } : {}) })),
    log: o.log,
  });
}

export type { NetworkManager } from './manager.js';
export * from './types.js';
