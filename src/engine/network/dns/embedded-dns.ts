import { failedPrecondition } from '../../../base/errors.js';
import { DEFAULT_UPSTREAM_TIMEOUT_MS, UpstreamForwarder } from './forwarder.js';
import type { DnsAnswerSource, EmbeddedDnsOptions } from './types.js';
import { NetnsListener } from './netns-listener.js';
import { decide, serverFailure } from './responder.js';
import { hostNameservers } from './resolv-conf.js';
import { parseUpstream } from './upstream-address.js';

/**
 * Forwarded queries in flight per container before new ones get SERVFAIL at once: one container
 * flooding names cannot pile up sockets and timers in the daemon (Docker bounds this too).
 */
export const MAX_FORWARDS_PER_CONTAINER = 128;

interface ForwardCount {
  inFlight: number;
}

export class EmbeddedDns {
  /** containerId → its server in the container's namespace. */
  private readonly listeners = new Map<string, NetnsListener>();
  private readonly forwarder: UpstreamForwarder;
  private readonly log: (message: string) => void;
  private closed = false;

  constructor(opts: EmbeddedDnsOptions = {}) {
    this.log = opts.log ?? (() => {});
    const upstreams = (opts.upstreams ?? hostNameservers()).map(parseUpstream);
    this.forwarder = new UpstreamForwarder(upstreams, opts.upstreamTimeoutMs ?? DEFAULT_UPSTREAM_TIMEOUT_MS, this.log);
  }

  /**
   * Serves 127.0.0.11:53 (UDP and TCP) inside the network namespace at netnsPath for one container.
   * Attaching a container again replaces its earlier server (and answer source).
   */
  async attach(containerId: string, netnsPath: string, names: DnsAnswerSource): Promise<void> {
    if (this.closed) throw failedPrecondition('the embedded DNS server is closed');
    this.detach(containerId);
    const forwards: ForwardCount = { inFlight: 0 };
    const listener = NetnsListener.open(netnsPath, (query, transport) => this.reply(forwards, names, query, transport), this.log);
    this.listeners.set(containerId, listener);
  }

  /** Closes the container's sockets; a container that is not attached is not an error. */
  detach(containerId: string): void {
    const listener = this.listeners.get(containerId);
    if (!listener) return;
    this.listeners.delete(containerId);
    listener.close();
  }

  close(): void {
    this.closed = true;
    for (const containerId of [...this.listeners.keys()]) this.detach(containerId);
  }

  private async reply(forwards: ForwardCount, names: DnsAnswerSource, query: Buffer, transport: 'udp' | 'tcp'): Promise<Buffer | null> {
    try {
      const decision = decide(query, names, transport);
      if (decision.kind === 'answer') return decision.message;
      if (decision.kind === 'drop') return null;
      if (forwards.inFlight >= MAX_FORWARDS_PER_CONTAINER) return serverFailure(query);
      forwards.inFlight++;
      try {
        return (await this.forwarder.forward(query, transport)) ?? serverFailure(query);
      } finally {
        forwards.inFlight--;
      }
    } catch (err) {
      // An answer source that throws, or a bug here: the query fails, the daemon does not.
      this.log(`dns: query failed: ${(err as Error).message}`);
      return query.length >= 12 ? serverFailure(query) : null;
    }
  }
}
