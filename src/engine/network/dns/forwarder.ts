/**
 * Sends queries the embedded server cannot answer to the upstream resolvers, from the daemon's (the
 * host's) network namespace: so loopback upstreams such as systemd-resolved's 127.0.0.53 work, as
 * they do for Docker. Each upstream gets `timeoutMs`; on a timeout or error the next one is asked;
 * null when none answered.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import { DnsMessageReader, frameDnsMessage } from './tcp-framing.js';
import { formatUpstream, type UpstreamAddress } from './upstream-address.js';

export const DEFAULT_UPSTREAM_TIMEOUT_MS = 2000;

export class UpstreamForwarder {
  constructor(
    private readonly upstreams: readonly UpstreamAddress[],
    private readonly timeoutMs = DEFAULT_UPSTREAM_TIMEOUT_MS,
    private readonly log: (message: string) => void = () => {},
  ) {}

  async forward(query: Buffer, transport: 'udp' | 'tcp'): Promise<Buffer | null> {
    for (const upstream of this.upstreams) {
      try {
        return transport === 'udp' ? await this.overUdp(query, upstream) : await this.overTcp(query, upstream);
      } catch (err) {
        this.log(`dns: upstream ${formatUpstream(upstream)} (${transport}): ${(err as Error).message}`);
      }
    }
    return null;
  }

  /** A fresh socket per query: a random source port, no state shared between queries. */
  private overUdp(query: Buffer, { host, port }: UpstreamAddress): Promise<Buffer> {
    const socket = dgram.createSocket(net.isIPv6(host.split('%')[0]!) ? 'udp6' : 'udp4');
    const id = query.readUInt16BE(0);
    return new Promise<Buffer>((resolve, reject) => {
      let settled = false;
      const timer = setTimeout(() => finish(new Error(`no answer within ${this.timeoutMs} ms`)), this.timeoutMs);
      const finish = (err: Error | null, reply?: Buffer) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        socket.close();
        if (err) reject(err);
        else resolve(reply!);
      };
      socket.on('error', (err) => finish(err));
      socket.on('message', (reply) => {
        if (reply.length < 12 || reply.readUInt16BE(0) !== id) return;
        finish(null, reply);
      });
      // Connected: the kernel delivers only the upstream's datagrams, and an ICMP port-unreachable
      // fails over at once (ECONNREFUSED) instead of after the timeout.
      socket.connect(port, host, () => socket.send(query));
    });
  }

  private overTcp(query: Buffer, { host, port }: UpstreamAddress): Promise<Buffer> {
    return new Promise<Buffer>((resolve, reject) => {
      const socket = net.connect({ host, port });
      const reader = new DnsMessageReader();
      let settled = false;
      const finish = (err: Error | null, reply?: Buffer) => {
        if (settled) return;
        settled = true;
        socket.destroy();
        if (err) reject(err);
        else resolve(reply!);
      };
      socket.setTimeout(this.timeoutMs, () => finish(new Error(`no answer within ${this.timeoutMs} ms`)));
      socket.on('error', (err) => finish(err));
      socket.on('close', () => finish(new Error('connection closed before an answer')));
      socket.on('connect', () => socket.write(frameDnsMessage(query)));
      socket.on('data', (chunk) => {
        const [reply] = reader.push(chunk);
        if (reply) finish(null, reply);
      });
    });
  }
}
