/**
 * Block I/O counters for `docker stats` (BLOCK I/O) and the stats API's blkio_stats: v1's
 * blkio.throttle.io_service_bytes_recursive / io_serviced_recursive ("8:0 Read 4096" lines, which
 * count I/O whatever the scheduler), v2's io.stat ("8:0 rbytes=… wbytes=… rios=… wios=…").
 */
import path from 'node:path';
import type { BlkioEntry, ContainerStats } from '../../containers/types.js';
import { readText } from './files.js';

type Blkio = NonNullable<ContainerStats['blkio']>;

function device(spec: string): { major: number; minor: number } | null {
  const m = /^(\d+):(\d+)$/.exec(spec);
  return m ? { major: Number(m[1]), minor: Number(m[2]) } : null;
}

/** v1 recursive blkio file → entries; the per-cgroup "Total" lines are left out, as Docker does. */
export function parseBlkioV1(text: string | undefined): BlkioEntry[] {
  const out: BlkioEntry[] = [];
  for (const line of (text ?? '').split('\n')) {
    const [dev, op, value] = line.trim().split(/\s+/);
    const d = dev ? device(dev) : null;
    if (!d || !op || value === undefined || !/^\d+$/.test(value)) continue;
    out.push({ ...d, op, value: Number(value) });
  }
  return out;
}

/** v2 io.stat → Docker's v2 shape: lowercase "read"/"write" entries per device. */
export function parseIoStatV2(text: string | undefined): Blkio {
  const serviceBytes: BlkioEntry[] = [];
  const serviced: BlkioEntry[] = [];
  for (const line of (text ?? '').split('\n')) {
    const [dev, ...fields] = line.trim().split(/\s+/);
    const d = dev ? device(dev) : null;
    if (!d) continue;
    const kv = Object.fromEntries(fields.map((f) => f.split('=')).filter((p) => p.length === 2 && /^\d+$/.test(p[1]!)).map(([k, v]) => [k, Number(v)]));
    serviceBytes.push({ ...d, op: 'read', value: kv.rbytes ?? 0 }, { ...d, op: 'write', value: kv.wbytes ?? 0 });
    serviced.push({ ...d, op: 'read', value: kv.rios ?? 0 }, { ...d, op: 'write', value: kv.wios ?? 0 });
  }
  return { serviceBytes, serviced };
}

export async function readBlkioV1(blkioDir: string | undefined): Promise<Blkio> {
  if (!blkioDir) return { serviceBytes: [], serviced: [] };
  const [bytes, ios] = await Promise.all([readText(blkioDir, 'blkio.throttle.io_service_bytes_recursive'), readText(blkioDir, 'blkio.throttle.io_serviced_recursive')]);
  return { serviceBytes: parseBlkioV1(bytes), serviced: parseBlkioV1(ios) };
}

export async function readBlkioV2(dir: string): Promise<Blkio> {
  return parseIoStatV2(await readText(dir, 'io.stat'));
}

export function v1BlkioDir(mounts: Record<string, string>, cgroupsPath: string): string | undefined {
  return mounts.blkio ? path.join(mounts.blkio, cgroupsPath) : undefined;
}
