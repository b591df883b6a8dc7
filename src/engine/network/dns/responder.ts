/**
 * Decides what the embedded DNS server does with one query message: answer it from the container
 * names it knows, forward it upstream, or drop it. Pure: no sockets, so every case is unit-tested.
 */
import dnsPacket from 'dns-packet';
import type { DnsAnswerSource } from './types.js';

export type Decision =
  | { kind: 'answer'; message: Buffer }
  | { kind: 'forward' }
  | { kind: 'drop' };

/** Docker's embedded resolver answers container names with this TTL. */
export const CONTAINER_RECORD_TTL = 600;
/** RFC 1035's UDP limit when the client does not advertise a larger one with EDNS. */
export const CLASSIC_UDP_LIMIT = 512;

const HEADER_BYTES = 12;
const QR = 0x8000;
const RCODE = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NOTIMP: 4 } as const;

/** Container names are matched case-insensitively, with or without the trailing dot. */
export function normalizeName(name: string): string {
  return name.replace(/\.$/, '').toLowerCase();
}

/**
 * An answer larger than the transport carries (UDP: 512 bytes or the client's EDNS size; TCP: 64 KiB)
 * is sent empty with the TC bit, so the client retries over TCP.
 */
export function decide(query: Buffer, names: DnsAnswerSource, transport: 'udp' | 'tcp'): Decision {
  // Too short to carry an id or already a response (a reflection or loop): nothing sensible to say.
  if (query.length < HEADER_BYTES || (query.readUInt16BE(2) & QR) !== 0) return { kind: 'drop' };
  let packet: dnsPacket.DecodedPacket;
  try {
    packet = dnsPacket.decode(query);
  } catch {
    return { kind: 'answer', message: bareReply(query, RCODE.FORMERR) };
  }
  const opcode = ((packet.flags ?? 0) >> 11) & 0xf;
  if (opcode !== 0 /* QUERY */) return { kind: 'answer', message: rcodeReply(packet, RCODE.NOTIMP) };
  const questions = packet.questions ?? [];
  if (questions.length !== 1) return { kind: 'answer', message: bareReply(query, RCODE.FORMERR) };
  const question = questions[0]!;
  const klass = question.class ?? 'IN';
  if (klass !== 'IN' || (question.type !== 'A' && question.type !== 'AAAA')) return { kind: 'forward' };
  const addresses = names.lookup(normalizeName(question.name));
  if (addresses.length === 0) return { kind: 'forward' };
  // Container addresses are IPv4 only: a known name has no AAAA records (NOERROR, empty), which
  // keeps resolvers from asking upstream and getting NXDOMAIN for a name that exists.
  const answers: dnsPacket.Answer[] =
    question.type === 'A'
      ? addresses.map((data) => ({ type: 'A', class: 'IN', name: question.name, ttl: CONTAINER_RECORD_TTL, data }))
      : [];
  const limit = transport === 'tcp' ? 0xffff : udpLimit(packet);
  const flags = replyFlags(packet.flags ?? 0, RCODE.NOERROR) | dnsPacket.AUTHORITATIVE_ANSWER;
  const full = dnsPacket.encode({ type: 'response', id: packet.id ?? 0, flags, questions: [question], answers });
  if (full.length <= limit) return { kind: 'answer', message: full };
  const truncated = dnsPacket.encode({
    type: 'response', id: packet.id ?? 0, flags: flags | dnsPacket.TRUNCATED_RESPONSE, questions: [question], answers: [],
  });
  return { kind: 'answer', message: truncated };
}

/** SERVFAIL for a query no upstream answered (it decoded once already, in decide()). */
export function serverFailure(query: Buffer): Buffer {
  try {
    return rcodeReply(dnsPacket.decode(query), RCODE.SERVFAIL);
  } catch {
    return bareReply(query, RCODE.SERVFAIL);
  }
}

/** A reply that repeats the question (stub resolvers such as glibc's match replies by it). */
function rcodeReply(packet: dnsPacket.DecodedPacket, rcode: number): Buffer {
  return dnsPacket.encode({
    type: 'response', id: packet.id ?? 0, flags: replyFlags(packet.flags ?? 0, rcode), questions: packet.questions ?? [], answers: [],
  });
}

function udpLimit(packet: dnsPacket.DecodedPacket): number {
  const opt = (packet.additionals ?? []).find((a) => a.type === 'OPT') as dnsPacket.OptAnswer | undefined;
  return opt ? Math.max(CLASSIC_UDP_LIMIT, Math.min(opt.udpPayloadSize, 0xffff)) : CLASSIC_UDP_LIMIT;
}

/** QR + the query's opcode and RD, RA set (we recurse by forwarding), the given rcode. */
function replyFlags(queryFlags: number, rcode: number): number {
  const opcodeAndRd = queryFlags & (0x7800 | dnsPacket.RECURSION_DESIRED);
  return QR | opcodeAndRd | dnsPacket.RECURSION_AVAILABLE | rcode;
}

/**
 * A header-only reply (no sections), written by hand because the query may not decode at all
 * (FORMERR); only its id and flags are read.
 */
function bareReply(query: Buffer, rcode: number): Buffer {
  const reply = Buffer.alloc(HEADER_BYTES);
  reply.writeUInt16BE(query.readUInt16BE(0), 0);
  reply.writeUInt16BE(replyFlags(query.readUInt16BE(2), rcode), 2);
  return reply;
}
