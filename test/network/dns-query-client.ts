/**
 * A DNS client the DNS tests run inside a network namespace (`ip netns exec <ns> node --import tsx
 * dns-query-client.ts ...`): the test process itself must stay in the host namespace.
 *   query <udp|tcp> <name> <type>   → prints {"rcode", "aa", "tc", "answers": [{type, data}]}
 *   raw <hex>                       → sends the bytes over UDP, prints {"reply": hex} or {"timeout": true}
 * Both print {"timeout": true} when nothing answers within 2 s (DNS_CLIENT_TIMEOUT_MS).
 */
import dgram from 'node:dgram';
import net from 'node:net';
import dnsPacket from 'dns-packet';

const SERVER = '127.0.0.11';
// Tests expecting silence pass a shorter wait.
const TIMEOUT_MS = Number(process.env.DNS_CLIENT_TIMEOUT_MS ?? 2000);
const RCODES = ['NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED'];

function overUdp(message: Buffer): Promise<Buffer | null> {
  return new Promise((resolve) => {
    const socket = dgram.createSocket('udp4');
    const timer = setTimeout(() => { socket.close(); resolve(null); }, TIMEOUT_MS);
    socket.on('message', (reply) => { clearTimeout(timer); socket.close(); resolve(reply); });
    socket.on('error', () => { clearTimeout(timer); socket.close(); resolve(null); });
    socket.send(message, 53, SERVER);
  });
}

function overTcp(message: Buffer): Promise<Buffer | null> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: SERVER, port: 53 });
    let received = Buffer.alloc(0);
    const done = (reply: Buffer | null) => { socket.destroy(); resolve(reply); };
    socket.setTimeout(TIMEOUT_MS, () => done(null));
    socket.on('error', () => done(null));
    const length = Buffer.alloc(2);
    length.writeUInt16BE(message.length, 0);
    socket.on('connect', () => socket.write(Buffer.concat([length, message])));
    socket.on('data', (chunk) => {
      received = Buffer.concat([received, chunk]);
      if (received.length >= 2 && received.length >= 2 + received.readUInt16BE(0)) done(received.subarray(2, 2 + received.readUInt16BE(0)));
    });
  });
}

const [mode, ...args] = process.argv.slice(2);
if (mode === 'raw') {
  const reply = await overUdp(Buffer.from(args[0]!, 'hex'));
  console.log(JSON.stringify(reply ? { reply: reply.toString('hex') } : { timeout: true }));
} else if (mode === 'query') {
  const [transport, name, type] = args as ['udp' | 'tcp', string, dnsPacket.RecordType];
  const query = dnsPacket.encode({ type: 'query', id: 4242, flags: dnsPacket.RECURSION_DESIRED, questions: [{ type, name }] });
  const reply = transport === 'tcp' ? await overTcp(query) : await overUdp(query);
  if (!reply) {
    console.log(JSON.stringify({ timeout: true }));
  } else {
    const packet = dnsPacket.decode(reply);
    console.log(JSON.stringify({
      id: packet.id,
      rcode: RCODES[(packet.flags ?? 0) & 0xf] ?? String((packet.flags ?? 0) & 0xf),
      aa: packet.flag_aa,
      tc: packet.flag_tc,
      answers: (packet.answers ?? []).map((a) => ({ type: a.type, data: 'data' in a ? a.data : null })),
    }));
  }
} else {
  console.error('usage: dns-query-client.ts query <udp|tcp> <name> <type> | raw <hex>');
  process.exit(2);
}
