/**
 * A tiny upstream DNS server for the DNS tests, on 127.0.0.1 in the host namespace (UDP and TCP on one
 * port), so forwarded queries never leave the machine. It knows a fixed set of names, answers
 * NXDOMAIN for the rest, and records every question with the transport it came over.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import dnsPacket from 'dns-packet';

export interface FakeUpstream {
  port: number;
  address: string;
  seen: Array<{ name: string; type: string; transport: 'udp' | 'tcp' }>;
  close(): Promise<void>;
}

export async function startFakeUpstream(records: Record<string, string>): Promise<FakeUpstream> {
  const seen: FakeUpstream['seen'] = [];
  const answer = (query: Buffer, transport: 'udp' | 'tcp'): Buffer => {
    const packet = dnsPacket.decode(query);
    const question = packet.questions![0]!;
    seen.push({ name: question.name, type: question.type, transport });
    const address = records[question.name.toLowerCase()];
    const answers: dnsPacket.Answer[] = address && question.type === 'A' ? [{ type: 'A', name: question.name, ttl: 30, data: address }] : [];
    const rcode = address ? 0 : 3; // NXDOMAIN
    return dnsPacket.encode({ type: 'response', id: packet.id, flags: dnsPacket.RECURSION_AVAILABLE | rcode, questions: [question], answers });
  };
  // UDP on an ephemeral port, then TCP on the same number (retried if that one is taken).
  for (let attempt = 0; ; attempt++) {
    const udp = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => udp.bind(0, '127.0.0.1', resolve));
    udp.on('message', (query, from) => udp.send(answer(query, 'udp'), from.port, from.address));
    const port = udp.address().port;
    const tcp = net.createServer((socket) => {
      let pending = Buffer.alloc(0);
      socket.on('error', () => socket.destroy());
      socket.on('data', (chunk) => {
        pending = Buffer.concat([pending, chunk]);
        while (pending.length >= 2 && pending.length >= 2 + pending.readUInt16BE(0)) {
          const reply = answer(pending.subarray(2, 2 + pending.readUInt16BE(0)), 'tcp');
          pending = pending.subarray(2 + pending.readUInt16BE(0));
          const length = Buffer.alloc(2);
          length.writeUInt16BE(reply.length, 0);
          socket.write(Buffer.concat([length, reply]));
        }
      });
    });
    const listening = await new Promise<boolean>((resolve) => {
      tcp.once('error', () => resolve(false));
      tcp.listen(port, '127.0.0.1', () => resolve(true));
    });
    if (!listening) {
      udp.close();
      if (attempt < 10) continue;
      throw new Error('fake upstream: no port free for both UDP and TCP');
    }
    return {
      port,
      address: `127.0.0.1:${port}`,
      seen,
      close: () => new Promise<void>((resolve) => { udp.close(); tcp.close(() => resolve()); }),
    };
  }
}

/** A UDP port that takes queries and never answers (an upstream that is down without saying so). */
export async function startSilentUpstream(): Promise<{ address: string; close(): void }> {
  const udp = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => udp.bind(0, '127.0.0.1', resolve));
  return { address: `127.0.0.1:${udp.address().port}`, close: () => udp.close() };
}
