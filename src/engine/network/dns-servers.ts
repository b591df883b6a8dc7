/**
 * The embedded DNS servers of one daemon: one for the containers that forward to the daemon's
 * upstreams (the host's resolvers), and one per distinct `--dns` list, because Docker makes a
 * container's --dns on a user-defined network the upstream of *its* embedded DNS (its
 * /etc/resolv.conf names 127.0.0.11 only). A server per list, rather than per container, keeps
 * one forwarder (sockets, failover state) for containers that ask for the same resolvers.
 */
import type { DnsAnswerSource } from './dns/index.js';

export interface EmbeddedDnsServer {
  attach(containerId: string, netnsPath: string, names: DnsAnswerSource): Promise<void>;
  detach(containerId: string): void;
  close(): void;
}

export class DnsServers {
  private readonly servers = new Map<string, EmbeddedDnsServer>(); // upstream list key → server
  private readonly attached = new Map<string, string>(); // containerId → its server's key

  /** `open(undefined)` makes the server with the daemon's own upstreams. */
  constructor(private readonly open: (upstreams: string[] | undefined) => EmbeddedDnsServer) {}

  /** Serves 127.0.0.11 in the container's namespace, forwarding to `upstreams` (or the daemon's). */
  async attach(containerId: string, netnsPath: string, names: DnsAnswerSource, upstreams: string[] = []): Promise<void> {
    const key = upstreams.join(' ');
    this.detach(containerId);
    let server = this.servers.get(key);
    if (!server) {
      server = this.open(upstreams.length ? upstreams : undefined);
      this.servers.set(key, server);
    }
    this.attached.set(containerId, key);
    await server.attach(containerId, netnsPath, names);
  }

  detach(containerId: string): void {
    const key = this.attached.get(containerId);
    if (key === undefined) return;
    this.attached.delete(containerId);
    const server = this.servers.get(key);
    server?.detach(containerId);
    // A --dns list's server goes with its last container; the daemon's own one stays.
    if (server && key !== '' && ![...this.attached.values()].includes(key)) {
      server.close();
      this.servers.delete(key);
    }
  }

  close(): void {
    for (const s of this.servers.values()) s.close();
    this.servers.clear();
    this.attached.clear();
  }
}
