/**
 * What networking keeps on disk. Under the data dir (kept across reboots): the networks
 * (networks.json) and each container's network configuration (containers/<id>.json). Under the
 * run dir (a reboot clears it, like the namespaces it describes): each running container's
 * attachments with their cached CNI ADD results (attachments/<id>.json), which CNI DEL needs
 * after a daemon restart, and host-local's leases (ipam/).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { PortBindingsJson } from '../../api/docker/network-ports.js';
import type { CniResult, EndpointAddress } from './cni/result.js';
import type { PortMapping } from './types.js';

export interface NetworkRecord {
  id: string;
  name: string;
  created: string;
  subnet: string;
  gateway: string;
  bridge: string;
  internal: boolean;
  labels: Record<string, string>;
  isDefault: boolean;
}

export type NetMode = 'own' | 'none' | 'host' | 'joined';

export interface ContainerNetConfig {
  id: string;
  name: string;
  hostname: string;
  mode: NetMode;
  joined?: string; // container id whose namespace is joined
  /** Network id → endpoint settings, in connect order (the first one gets the published ports). */
  networks: Array<{ networkId: string; aliases: string[]; ipv4Address?: string }>;
  bindings: PortBindingsJson;
  exposed: string[];
  /** --dns: on a user-defined network, the upstreams of the container's embedded DNS. */
  dns?: string[];
}

/** pluginMasq: false when the bridge plugin ran without ipMasq (absent: an older attachment, made with it). */
export interface Attachment { networkId: string; ifName: string; endpointId: string; result: CniResult; address: EndpointAddress; pluginMasq?: boolean }

export interface ContainerRunState { netns: string; attachments: Attachment[]; ports: PortMapping[] }

/** durable: false skips the fsync (still atomic, and kill -9 safe: only a power cut may lose it). */
export function writeJsonAtomic(file: string, value: unknown, durable = true): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.tmp`;
  const fd = fs.openSync(tmp, 'w', 0o600);
  try {
    fs.writeSync(fd, JSON.stringify(value, null, 1));
    if (durable) fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
}

export function readJson<T>(file: string): T | null {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

export function readJsonDir<T>(dir: string, log: (m: string) => void): Map<string, T> {
  const out = new Map<string, T>();
  let names: string[] = [];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return out;
  }
  for (const n of names) {
    if (!n.endsWith('.json')) continue;
    try {
      const v = readJson<T>(path.join(dir, n));
      if (v) out.set(n.slice(0, -5), v);
    } catch (err) {
      log(`skipping unreadable ${path.join(dir, n)}: ${String(err)}`);
    }
  }
  return out;
}
