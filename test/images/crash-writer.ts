/**
 * Child process for content-crash.test.ts: writes into a content store, reports on stdout, then
 * waits to be killed with SIGKILL.
 *   ack <root>: writes a 4 MiB blob, prints its digest once put() resolved.
 *   mid <root>: starts a blob whose stream never ends, prints "writing" after 1 MiB.
 */
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { ContentStore } from '../../src/engine/content/index.js';

const [mode, root] = process.argv.slice(2);
const store = await ContentStore.open(root!);
setInterval(() => undefined, 1000);
if (mode === 'ack') {
  const info = await store.put(randomBytes(4 << 20));
  process.stdout.write(`${info.digest}\n`);
} else {
  let sent = 0;
  const endless = new Readable({
    read() {
      sent += 64 << 10;
      this.push(randomBytes(64 << 10));
      if (sent === 1 << 20) process.stdout.write('writing\n');
    },
  });
  void store.put(endless);
}
