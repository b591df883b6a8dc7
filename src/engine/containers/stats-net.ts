/**
 * Network counters for `docker stats` (NET I/O) and the stats API's `networks`: the container's
 * own network namespace seen through /proc/<pid>/net/dev, which needs no netns switch. Loopback is
 * left out, as Docker does.
 */
import fsp from 'node:fs/promises';
import type { NetworkCounters } from './types.js';

/** Parses /proc/net/dev: two header lines, then "iface: 8 receive fields, 8 transmit fields". */
export function parseNetDev(text: string): Record<string, NetworkCounters> {
  const out: Record<string, NetworkCounters> = {};
  for (const line of text.split('\n').slice(2)) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const name = line.slice(0, colon).trim();
    const f = line.slice(colon + 1).trim().split(/\s+/).map(Number);
    if (!name || name === 'lo' || f.length < 16 || f.some((n) => !Number.isFinite(n))) continue;
    out[name] = { rxBytes: f[0]!, rxPackets: f[1]!, rxErrors: f[2]!, rxDropped: f[3]!, txBytes: f[8]!, txPackets: f[9]!, txErrors: f[10]!, txDropped: f[11]! };
  }
  return out;
}

/** The counters of the namespace `pid` lives in; undefined when it has no interface but loopback or is gone. */
export async function readNetworkCounters(pid: number): Promise<Record<string, NetworkCounters> | undefined> {
  if (!(pid > 0)) return undefined;
  let text: string;
  try {
    text = await fsp.readFile(`/proc/${pid}/net/dev`, 'utf8');
  } catch {
    return undefined; // exited between the state check and the read
  }
  const counters = parseNetDev(text);
  return Object.keys(counters).length > 0 ? counters : undefined;
}
