/** Measuring helpers shared by the benchmarks: percentiles and a closed-loop load driver. */
import { performance } from 'node:perf_hooks';

/** The p-th percentile of an ascending array (0 when empty). */
export function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? 0;
}

export interface Rate { opsPerSec: number; p50: number; p99: number }

/** `total` calls of fn spread over `clients` closed-loop workers. */
export async function drive(clients: number, total: number, fn: (i: number) => Promise<unknown>): Promise<Rate> {
  const lat: number[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: clients }, async () => {
    for (let i = next++; i < total; i = next++) {
      const s = performance.now();
      await fn(i);
      lat.push(performance.now() - s);
    }
  }));
  lat.sort((a, b) => a - b);
  return { opsPerSec: total / ((performance.now() - t0) / 1000), p50: pct(lat, 50), p99: pct(lat, 99) };
}
