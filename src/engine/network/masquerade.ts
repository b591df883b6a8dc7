/**
 * Outbound NAT, Docker's way: one rule per network (`-s <subnet> ! -o <bridge> -j MASQUERADE`) in a
 * per-daemon nat chain jumped to from POSTROUTING, instead of the bridge plugin's ipMasq, which
 * makes a chain per container with several iptables runs on every ADD and DEL (~20 ms each way on
 * this machine). Internal networks get no rule: they reach nothing outside.
 */
import { run } from './host.js';

export interface MasqueradeNetwork { bridge: string; subnet: string; internal: boolean }

const nat = (args: string[]) => run('iptables', ['-w', '-t', 'nat', ...args]);

export const masqueradeChain = (isolationChain: string): string => `${isolationChain}-MASQ`;

export async function applyMasquerade(chain: string, networks: MasqueradeNetwork[]): Promise<void> {
  await nat(['-N', chain]).catch(() => undefined); // exists already
  await nat(['-F', chain]);
  for (const n of networks) if (!n.internal) await nat(['-A', chain, '-s', n.subnet, '!', '-o', n.bridge, '-j', 'MASQUERADE']);
  const jumps = await nat(['-C', 'POSTROUTING', '-j', chain]).then(() => true, () => false);
  if (!jumps) await nat(['-A', 'POSTROUTING', '-j', chain]);
}

export async function removeMasquerade(chain: string): Promise<void> {
  while (await nat(['-D', 'POSTROUTING', '-j', chain]).then(() => true, () => false));
  await nat(['-F', chain]).catch(() => undefined);
  await nat(['-X', chain]).catch(() => undefined);
}
