import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import dnsPacket from 'dns-packet';
import { CONTAINER_RECORD_TTL, decide, normalizeName, serverFailure } from './responder.js';
import type { DnsAnswerSource } from './types.js';

const names: DnsAnswerSource = { lookup: (name) => ({ web: ['10.88.0.5'], many: Array.from({ length: 40 }, (_, i) => `10.88.1.${i}`) })[name] ?? [] };

function queryFor(name: string, type: dnsPacket.RecordType, extra: Partial<dnsPacket.Packet> = {}): Buffer {
  return dnsPacket.encode({ type: 'query', id: 777, flags: dnsPacket.RECURSION_DESIRED, questions: [{ type, name, class: 'IN' }], ...extra });
}

function answered(decision: ReturnType<typeof decide>): dnsPacket.DecodedPacket {
  assert.equal(decision.kind, 'answer');
  return dnsPacket.decode((decision as { message: Buffer }).message);
}

const rcodeOf = (packet: dnsPacket.DecodedPacket) => (packet.flags ?? 0) & 0xf;

describe('responder', () => {
  it('answers A for a container name with its addresses, the TTL, AA and RA, echoing id, question and RD', () => {
    const reply = answered(decide(queryFor('Web.', 'A'), names, 'udp'));
    assert.equal(reply.id, 777);
    assert.equal(reply.flag_qr && reply.flag_aa && reply.flag_ra && reply.flag_rd, true);
    assert.equal(rcodeOf(reply), 0);
    assert.deepEqual(reply.questions, [{ name: 'Web', type: 'A', class: 'IN' }]);
    const records = (reply.answers ?? []) as dnsPacket.StringAnswer[];
    assert.deepEqual(records.map((a) => [a.type, a.data, a.ttl]), [['A', '10.88.0.5', CONTAINER_RECORD_TTL]]);
  });

  it('answers AAAA for a container name with NOERROR and no records', () => {
    const reply = answered(decide(queryFor('web', 'AAAA'), names, 'udp'));
    assert.equal(rcodeOf(reply), 0);
    assert.deepEqual(reply.answers, []);
  });

  it('forwards unknown names, other types and other classes', () => {
    assert.deepEqual(decide(queryFor('example.com', 'A'), names, 'udp'), { kind: 'forward' });
    assert.deepEqual(decide(queryFor('web', 'MX'), names, 'udp'), { kind: 'forward' });
    assert.deepEqual(decide(dnsPacket.encode({ type: 'query', id: 1, questions: [{ type: 'A', name: 'web', class: 'CH' }] }), names, 'udp'), { kind: 'forward' });
  });

  it('truncates an answer too large for classic UDP (TC, no records), but not over TCP or with a large EDNS size', () => {
    const overUdp = answered(decide(queryFor('many', 'A'), names, 'udp'));
    assert.equal(overUdp.flag_tc, true);
    assert.deepEqual(overUdp.answers, []);
    assert.equal(answered(decide(queryFor('many', 'A'), names, 'tcp')).answers?.length, 40);
    const edns = queryFor('many', 'A', { additionals: [{ type: 'OPT', name: '.', udpPayloadSize: 4096 } as dnsPacket.Answer] });
    const overEdns = answered(decide(edns, names, 'udp'));
    assert.equal(overEdns.flag_tc, false);
    assert.equal(overEdns.answers?.length, 40);
  });

  it('drops packets shorter than a header and packets that are responses', () => {
    assert.deepEqual(decide(Buffer.from([1, 2, 3]), names, 'udp'), { kind: 'drop' });
    const response = dnsPacket.encode({ type: 'response', id: 5, questions: [{ type: 'A', name: 'web' }] });
    assert.deepEqual(decide(response, names, 'udp'), { kind: 'drop' });
  });

  it('answers FORMERR to undecodable queries and to queries without exactly one question', () => {
    const truncatedQuestion = queryFor('web', 'A').subarray(0, 16);
    const formerr = decide(truncatedQuestion, names, 'udp');
    assert.equal(formerr.kind, 'answer');
    const header = (formerr as { message: Buffer }).message;
    assert.equal(header.readUInt16BE(0), 777);
    assert.equal(header.readUInt16BE(2) & 0x800f, 0x8001);
    const none = dnsPacket.encode({ type: 'query', id: 9, questions: [] });
    assert.equal(rcodeOf(answered(decide(none, names, 'udp'))), 1);
  });

  it('answers NOTIMP to opcodes other than QUERY', () => {
    const notify = queryFor('web', 'A', { flags: 4 << 11 });
    const reply = answered(decide(notify, names, 'udp'));
    assert.equal(rcodeOf(reply), 4);
    assert.equal(reply.questions?.length, 1);
  });

  it('builds SERVFAIL that repeats the question', () => {
    const reply = dnsPacket.decode(serverFailure(queryFor('example.com', 'A')));
    assert.equal(reply.id, 777);
    assert.equal(rcodeOf(reply), 2);
    assert.deepEqual(reply.questions?.map((q) => q.name), ['example.com']);
  });

  it('normalizes names: lower case, no trailing dot', () => {
    assert.equal(normalizeName('My-App.'), 'my-app');
  });
});
