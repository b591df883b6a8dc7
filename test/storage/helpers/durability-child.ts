/**
 * Child process for the kill -9 durability test: opens the SQLite store in argv[2], issues argv[3]
 * creates with argv[4] writers in flight at once, and prints each key on stdout once its write is
 * acknowledged. The parent kills it with SIGKILL part-way through.
 */
import { openStorage } from '../../../src/storage/index.js';

const [dataDir, total, concurrency] = [process.argv[2]!, Number(process.argv[3]), Number(process.argv[4])];
const kv = await openStorage({ dataDir });
let next = 0;
await Promise.all(Array.from({ length: concurrency }, async () => {
  while (next < total) {
    const key = `/durable/${String(next++).padStart(5, '0')}`;
    await kv.create(key, `value of ${key}`);
    process.stdout.write(`${key}\n`);
  }
}));
await kv.close();
