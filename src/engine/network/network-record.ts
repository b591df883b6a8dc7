/** A new network's record: its subnet and gateway chosen (or checked) and its bridge created. */
import crypto from 'node:crypto';
import { conflict, invalidArgument } from '../../base/errors.js';
import { ensureBridge, removeBridge } from './bridge.js';
import { hostRoutes } from './host.js';
import { contains, formatIp, formatSubnet, overlaps, parseIp, parseSubnet, type Subnet } from './ipv4.js';
import type { NetworkRecord } from './store.js';
import { allocateSubnet } from './subnets.js';
import type { CreateNetworkOptions } from './types.js';

/**
 * Chooses (or checks) the subnet and gateway and creates the bridge; not yet stored. Another
 * daemon on the host may pick the same free subnet at the same moment (each sees the other's
 * bridge only once it exists): after creating the bridge, a chosen subnet that now overlaps a
 * foreign interface is given up and the next one tried, after a random pause that lets one of
 * the two win.
 */
export async function newRecord(networks: ReadonlyMap<string, NetworkRecord>, opts: CreateNetworkOptions, bridge: string | null, isDefault: boolean): Promise<NetworkRecord> {
  const givenUp: Subnet[] = [];
  for (let attempt = 1; ; attempt++) {
    const rec = await buildRecord(networks, opts, bridge, isDefault, givenUp);
    if (opts.subnet) return rec;
    const subnet = parseSubnet(rec.subnet);
    const own = new Set([...networks.values()].map((n) => n.bridge));
    const clash = (await hostRoutes()).find((r) => r.dev !== rec.bridge && !own.has(r.dev) && overlaps(r.subnet, subnet));
    if (!clash) return rec;
    await removeBridge(rec.bridge).catch(() => undefined);
    if (attempt === 5) throw conflict(`subnet ${rec.subnet} was taken by host interface ${clash.dev} while network ${opts.name} was being created, five times in a row: try again or give --subnet`);
    givenUp.push(subnet);
    await new Promise((r) => setTimeout(r, 10 + Math.floor(Math.random() * 90)));
  }
}

async function buildRecord(networks: ReadonlyMap<string, NetworkRecord>, opts: CreateNetworkOptions, bridge: string | null, isDefault: boolean, givenUp: Subnet[]): Promise<NetworkRecord> {
  const id = crypto.randomBytes(32).toString('hex');
  const own = new Set([...networks.values()].map((n) => n.bridge));
  const foreign = (await hostRoutes()).filter((r) => !own.has(r.dev) && r.dev !== (bridge ?? ''));
  const mine = [...networks.values()].map((n) => ({ n, s: parseSubnet(n.subnet) }));
  let subnet: Subnet;
  if (opts.subnet) {
    subnet = parseSubnet(opts.subnet);
    if (subnet.prefix > 30) throw invalidArgument(`subnet ${opts.subnet} is too small for a network: use a prefix of /30 or shorter`);
    const clash = mine.find((x) => overlaps(x.s, subnet));
    if (clash) throw conflict(`invalid pool request: subnet ${opts.subnet} overlaps network "${clash.n.name}" (${clash.n.subnet})`);
    const route = foreign.find((r) => overlaps(r.subnet, subnet));
    if (route) throw conflict(`invalid pool request: subnet ${opts.subnet} overlaps ${formatSubnet(route.subnet)} on host interface ${route.dev}`);
  } else {
    subnet = allocateSubnet([...mine.map((x) => x.s), ...foreign.map((r) => r.subnet), ...givenUp]);
  }
  let gateway = subnet.base + 1;
  if (opts.gateway) {
    const g = parseIp(opts.gateway);
    if (g === null) throw invalidArgument(`invalid gateway "${opts.gateway}": expected an IPv4 address`);
    if (!contains(subnet, g) || g === subnet.base) throw invalidArgument(`gateway ${opts.gateway} is not a host address of subnet ${formatSubnet(subnet)}`);
    gateway = g;
  }
  const rec: NetworkRecord = {
    id, name: opts.name, created: new Date().toISOString(), subnet: formatSubnet(subnet), gateway: formatIp(gateway),
    bridge: bridge ?? `br-${id.slice(0, 12)}`, internal: !!opts.internal, labels: { ...(opts.labels ?? {}) }, isDefault,
  };
  await ensureBridge(rec);
  return rec;
}
