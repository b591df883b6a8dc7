/** Running the host's networking tools (ip, iptables, unshare, umount) and reading what they report. */
import { internal } from '../../base/errors.js';
import { runProcess } from '../../base/process.js';
import { parseIp, subnetOf, type Subnet } from './ipv4.js';

export function run(cmd: string, args: string[]): Promise<string> {
  return runProcess(cmd, args, { timeoutMs: 30_000 }).catch((err: Error) => {
    throw internal(`${cmd} ${args.join(' ')}: ${err.message}`, err);
  });
}

export interface HostRoute { subnet: Subnet; dev: string }

/** Every IPv4 route and interface address on the host (other daemons' bridges included). */
export async function hostRoutes(): Promise<HostRoute[]> {
  const out: HostRoute[] = [];
  const routes = JSON.parse((await run('ip', ['-j', '-4', 'route', 'show', 'table', 'all'])) || '[]') as Array<{ dst?: string; dev?: string; type?: string }>;
  for (const r of routes) {
    if (!r.dst || r.dst === 'default' || (r.type && r.type !== 'unicast')) continue;
    const [ip, len] = r.dst.split('/');
    const n = parseIp(ip!);
    if (n !== null) out.push({ subnet: subnetOf(n, len === undefined ? 32 : Number(len)), dev: r.dev ?? '' });
  }
  const addrs = JSON.parse((await run('ip', ['-j', '-4', 'addr', 'show'])) || '[]') as Array<{ ifname: string; addr_info?: Array<{ local: string; prefixlen: number }> }>;
  for (const a of addrs) for (const i of a.addr_info ?? []) {
    const n = parseIp(i.local);
    if (n !== null && !i.local.startsWith('127.')) out.push({ subnet: subnetOf(n, i.prefixlen), dev: a.ifname });
  }
  return out;
}

export async function linkExists(name: string): Promise<boolean> {
  return run('ip', ['link', 'show', 'dev', name]).then(() => true, () => false);
}

export async function deleteLink(name: string): Promise<void> {
  if (await linkExists(name)) await run('ip', ['link', 'delete', name]);
}

/** The host's own IPv4 addresses (those a published port answers on besides 127.0.0.1). */
export async function hostAddresses(): Promise<string[]> {
  const addrs = JSON.parse((await run('ip', ['-j', '-4', 'addr', 'show'])) || '[]') as Array<{ addr_info?: Array<{ local: string }> }>;
  return addrs.flatMap((a) => (a.addr_info ?? []).map((i) => i.local));
}

/**
 * Host ports any CNI portmap user (another berth daemon, podman) publishes: they hold no socket,
 * so a bind test cannot see them; portmap's shared CNI-HOSTPORT-DNAT chain lists them, e.g.
 * `-A CNI-HOSTPORT-DNAT -p tcp -m comment --comment "..." -m multiport --dports 8080,9090 -j CNI-DN-…`.
 */
export async function portmapPublishedPorts(): Promise<Array<{ port: number; protocol: 'tcp' | 'udp' }>> {
  const rules = await run('iptables', ['-w', '-t', 'nat', '-S', 'CNI-HOSTPORT-DNAT']).catch(() => ''); // no chain: nothing published
  return parsePortmapRules(rules);
}

export function parsePortmapRules(rules: string): Array<{ port: number; protocol: 'tcp' | 'udp' }> {
  const out: Array<{ port: number; protocol: 'tcp' | 'udp' }> = [];
  for (const line of rules.split('\n')) {
    const proto = / -p (tcp|udp) /.exec(line)?.[1] as 'tcp' | 'udp' | undefined;
    const ports = / --dports (\S+)/.exec(line)?.[1];
    if (!proto || !ports) continue;
    for (const part of ports.split(',')) {
      const [from, to = from] = part.split(':').map(Number) as [number, number?];
      for (let p = from; p <= (to ?? from) && Number.isInteger(p); p++) out.push({ port: p, protocol: proto });
    }
  }
  return out;
}
