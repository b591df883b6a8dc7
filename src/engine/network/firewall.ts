/**
 * berth's own filter rules, one chain per daemon jumped to from FORWARD: traffic between two of
 * the daemon's bridges is dropped (networks are isolated from each other, Docker's
 * DOCKER-ISOLATION), an internal network's bridge forwards nowhere, and everything else to or
 * from a berth bridge is accepted (so a host whose FORWARD policy is DROP still works). The CNI
 * firewall plugin is not used: its per-container ACCEPT rules would come before the isolation.
 */
import { run } from './host.js';

export interface FirewallBridge { name: string; internal: boolean }

const ipt = (args: string[]) => run('iptables', ['-w', ...args]);

export async function applyIsolation(chain: string, bridges: FirewallBridge[]): Promise<void> {
  await ipt(['-N', chain]).catch(() => undefined); // exists already
  await ipt(['-F', chain]);
  for (const a of bridges) {
    if (a.internal) {
      await ipt(['-A', chain, '-i', a.name, '!', '-o', a.name, '-j', 'DROP']);
      await ipt(['-A', chain, '-o', a.name, '!', '-i', a.name, '-j', 'DROP']);
    }
    for (const b of bridges) if (a.name !== b.name) await ipt(['-A', chain, '-i', a.name, '-o', b.name, '-j', 'DROP']);
  }
  for (const a of bridges) {
    await ipt(['-A', chain, '-i', a.name, '-j', 'ACCEPT']);
    await ipt(['-A', chain, '-o', a.name, '-j', 'ACCEPT']);
  }
  // First in FORWARD, ahead of anything a plugin or another tool inserts later.
  while (await ipt(['-D', 'FORWARD', '-j', chain]).then(() => true, () => false));
  await ipt(['-I', 'FORWARD', '1', '-j', chain]);
}

export async function removeIsolation(chain: string): Promise<void> {
  while (await ipt(['-D', 'FORWARD', '-j', chain]).then(() => true, () => false));
  await ipt(['-F', chain]).catch(() => undefined);
  await ipt(['-X', chain]).catch(() => undefined);
}
