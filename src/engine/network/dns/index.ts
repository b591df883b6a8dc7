/**
 * The embedded DNS server (Docker's 127.0.0.11): answers container names on a container's networks
 * and forwards everything else to the host's resolvers. The listening sockets live inside each
 * container's network namespace; the event loop that serves them is the daemon's.
 */
export type { DnsAnswerSource, EmbeddedDnsOptions } from './types.js';
export { EmbeddedDns } from './embedded-dns.js';
