/**
 * A network's Linux bridge and its CNI configuration. The bridge (with the gateway address) is
 * created when the network is, so its subnet shows in the host's routes at once and other daemons'
 * subnet allocation skips it; the bridge plugin then finds it ready.
 */
import fs from 'node:fs';
import { run, linkExists, deleteLink } from './host.js';
import { CNI_VERSION, type NetConfList } from './cni/conflist.js';

export interface BridgeNetwork { id: string; bridge: string; subnet: string; gateway: string; internal: boolean }

export async function ensureBridge(n: BridgeNetwork): Promise<void> {
  const prefix = n.subnet.split('/')[1];
  if (!(await linkExists(n.bridge))) await run('ip', ['link', 'add', 'name', n.bridge, 'type', 'bridge']).catch(async (err) => {
    if (!(await linkExists(n.bridge))) throw err; // created meanwhile by a plugin: fine
  });
  const addrs = await run('ip', ['-4', '-o', 'addr', 'show', 'dev', n.bridge]);
  if (!addrs.includes(` ${n.gateway}/${prefix} `)) await run('ip', ['addr', 'add', `${n.gateway}/${prefix}`, 'dev', n.bridge]);
  await run('ip', ['link', 'set', n.bridge, 'up']);
}

const IFF_UP = 0x1;

/**
 * Whether the bridge exists and is up, from sysfs (no exec): checked before each attach so a
 * bridge someone deleted comes back, without three `ip` runs on every container start.
 */
export function bridgeIsUp(name: string): boolean {
  try {
    return (Number.parseInt(fs.readFileSync(`/sys/class/net/${name}/flags`, 'utf8'), 16) & IFF_UP) !== 0;
  } catch {
    return false;
  }
}

export async function removeBridge(name: string): Promise<void> {
  await deleteLink(name);
}

/**
 * bridge (+ host-local IPAM) and, for a container that publishes ports, portmap, as one conflist
 * named after the network's id. ADD and DEL must pass the same `withPortmap` (both derive it from
 * the container's port mappings); without ports portmap would only cost an exec each way.
 */
export function bridgeConfList(n: BridgeNetwork, ipamDataDir: string, withPortmap: boolean, pluginMasq = false): NetConfList {
  return {
    cniVersion: CNI_VERSION,
    name: `berth-${n.id.slice(0, 12)}`,
    plugins: [
      {
        type: 'bridge',
        bridge: n.bridge,
        isGateway: true,
        isDefaultGateway: !n.internal,
        // Outbound NAT is one rule per network (masquerade.ts); attachments made before that
        // (pluginMasq) are deleted with the plugin's own per-container chain.
        ipMasq: pluginMasq && !n.internal,
        hairpinMode: true,
        capabilities: { ips: true },
        ipam: { type: 'host-local', ranges: [[{ subnet: n.subnet, gateway: n.gateway }]], dataDir: ipamDataDir },
      },
      ...(withPortmap ? [{ type: 'portmap', capabilities: { portMappings: true }, snat: true }] : []),
    ],
  };
}

export function loopbackConf(): NetConfList {
  return { cniVersion: CNI_VERSION, name: 'berth-loopback', plugins: [{ type: 'loopback' }] };
}
