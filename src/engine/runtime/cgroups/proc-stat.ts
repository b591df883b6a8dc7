/**
 * Host-wide CPU time and online CPUs from /proc/stat, as Docker's stats use them: system usage is
 * the "cpu" line's user+nice+system+idle+iowait+irq+softirq ticks in nanoseconds (USER_HZ is 100
 * on every Linux ABI), so a client computes a container's share between two samples.
 */
import fsp from 'node:fs/promises';

const nsPerTick = 1e9 / 100;

export function parseProcStat(text: string): { systemUsageNs: number; onlineCpus: number } {
  let systemUsageNs = 0;
  let onlineCpus = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('cpu ')) {
      const ticks = line.trim().split(/\s+/).slice(1, 8).map(Number);
      systemUsageNs = ticks.reduce((a, b) => a + (Number.isFinite(b) ? b : 0), 0) * nsPerTick;
    } else if (/^cpu\d+ /.test(line)) {
      onlineCpus++;
    }
  }
  return { systemUsageNs, onlineCpus };
}

export async function readProcStat(file = '/proc/stat'): Promise<{ systemUsageNs: number; onlineCpus: number }> {
  return parseProcStat(await fsp.readFile(file, 'utf8'));
}
