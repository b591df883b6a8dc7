/**
 * DNS over TCP frames each message with a two-byte big-endian length (RFC 1035 §4.2.2). This splits
 * a byte stream into messages, however the chunks fall.
 */
export class DnsMessageReader {
  private pending: Buffer = Buffer.alloc(0);

  /** Adds bytes from the stream; returns the messages now complete, in order. */
  push(chunk: Buffer): Buffer[] {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const messages: Buffer[] = [];
    while (this.pending.length >= 2) {
      const length = this.pending.readUInt16BE(0);
      if (this.pending.length < 2 + length) break;
      messages.push(this.pending.subarray(2, 2 + length));
      this.pending = this.pending.subarray(2 + length);
    }
    return messages;
  }
}

export function frameDnsMessage(message: Buffer): Buffer {
  const length = Buffer.alloc(2);
  length.writeUInt16BE(message.length, 0);
  return Buffer.concat([length, message]);
}
