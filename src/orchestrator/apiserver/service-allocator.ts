/**
 * ClusterIP (from 10.96.0.0/12) and NodePort (30000-32767) allocation over storage: the allocated
 * set is whatever the stored Services hold, so it survives restarts with no extra bookkeeping; a
 * lock serialises allocations inside this process.
 */
import type { KV } from '../../storage/types.js';
import { BerthError } from '../../base/errors.js';
import { SerialQueue } from '../../base/serial-queue.js';

const SERVICE_PREFIX = '/registry/core/services/';
const CIDR_BASE = (10 << 24) | (96 << 16); // 10.96.0.0
const CIDR_SIZE = 1 << 20; // /12
export const KUBERNETES_SERVICE_IP = '10.96.0.1';

function ipToInt(ip: string): number {
  return ip.split('.').reduce((acc, p) => (acc << 8) + Number(p), 0) >>> 0;
}
function intToIp(n: number): string {
  return [24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.');
}

export function inServiceCidr(ip: string): boolean {
  const n = ipToInt(ip);
  return n >= CIDR_BASE >>> 0 && n < (CIDR_BASE >>> 0) + CIDR_SIZE;
}

export class ServiceAllocator {
  private readonly queue = new SerialQueue();
  /** Reserved in this process but maybe not stored yet (a create in flight). */
  private readonly pendingIps = new Set<string>();
  private readonly pendingPorts = new Set<number>();

  constructor(private readonly kv: KV) {}

  private serialize<T>(fn: () => Promise<T>): Promise<T> {
    return this.queue.run(fn);
  }

  private async used(): Promise<{ ips: Set<string>; ports: Set<number> }> {
    const ips = new Set<string>(this.pendingIps);
    const ports = new Set<number>(this.pendingPorts);
    const res = await this.kv.list(SERVICE_PREFIX);
    for (const kv of res.items) {
      const svc = JSON.parse(kv.value.toString('utf8')) as { spec?: { clusterIP?: string; clusterIPs?: string[]; ports?: Array<{ nodePort?: number }> } };
      for (const ip of [svc.spec?.clusterIP, ...(svc.spec?.clusterIPs ?? [])]) if (ip) ips.add(ip);
      for (const p of svc.spec?.ports ?? []) if (p.nodePort) ports.add(p.nodePort);
    }
    return { ips, ports };
  }

  /** Picks a free cluster IP, or checks a requested one; the reservation lasts until release(). */
  allocateIp(requested?: string): Promise<string> {
    return this.serialize(async () => {
      const { ips } = await this.used();
      if (requested) {
        if (!inServiceCidr(requested)) throw allocationError('spec.clusterIPs', requested, 'failed to allocate IP ' + requested + ': provided IP is not in the valid range. The range of valid IPs is 10.96.0.0/12');
        if (ips.has(requested)) throw allocationError('spec.clusterIPs', requested, `failed to allocate IP ${requested}: provided IP is already allocated`);
        this.pendingIps.add(requested);
        return requested;
      }
      // Start at a random offset like kube, skipping the network address and .1 (the kubernetes service).
      const start = 2 + Math.floor(Math.random() * (CIDR_SIZE - 3));
      for (let i = 0; i < CIDR_SIZE - 3; i++) {
        const ip = intToIp((CIDR_BASE >>> 0) + 2 + ((start - 2 + i) % (CIDR_SIZE - 3)));
        if (!ips.has(ip)) {
          this.pendingIps.add(ip);
          return ip;
        }
      }
      throw new BerthError('ResourceExhausted', 'Internal error occurred: failed to allocate a serviceIP: range is full');
    });
  }

  allocateNodePort(requested?: number): Promise<number> {
    return this.serialize(async () => {
      const { ports } = await this.used();
      if (requested) {
        if (ports.has(requested)) throw allocationError('spec.ports[0].nodePort', requested, `provided port is already allocated`);
        this.pendingPorts.add(requested);
        return requested;
      }
      const start = Math.floor(Math.random() * 2768);
      for (let i = 0; i < 2768; i++) {
        const p = 30000 + ((start + i) % 2768);
        if (!ports.has(p)) {
          this.pendingPorts.add(p);
          return p;
        }
      }
      throw new BerthError('ResourceExhausted', 'Internal error occurred: failed to allocate a nodePort: range is full');
    });
  }

  /** Ends in-process reservations once the service is stored (or its create failed). */
  release(ips: string[], ports: number[]): void {
    for (const ip of ips) this.pendingIps.delete(ip);
    for (const p of ports) this.pendingPorts.delete(p);
  }
}

function allocationError(field: string, value: unknown, message: string): BerthError {
  const status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'Invalid', code: 422, message: `Service is invalid: ${field}: Invalid value: ${JSON.stringify(value)}: ${message}`, details: { kind: 'Service', causes: [{ reason: 'FieldValueInvalid', message: `Invalid value: ${JSON.stringify(value)}: ${message}`, field }] } };
  return new BerthError('InvalidArgument', status.message, { details: { status } });
}
