/**
 * Containers' names on user-defined networks: the lookup the embedded DNS answers from, and
 * attaching a container's namespace to the embedded DNS.
 */
import type { NetworkState } from './state.js';
import type { ContainerNetConfig } from './store.js';

export interface DnsHook {
  /** upstreams: the container's --dns servers, which its embedded DNS forwards to; [] = the daemon's. */
  attach(containerId: string, netnsPath: string, names: { lookup(name: string): string[] }, upstreams: string[]): Promise<void>;
  detach(containerId: string): void;
  close(): void;
}

export class ContainerDns {
  constructor(private readonly state: NetworkState, private readonly hook: DnsHook | undefined, private readonly log: (m: string) => void) {}

  async attach(cfg: ContainerNetConfig): Promise<void> {
    const dns = this.hook;
    const st = this.state.states.get(cfg.id);
    if (!dns || !st || !cfg.networks.some((e) => !this.state.networks.get(e.networkId)?.isDefault)) return;
    await dns.attach(cfg.id, st.netns, { lookup: (name) => this.lookup(cfg.id, name) }, cfg.dns ?? []).catch((err: unknown) => this.log(`container ${cfg.id.slice(0, 12)}: embedded DNS: ${String(err)}`));
  }

  detach(containerId: string): void {
    this.hook?.detach(containerId);
  }

  close(): void {
    this.hook?.close();
  }

  /** Names a container resolves: containers sharing a user-defined network with it, by name, alias or short id. */
  lookup(askerId: string, name: string): string[] {
    const q = name.toLowerCase().replace(/\.$/, '');
    const asker = this.state.configs.get(askerId);
    if (!asker) return [];
    const out: string[] = [];
    for (const e of asker.networks) {
      const n = this.state.networks.get(e.networkId);
      if (!n || n.isDefault) continue;
      for (const c of this.state.configs.values()) {
        const ce = c.networks.find((x) => x.networkId === n.id);
        const a = this.state.states.get(c.id)?.attachments.find((x) => x.networkId === n.id);
        if (!ce || !a?.address.ip) continue;
        const names = [c.name, c.id.slice(0, 12), c.id, ...ce.aliases].map((x) => x.toLowerCase());
        if (names.includes(q) && !out.includes(a.address.ip)) out.push(a.address.ip);
      }
    }
    return out;
  }
}
