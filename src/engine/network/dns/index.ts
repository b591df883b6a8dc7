/**
 * The embedded DNS server (Docker's 127.0.0.11): answers container names on a container's networks
 * and forwards everything else to the host's resolvers. The listening sockets live inside each
 * container's network namespace; the event loop that serves them is the daemon's.
 */

/** Who answers for a container: the IPv4 addresses of a name, or [] when it is not a container name. */
export interface DnsAnswerSource {
  lookup(name: string): string[];
}

export interface EmbeddedDnsOptions {
  /** Upstream resolvers (IP addresses); default: the nameservers in the host's /etc/resolv.conf. */
  upstreams?: string[];
  log?: (message: string) => void;
}

export { EmbeddedDns } from './embedded-dns.js';
