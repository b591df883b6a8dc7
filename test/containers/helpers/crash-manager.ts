/**
 * Manager A of the crash test, run as its own process so the test can SIGKILL it like a daemon
 * dying hard: opens a manager on the given dirs, starts a long-running container, one that exits
 * after 2 s and a paused one, prints their ids as one JSON line, then idles until killed.
 * Usage: node --import tsx crash-manager.ts <root> <runRoot> <snapDir> <runtime>
 */
import { openManager } from './fixtures.js';

const [root, runRoot, snapDir, runtime] = process.argv.slice(2) as [string, string, string, 'crun' | 'runc'];
const m = await openManager({ root, runRoot, snapDir }, runtime);
const long = await m.create({ image: 'busybox', name: 'survivor', cmd: ['sh', '-c', 'echo alive; trap "echo term; exit 0" TERM; while :; do sleep 0.1; done'] });
await m.start(long.id);
const short = await m.create({ image: 'busybox', name: 'quitter', cmd: ['sh', '-c', 'sleep 2; echo bye; exit 6'] });
await m.start(short.id);
const frozen = await m.create({ image: 'busybox', name: 'frozen', cmd: ['sleep', '60'] });
await m.start(frozen.id);
await m.pause(frozen.id);
process.stdout.write(JSON.stringify({ long: long.id, short: short.id, frozen: frozen.id, pid: process.pid }) + '\n');
setInterval(() => undefined, 1 << 30);
