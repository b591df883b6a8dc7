import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DnsMessageReader, frameDnsMessage } from './tcp-framing.js';

describe('DNS over TCP framing', () => {
  it('splits a stream into messages however the chunks fall', () => {
    const stream = Buffer.concat([frameDnsMessage(Buffer.from('first')), frameDnsMessage(Buffer.alloc(0)), frameDnsMessage(Buffer.from('second!'))]);
    for (let cut = 0; cut <= stream.length; cut++) {
      const reader = new DnsMessageReader();
      const messages = [...reader.push(stream.subarray(0, cut)), ...reader.push(stream.subarray(cut))];
      assert.deepEqual(messages.map(String), ['first', '', 'second!'], `cut at ${cut}`);
    }
  });

  it('byte by byte', () => {
    const reader = new DnsMessageReader();
    const out: string[] = [];
    for (const byte of frameDnsMessage(Buffer.from('abc'))) out.push(...reader.push(Buffer.from([byte])).map(String));
    assert.deepEqual(out, ['abc']);
  });
});
