/** Who answers for a container: the IPv4 addresses of a name, or [] when it is not a container name. */
export interface DnsAnswerSource {
  lookup(name: string): string[];
}

export interface EmbeddedDnsOptions {
  /** Upstream resolvers (IP addresses, optionally ip:port); default: the nameservers in the host's /etc/resolv.conf. */
  upstreams?: string[];
  log?: (message: string) => void;
  /** How long each upstream gets to answer before the next one is asked; default 2000 ms. */
  upstreamTimeoutMs?: number;
}
