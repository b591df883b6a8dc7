/**
 * Watch fan-out through the real daemon (not a test):
 *   node --import tsx bench/kube-watch-fanout-bench.ts [--watchers N] [--events N] [--backend sqlite|etcd]
 * N watchers (default 1000), each on its own HTTPS connection, watch ONE ConfigMap
 * (fieldSelector=metadata.name=target, from the current resourceVersion). Then the ConfigMap is
 * patched a few times, one at a time; for each patch we time from the PATCH call until every
 * watcher has seen that MODIFIED event (and the median watcher). Also how long opening the
 * watchers took and the server's RSS with all of them open.
 */
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { adminClient } from '../test/kube/helpers/berth-server-process.js';
import { expectStatus, header, ms, openWatch, pct, startBenchServer, table, type Backend, type WatchStream } from './kube-bench-lib.js';

const arg = (name: string) => (process.argv.indexOf(name) > 0 ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const WATCHERS = Number(arg('--watchers') ?? 1000);
const EVENTS = Number(arg('--events') ?? 5);
const BACKENDS: Backend[] = arg('--backend') ? [arg('--backend') as Backend] : ['sqlite', 'etcd'];
const CM = '/api/v1/namespaces/default/configmaps';
const OPEN_BATCH = 50; // handshakes in flight while opening the watchers

const rssMiB = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

const rows: Array<Array<string | number>> = [];
header(`Watch fan-out through berth server: ${WATCHERS} watchers on one ConfigMap, ${EVENTS} events`);
for (const backend of BACKENDS) {
  const server = await startBenchServer(backend, 'kube-fanout');
  const watches: WatchStream[] = [];
  try {
    const { call, close } = adminClient(server, 1);
    const created = await call('POST', CM, JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'target' }, data: { n: '0' } }));
    expectStatus(created, [201], 'create target');
    const rv = JSON.parse(created.body).metadata.resourceVersion as string;
    const rssBefore = rssMiB(server.pid);

    // seen[k] = arrival times of event k at each watcher.
    const seen: number[][] = Array.from({ length: EVENTS }, () => []);
    const waiting: Array<() => void> = [];
    const t0 = performance.now();
    for (let b = 0; b < WATCHERS; b += OPEN_BATCH) {
      const batch: WatchStream[] = [];
      for (let i = b; i < Math.min(WATCHERS, b + OPEN_BATCH); i++) {
        batch.push(openWatch(server, `${CM}?watch=1&fieldSelector=metadata.name%3Dtarget&resourceVersion=${rv}`, (e) => {
          if (e.type !== 'MODIFIED') return;
          const k = Number((e.object as unknown as { data: { n: string } }).data.n) - 1;
          seen[k]!.push(performance.now());
          if (seen[k]!.length === WATCHERS) waiting[k]?.();
        }));
      }
      await Promise.all(batch.map((w) => w.ready));
      watches.push(...batch);
    }
    const openSecs = (performance.now() - t0) / 1000;
    await new Promise((r) => setTimeout(r, 500)); // let every watch settle into its stream
    const rssOpen = rssMiB(server.pid);

    const all: number[] = [];
    const median: number[] = [];
    for (let k = 0; k < EVENTS; k++) {
      const done = new Promise<void>((r) => (waiting[k] = r));
      const s = performance.now();
      expectStatus(await call('PATCH', `${CM}/target`, JSON.stringify({ data: { n: String(k + 1) } }), 'application/merge-patch+json'), [200], 'patch target');
      await Promise.race([done, new Promise((_, rej) => setTimeout(() => rej(new Error(`event ${k + 1}: only ${seen[k]!.length}/${WATCHERS} watchers saw it within 30 s`)), 30_000))]);
      const arrivals = seen[k]!.map((t) => t - s).sort((a, b) => a - b);
      all.push(arrivals[arrivals.length - 1]!);
      median.push(pct(arrivals, 50));
    }
    close();
    all.sort((a, b) => a - b);
    median.sort((a, b) => a - b);
    rows.push([backend, WATCHERS, openSecs.toFixed(1), ms(pct(median, 50)), ms(pct(all, 50)), ms(all[all.length - 1]!), `${rssBefore.toFixed(0)} → ${rssOpen.toFixed(0)}`]);
    console.error(`${backend} done`);
  } finally {
    for (const w of watches) w.close();
    await server.close();
  }
}
table(['backend', 'watchers', 'open s', 'median watcher ms', 'all watchers ms (median event)', 'all watchers ms (worst event)', 'server RSS MiB (before → open)'], rows);
