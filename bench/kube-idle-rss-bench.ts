/**
 * Idle RSS of `berth server` with the Kubernetes API (issue 5's goal: ≤ 150 MB), not a test:
 *   node --import tsx bench/kube-idle-rss-bench.ts [--settle 10]
 * Starts the daemon on scratch dirs, waits until it serves, lets it idle `settle` seconds and reads
 * /proc/<pid>/status and smaps_rollup. Variants: the built daemon as the `berth` launcher runs it
 * (dist/, which `scripts/setup.sh` builds), the same with --no-kube-api (what the Kubernetes API
 * adds), and the sources under tsx (what the tests run). With --heap it also writes a V8 heap
 * snapshot of the built daemon and prints the largest retainers by constructor.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../test/helpers/test-image.js';
import { startBerthServer } from '../test/kube/helpers/berth-server-process.js';
import { benchRoot, header, table } from './kube-bench-lib.js';

const arg = (name: string) => (process.argv.indexOf(name) > 0 ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const SETTLE_S = Number(arg('--settle') ?? 10);
const HEAP = process.argv.includes('--heap');

function memory(pid: number): Record<string, number> {
  const kb = (text: string, field: string) => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(text)?.[1] ?? NaN);
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return { rss: kb(status, 'VmRSS'), anon: kb(status, 'RssAnon'), file: kb(status, 'RssFile'), hwm: kb(status, 'VmHWM') };
}

const settle = () => new Promise((r) => setTimeout(r, SETTLE_S * 1000));
const MiB = (kb: number) => (kb / 1024).toFixed(0);

/** --no-kube-api: no kubeconfig to wait for; the Docker socket appearing means it serves. */
async function dockerOnly(dir: string): Promise<Record<string, number>> {
  fs.mkdirSync(dir, { recursive: true });
  const sock = path.join(dir, 'b.sock');
  const proc = spawn(process.execPath, [path.join(repoRoot, 'dist/cmd/main.js'), 'server', '--no-kube-api',
    '--data-dir', path.join(dir, 'data'), '--run-dir', path.join(dir, 'run'), '--socket', sock], { stdio: 'ignore' });
  try {
    const deadline = Date.now() + 30_000;
    while (!fs.existsSync(sock)) {
      if (Date.now() > deadline || proc.exitCode !== null) throw new Error('berth server --no-kube-api did not start');
      await new Promise((r) => setTimeout(r, 50));
    }
    await settle();
    return memory(proc.pid!);
  } finally {
    proc.kill('SIGTERM');
    await new Promise((r) => proc.once('exit', r));
  }
}

/** Sums a heap snapshot's self sizes by node name (constructor or type) and returns the top entries. */
function heapTop(file: string, n: number): Array<[string, number, number]> {
  const snap = JSON.parse(fs.readFileSync(file, 'utf8'));
  const f = snap.snapshot.meta.node_fields as string[];
  const types = snap.snapshot.meta.node_types[0] as string[];
  const nodes = snap.nodes as number[];
  const strings = snap.strings as string[];
  const [iType, iName, iSize] = [f.indexOf('type'), f.indexOf('name'), f.indexOf('self_size')];
  const by = new Map<string, [number, number]>();
  for (let i = 0; i < nodes.length; i += f.length) {
    const t = types[nodes[i + iType]!]!;
    const name = t === 'object' || t === 'native' ? strings[nodes[i + iName]!]! : `(${t})`;
    const e = by.get(name) ?? [0, 0];
    e[0] += nodes[i + iSize]!;
    e[1]++;
    by.set(name, e);
  }
  return [...by.entries()].map(([k, [s, c]]) => [k, s, c] as [string, number, number]).sort((a, b) => b[1] - a[1]).slice(0, n);
}

const root = benchRoot('kube-rss');
const rows: Array<Array<string | number>> = [];
header(`Idle RSS of berth server after ${SETTLE_S} s`);
try {
  const built = await startBerthServer(path.join(root, 'built'), { built: true });
  await settle();
  const m = memory(built.pid);
  rows.push(['built (dist/), Kubernetes API on SQLite', MiB(m.rss!), MiB(m.anon!), MiB(m.file!), MiB(m.hwm!)]);
  if (HEAP) {
    // A signal-triggered snapshot needs the flag at start: the heap run is a second daemon.
    await built.stop();
    const dir = path.join(root, 'heap');
    const heapServer = await startBerthServer(dir, { built: true, nodeArgs: ['--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${dir}`] });
    await settle();
    process.kill(heapServer.pid, 'SIGUSR2');
    let snapFile: string | undefined;
    for (let i = 0; i < 600 && !snapFile; i++) {
      await new Promise((r) => setTimeout(r, 100));
      const f = fs.readdirSync(dir).find((x) => x.endsWith('.heapsnapshot'));
      if (f) {
        const size = fs.statSync(path.join(dir, f)).size;
        await new Promise((r) => setTimeout(r, 1000));
        if (fs.statSync(path.join(dir, f)).size === size) snapFile = path.join(dir, f);
      }
    }
    await heapServer.stop();
    if (!snapFile) throw new Error('no heap snapshot written');
    console.log(`heap snapshot ${snapFile}: largest self sizes by constructor`);
    table(['constructor / type', 'MiB', 'count'], heapTop(snapFile, 20).map(([k, s, c]) => [k.slice(0, 60), (s / 2 ** 20).toFixed(1), c]));
  } else {
    await built.stop();
  }
  const d = await dockerOnly(path.join(root, 'docker-only'));
  rows.push(['built (dist/), --no-kube-api', MiB(d.rss!), MiB(d.anon!), MiB(d.file!), MiB(d.hwm!)]);
  const tsx = await startBerthServer(path.join(root, 'tsx'));
  await settle();
  const t = memory(tsx.pid);
  rows.push(['sources under tsx (as the tests run it), Kubernetes API', MiB(t.rss!), MiB(t.anon!), MiB(t.file!), MiB(t.hwm!)]);
  await tsx.stop();
} finally {
  fs.rmSync(root, { recursive: true, force: true });
}
table(['daemon', 'RSS MiB', 'anon MiB', 'file-backed MiB', 'peak RSS MiB'], rows);
