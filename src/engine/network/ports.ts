/**
 * Turning a container's port bindings into concrete host ports at start: fixed ports are checked
 * free (against this daemon's other containers, whose DNAT rules hold no socket, and by binding
 * them once), ranges and "any port" get the first free one.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import { conflict } from '../../base/errors.js';
import { parsePortKey, parsePortRange, type PortBindingsJson } from '../../api/docker/network-ports.js';
import { portmapPublishedPorts } from './host.js';
import type { ContainerNetConfig, ContainerRunState } from './store.js';
import type { PortMapping } from './types.js';

export function canBind(protocol: 'tcp' | 'udp', hostIp: string, port: number): Promise<boolean> {
  const host = hostIp || '0.0.0.0';
  return new Promise((resolve) => {
    if (protocol === 'udp') {
      const s = dgram.createSocket('udp4');
      s.once('error', () => resolve(false));
      s.bind({ address: host, port, exclusive: true }, () => s.close(() => resolve(true)));
      return;
    }
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen({ host, port, exclusive: true }, () => s.close(() => resolve(true)));
  });
}

/** A free port the kernel picks (bind to 0), so random ports come from the ephemeral range. */
function kernelPort(protocol: 'tcp' | 'udp', hostIp: string): Promise<number> {
  const host = hostIp || '0.0.0.0';
  return new Promise((resolve, reject) => {
    if (protocol === 'udp') {
      const s = dgram.createSocket('udp4');
      s.once('error', reject);
      s.bind({ address: host, port: 0 }, () => {
        const p = s.address().port;
        s.close(() => resolve(p));
      });
      return;
    }
    const s = net.createServer();
    s.once('error', reject);
    s.listen({ host, port: 0 }, () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
}

const clash = (a: PortMapping, hostIp: string, port: number, protocol: string) =>
  a.hostPort === port && a.protocol === protocol && (a.hostIp === '' || hostIp === '' || a.hostIp === hostIp);

export async function resolvePorts(bindings: PortBindingsJson, used: PortMapping[]): Promise<PortMapping[]> {
  const out: PortMapping[] = [];
  const taken = (ip: string, port: number, proto: string) => [...used, ...out].some((a) => clash(a, ip, port, proto));
  for (const [key, list] of Object.entries(bindings)) {
    const { port: containerPort, protocol } = parsePortKey(key);
    for (const b of list) {
      const hostIp = b.HostIp ?? '';
      const spec = b.HostPort ?? '';
      let hostPort = 0;
      if (spec === '' || spec === '0') {
        for (let tries = 0; tries < 20 && hostPort === 0; tries++) {
          const p = await kernelPort(protocol, hostIp);
          if (!taken(hostIp, p, protocol)) hostPort = p;
        }
      } else {
        const r = parsePortRange(spec, 'host port');
        for (let p = r.start; p <= r.end && hostPort === 0; p++) if (!taken(hostIp, p, protocol) && (await canBind(protocol, hostIp, p))) hostPort = p;
        if (hostPort === 0) {
          const what = r.start === r.end ? `${hostIp || '0.0.0.0'}:${r.start}` : `${hostIp || '0.0.0.0'}:${spec}`;
          throw conflict(`Bind for ${what} failed: port is already allocated`);
        }
      }
      out.push({ hostIp, hostPort, containerPort, protocol });
    }
  }
  return out;
}

/** This daemon's other containers' ports, and (when asking for any) those other portmap users publish. */
export async function portsInUse(states: ReadonlyMap<string, ContainerRunState>, except: string, cfg: ContainerNetConfig): Promise<PortMapping[]> {
  const mine = [...states.entries()].filter(([id]) => id !== except).flatMap(([, s]) => s.ports);
  if (Object.keys(cfg.bindings).length === 0) return mine;
  const others = (await portmapPublishedPorts()).map((p) => ({ hostIp: '', hostPort: p.port, containerPort: 0, protocol: p.protocol }));
  return [...mine, ...others];
}
