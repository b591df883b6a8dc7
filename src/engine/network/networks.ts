/**
 * The set of networks: the default network "bridge", create / remove / prune, and the daemon's
 * firewall and masquerade rules, which follow the set. Changes to the set run one at a time.
 */
import fs from 'node:fs';
import path from 'node:path';
import { alreadyExists, failedPrecondition, invalidArgument } from '../../base/errors.js';
import { ensureBridge, removeBridge } from './bridge.js';
import { findByName, findNetwork, findPseudo } from './find-network.js';
import { applyIsolation, removeIsolation } from './firewall.js';
import { formatSubnet, parseSubnet } from './ipv4.js';
import { applyMasquerade, masqueradeChain, removeMasquerade } from './masquerade.js';
import { newRecord } from './network-record.js';
import { SerialQueue } from '../../base/serial-queue.js';
import type { NetworkState } from './state.js';
import type { NetworkRecord } from './store.js';
import type { CreateNetworkOptions, NetworkInfo } from './types.js';
import { networkInfo, usersOf } from './views.js';

/** Network names, and network-scoped aliases. */
export const NAME_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;
const PREDEFINED = new Set(['bridge', 'host', 'none']);

export interface NetworksOptions {
  defaultBridge: string; // the default network's Linux bridge
  defaultSubnet?: string; // fixed subnet for it; else the first free one of the pool
  log: (m: string) => void;
}

export class Networks {
  private readonly queue = new SerialQueue();
  private readonly chain: string;

  constructor(private readonly state: NetworkState, private readonly o: NetworksOptions) {
    this.chain = `BERTH-${o.defaultBridge}`;
  }

  /** At open: the default network "bridge", every network's bridge and the firewall rules. */
  async start(): Promise<void> {
    await this.ensureDefault();
    for (const n of this.state.networks.values()) await ensureBridge(n).catch((err: unknown) => this.o.log(`network ${n.name}: bridge ${n.bridge}: ${String(err)}`));
    await this.applyFirewall();
  }

  private async applyFirewall(): Promise<void> {
    const bridges = [...this.state.networks.values()].map((n) => ({ name: n.bridge, internal: n.internal }));
    await applyIsolation(this.chain, bridges).catch((err: unknown) => this.o.log(`network isolation rules: ${String(err)}`));
    const nets = [...this.state.networks.values()].map((n) => ({ bridge: n.bridge, subnet: n.subnet, internal: n.internal }));
    await applyMasquerade(masqueradeChain(this.chain), nets).catch((err: unknown) => this.o.log(`network masquerade rules: ${String(err)}`));
  }

  private async ensureDefault(): Promise<void> {
    const existing = [...this.state.networks.values()].find((n) => n.isDefault);
    const wanted = this.o.defaultSubnet ? formatSubnet(parseSubnet(this.o.defaultSubnet, '--bridge-subnet')) : undefined;
    if (existing && existing.bridge === this.o.defaultBridge && (!wanted || existing.subnet === wanted)) return;
    if (existing) {
      if (Object.keys(usersOf(this.state, existing.id)).length) {
        this.o.log(`default network keeps ${existing.bridge} ${existing.subnet}: containers use it`);
        return;
      }
      await removeBridge(existing.bridge).catch(() => undefined);
      this.state.networks.delete(existing.id);
    }
    const rec = await newRecord(this.state.networks, { name: 'bridge', ...(wanted ? { subnet: wanted } : {}) }, this.o.defaultBridge, true);
    this.state.networks.set(rec.id, rec);
    this.state.saveNetworks();
  }

  create(opts: CreateNetworkOptions): Promise<NetworkInfo> {
    if (!opts || typeof opts.name !== 'string' || opts.name === '') return Promise.reject(invalidArgument('a network name is required'));
    if (!NAME_PATTERN.test(opts.name)) return Promise.reject(invalidArgument(`invalid network name "${opts.name}": only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`));
    if (PREDEFINED.has(opts.name)) return Promise.reject(failedPrecondition(`${opts.name} is a pre-defined network and cannot be created`));
    const driver = opts.driver || 'bridge';
    if (driver !== 'bridge') return Promise.reject(invalidArgument(`network driver "${driver}" is not supported: berth offers bridge networks only`));
    if (opts.gateway && !opts.subnet) return Promise.reject(invalidArgument('a gateway needs a subnet: give --subnet too'));
    return this.queue.run(async () => {
      if (findByName(this.state.networks, opts.name)) throw alreadyExists(`network with name ${opts.name} already exists`);
      const rec = await newRecord(this.state.networks, opts, null, false);
      this.state.networks.set(rec.id, rec);
      try {
        this.state.saveNetworks();
      } catch (err) {
        this.state.networks.delete(rec.id);
        await removeBridge(rec.bridge).catch(() => undefined);
        throw err;
      }
      await this.applyFirewall();
      return networkInfo(this.state, rec);
    });
  }

  remove(ref: string): Promise<void> {
    const pseudo = findPseudo(this.state.networks, this.state.dataDir, ref);
    if (pseudo) return Promise.reject(failedPrecondition(`${pseudo} is a pre-defined network and cannot be removed`));
    return this.queue.run(async () => {
      const n = findNetwork(this.state.networks, ref);
      if (n.isDefault) throw failedPrecondition(`${n.name} is a pre-defined network and cannot be removed`);
      const users = Object.values(usersOf(this.state, n.id));
      if (users.length) throw failedPrecondition(`error while removing network: network ${n.name} id ${n.id} has active endpoints (${users.map((u) => u.containerName).join(', ')})`);
      await this.dropNetwork(n);
    });
  }

  private async dropNetwork(n: NetworkRecord): Promise<void> {
    this.state.networks.delete(n.id);
    this.state.saveNetworks();
    await removeBridge(n.bridge).catch((err: unknown) => this.o.log(`network ${n.name}: removing bridge ${n.bridge}: ${String(err)}`));
    fs.rmSync(path.join(this.state.ipamDir, `berth-${n.id.slice(0, 12)}`), { recursive: true, force: true });
    await this.applyFirewall();
  }

  prune(filter: (n: NetworkInfo) => boolean = () => true): Promise<string[]> {
    return this.queue.run(async () => {
      const removed: string[] = [];
      for (const n of [...this.state.networks.values()]) {
        if (n.isDefault || Object.keys(usersOf(this.state, n.id)).length || !filter(networkInfo(this.state, n))) continue;
        await this.dropNetwork(n);
        removed.push(n.name);
      }
      return removed;
    });
  }

  /** At daemon shutdown: bridges no running container uses go (they come back at the next start). */
  async close(): Promise<void> {
    const inUse = new Set([...this.state.states.values()].flatMap((s) => s.attachments.map((a) => a.networkId)));
    for (const n of this.state.networks.values()) if (!inUse.has(n.id)) await removeBridge(n.bridge).catch(() => undefined);
    if (inUse.size === 0) {
      await removeIsolation(this.chain).catch(() => undefined);
      await removeMasquerade(masqueradeChain(this.chain)).catch(() => undefined);
    }
  }
}
