/**
 * Networks and container endpoints. Implements the container manager's networking hook
 * (prepare / setUp / tearDown / release / recover) and the network objects of the Docker API.
 * Operations on one container run one at a time (a queue per container id); changes to the set
 * of networks run one at a time too.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { alreadyExists, asBerthError, conflict, failedPrecondition, invalidArgument, notFound } from '../../base/errors.js';
import type { ContainerNetworking, NetworkAttached, NetworkedContainer } from '../containers/index.js';
import { addNetworkList, delNetworkList } from './cni/conflist.js';
import { endpointAddress } from './cni/result.js';
import { bridgeConfList, bridgeIsUp, ensureBridge, loopbackConf, removeBridge } from './bridge.js';
import { applyIsolation, removeIsolation } from './firewall.js';
import { applyMasquerade, masqueradeChain, removeMasquerade } from './masquerade.js';
import { hostRoutes, portmapPublishedPorts } from './host.js';
import { contains, formatIp, formatSubnet, overlaps, parseIp, parseSubnet, type Subnet } from './ipv4.js';
import { createNetns, removeNetns } from './netns.js';
import { isPseudo, PSEUDO_NETWORKS, pseudoId, type PseudoName } from './predefined.js';
import { resolvePorts } from './ports.js';
import { readJson, readJsonDir, writeJsonAtomic, type Attachment, type ContainerNetConfig, type ContainerRunState, type NetworkRecord } from './store.js';
import { allocateSubnet } from './subnets.js';
import type { ContainerNetworkSettings, CreateNetworkOptions, EndpointInfo, NetworkInfo, NetworkService, PortMapping } from './types.js';

export interface DnsHook {
  /** upstreams: the container's --dns servers, which its embedded DNS forwards to; [] = the daemon's. */
  attach(containerId: string, netnsPath: string, names: { lookup(name: string): string[] }, upstreams: string[]): Promise<void>;
  detach(containerId: string): void;
  close(): void;
}

export interface NetworkManagerOptions {
  dataDir: string; // <data-dir>/networks
  runDir: string; // <run-dir>/networks
  defaultBridge: string; // the default network's Linux bridge
  defaultSubnet?: string; // fixed subnet for it; else the first free one of the pool
  pluginDirs: string[];
  dns?: DnsHook;
  log: (m: string) => void;
}

const NAME_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;
const PREDEFINED = new Set(['bridge', 'host', 'none']);

export class NetworkManager implements NetworkService, ContainerNetworking {
  private networks = new Map<string, NetworkRecord>();
  private readonly configs: Map<string, ContainerNetConfig>;
  private readonly states: Map<string, ContainerRunState>;
  private readonly queues = new Map<string, Promise<unknown>>();
  private netQueue: Promise<unknown> = Promise.resolve();
  private portLock: Promise<unknown> = Promise.resolve();
  private readonly chain: string;

  private constructor(private readonly o: NetworkManagerOptions) {
    this.chain = `BERTH-${o.defaultBridge}`;
    const nets = readJson<{ networks: NetworkRecord[] }>(this.networksFile)?.networks ?? [];
    for (const n of nets) this.networks.set(n.id, n);
    this.configs = readJsonDir<ContainerNetConfig>(path.join(o.dataDir, 'containers'), o.log);
    this.states = readJsonDir<ContainerRunState>(path.join(o.runDir, 'attachments'), o.log);
  }

  /** Opens the store and makes sure the default network "bridge" and every network's bridge exist. */
  static async open(o: NetworkManagerOptions): Promise<NetworkManager> {
    if (!/^[a-zA-Z0-9_.-]{1,15}$/.test(o.defaultBridge)) throw invalidArgument(`invalid bridge name "${o.defaultBridge}": 1-15 characters of [a-zA-Z0-9_.-]`);
    const m = new NetworkManager(o);
    await m.ensureDefault();
    for (const n of m.networks.values()) await ensureBridge(n).catch((err: unknown) => o.log(`network ${n.name}: bridge ${n.bridge}: ${String(err)}`));
    await m.applyFirewall();
    return m;
  }

  private get networksFile(): string {
    return path.join(this.o.dataDir, 'networks.json');
  }

  private saveNetworks(): void {
    writeJsonAtomic(this.networksFile, { networks: [...this.networks.values()] });
  }

  private configFile(id: string): string {
    return path.join(this.o.dataDir, 'containers', `${id}.json`);
  }

  private stateFile(id: string): string {
    return path.join(this.o.runDir, 'attachments', `${id}.json`);
  }

  private netnsPath(id: string): string {
    return path.join(this.o.runDir, 'netns', id);
  }

  private saveConfig(c: ContainerNetConfig): void {
    this.configs.set(c.id, c);
    // none/host need nothing of this file after a power cut (the container record has the mode).
    writeJsonAtomic(this.configFile(c.id), c, c.mode !== 'none' && c.mode !== 'host');
  }

  /** Run-dir state: a power cut is a reboot, which takes the namespaces it describes with it. */
  private saveState(id: string, s: ContainerRunState): void {
    this.states.set(id, s);
    writeJsonAtomic(this.stateFile(id), s, false);
  }

  private dropState(id: string): void {
    this.states.delete(id);
    fs.rmSync(this.stateFile(id), { force: true });
  }

  private serial<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.queues.get(key) ?? Promise.resolve();
    const p = prev.then(fn, fn);
    const tail = p.catch(() => undefined);
    this.queues.set(key, tail);
    void tail.then(() => {
      if (this.queues.get(key) === tail) this.queues.delete(key);
    });
    return p;
  }

  private serialNets<T>(fn: () => Promise<T>): Promise<T> {
    const p = this.netQueue.then(fn, fn);
    this.netQueue = p.catch(() => undefined);
    return p;
  }

  private async applyFirewall(): Promise<void> {
    const bridges = [...this.networks.values()].map((n) => ({ name: n.bridge, internal: n.internal }));
    await applyIsolation(this.chain, bridges).catch((err: unknown) => this.o.log(`network isolation rules: ${String(err)}`));
    const nets = [...this.networks.values()].map((n) => ({ bridge: n.bridge, subnet: n.subnet, internal: n.internal }));
    await applyMasquerade(masqueradeChain(this.chain), nets).catch((err: unknown) => this.o.log(`network masquerade rules: ${String(err)}`));
  }

  // ---- networks ------------------------------------------------------------------------------

  private defaultNetwork(): NetworkRecord {
    for (const n of this.networks.values()) if (n.isDefault) return n;
    throw notFound('network "bridge" not found');
  }

  private async ensureDefault(): Promise<void> {
    const existing = [...this.networks.values()].find((n) => n.isDefault);
    const wanted = this.o.defaultSubnet ? formatSubnet(parseSubnet(this.o.defaultSubnet, '--bridge-subnet')) : undefined;
    if (existing && existing.bridge === this.o.defaultBridge && (!wanted || existing.subnet === wanted)) return;
    if (existing) {
      if (Object.keys(this.usersOf(existing.id)).length) {
        this.o.log(`default network keeps ${existing.bridge} ${existing.subnet}: containers use it`);
        return;
      }
      await removeBridge(existing.bridge).catch(() => undefined);
      this.networks.delete(existing.id);
    }
    const rec = await this.newRecord({ name: 'bridge', ...(wanted ? { subnet: wanted } : {}) }, this.o.defaultBridge, true);
    this.networks.set(rec.id, rec);
    this.saveNetworks();
  }

  /**
   * Chooses (or checks) the subnet and gateway and creates the bridge; not yet stored. Another
   * daemon on the host may pick the same free subnet at the same moment (each sees the other's
   * bridge only once it exists): after creating the bridge, a chosen subnet that now overlaps a
   * foreign interface is given up and the next one tried, after a random pause that lets one of
   * the two win.
   */
  private async newRecord(opts: CreateNetworkOptions, bridge: string | null, isDefault: boolean): Promise<NetworkRecord> {
    const givenUp: Subnet[] = [];
    for (let attempt = 1; ; attempt++) {
      const rec = await this.buildRecord(opts, bridge, isDefault, givenUp);
      if (opts.subnet) return rec;
      const subnet = parseSubnet(rec.subnet);
      const own = new Set([...this.networks.values()].map((n) => n.bridge));
      const clash = (await hostRoutes()).find((r) => r.dev !== rec.bridge && !own.has(r.dev) && overlaps(r.subnet, subnet));
      if (!clash) return rec;
      await removeBridge(rec.bridge).catch(() => undefined);
      if (attempt === 5) throw conflict(`subnet ${rec.subnet} was taken by host interface ${clash.dev} while network ${opts.name} was being created, five times in a row: try again or give --subnet`);
      givenUp.push(subnet);
      await new Promise((r) => setTimeout(r, 10 + Math.floor(Math.random() * 90)));
    }
  }

  private async buildRecord(opts: CreateNetworkOptions, bridge: string | null, isDefault: boolean, givenUp: Subnet[]): Promise<NetworkRecord> {
    const id = crypto.randomBytes(32).toString('hex');
    const own = new Set([...this.networks.values()].map((n) => n.bridge));
    const foreign = (await hostRoutes()).filter((r) => !own.has(r.dev) && r.dev !== (bridge ?? ''));
    const mine = [...this.networks.values()].map((n) => ({ n, s: parseSubnet(n.subnet) }));
    let subnet: Subnet;
    if (opts.subnet) {
      subnet = parseSubnet(opts.subnet);
      if (subnet.prefix > 30) throw invalidArgument(`subnet ${opts.subnet} is too small for a network: use a prefix of /30 or shorter`);
      const clash = mine.find((x) => overlaps(x.s, subnet));
      if (clash) throw conflict(`invalid pool request: subnet ${opts.subnet} overlaps network "${clash.n.name}" (${clash.n.subnet})`);
      const route = foreign.find((r) => overlaps(r.subnet, subnet));
      if (route) throw conflict(`invalid pool request: subnet ${opts.subnet} overlaps ${formatSubnet(route.subnet)} on host interface ${route.dev}`);
    } else {
      subnet = allocateSubnet([...mine.map((x) => x.s), ...foreign.map((r) => r.subnet), ...givenUp]);
    }
    let gateway = subnet.base + 1;
    if (opts.gateway) {
      const g = parseIp(opts.gateway);
      if (g === null) throw invalidArgument(`invalid gateway "${opts.gateway}": expected an IPv4 address`);
      if (!contains(subnet, g) || g === subnet.base) throw invalidArgument(`gateway ${opts.gateway} is not a host address of subnet ${formatSubnet(subnet)}`);
      gateway = g;
    } else if (opts.gateway === undefined && !opts.subnet) gateway = subnet.base + 1;
    const rec: NetworkRecord = {
      id, name: opts.name, created: new Date().toISOString(), subnet: formatSubnet(subnet), gateway: formatIp(gateway),
      bridge: bridge ?? `br-${id.slice(0, 12)}`, internal: !!opts.internal, labels: { ...(opts.labels ?? {}) }, isDefault,
    };
    await ensureBridge(rec);
    return rec;
  }

  create(opts: CreateNetworkOptions): Promise<NetworkInfo> {
    if (!opts || typeof opts.name !== 'string' || opts.name === '') return Promise.reject(invalidArgument('a network name is required'));
    if (!NAME_PATTERN.test(opts.name)) return Promise.reject(invalidArgument(`invalid network name "${opts.name}": only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`));
    if (PREDEFINED.has(opts.name)) return Promise.reject(failedPrecondition(`${opts.name} is a pre-defined network and cannot be created`));
    const driver = opts.driver || 'bridge';
    if (driver !== 'bridge') return Promise.reject(invalidArgument(`network driver "${driver}" is not supported: berth offers bridge networks only`));
    if (opts.gateway && !opts.subnet) return Promise.reject(invalidArgument('a gateway needs a subnet: give --subnet too'));
    return this.serialNets(async () => {
      if (this.findByName(opts.name)) throw alreadyExists(`network with name ${opts.name} already exists`);
      const rec = await this.newRecord(opts, null, false);
      this.networks.set(rec.id, rec);
      try {
        this.saveNetworks();
      } catch (err) {
        this.networks.delete(rec.id);
        await removeBridge(rec.bridge).catch(() => undefined);
        throw err;
      }
      await this.applyFirewall();
      return this.info(rec);
    });
  }

  private findByName(name: string): NetworkRecord | undefined {
    for (const n of this.networks.values()) if (n.name === name) return n;
    return undefined;
  }

  private find(ref: string): NetworkRecord {
    if (typeof ref !== 'string' || ref === '') throw invalidArgument('empty network reference');
    const byName = this.findByName(ref);
    if (byName) return byName;
    const byId = this.networks.get(ref);
    if (byId) return byId;
    if (/^[0-9a-f]+$/.test(ref)) {
      const hits = [...this.networks.values()].filter((n) => n.id.startsWith(ref));
      if (hits.length === 1) return hits[0]!;
      if (hits.length > 1) throw invalidArgument(`network reference "${ref}" is ambiguous: ${hits.length} networks match`);
    }
    throw notFound(`network ${ref} not found`);
  }

  private usersOf(networkId: string): Record<string, EndpointInfo> {
    const out: Record<string, EndpointInfo> = {};
    for (const c of this.configs.values()) {
      const e = c.networks.find((x) => x.networkId === networkId);
      if (e) out[c.id] = this.endpoint(c, e);
    }
    return out;
  }

  private endpoint(c: ContainerNetConfig, e: ContainerNetConfig['networks'][number]): EndpointInfo {
    const a = this.states.get(c.id)?.attachments.find((x) => x.networkId === e.networkId);
    return {
      containerId: c.id, containerName: c.name, endpointId: a?.endpointId ?? '', ip: a?.address.ip ?? '', prefixLen: a?.address.prefixLen ?? 0,
      gateway: a?.address.gateway ?? '', mac: a?.address.mac ?? '', aliases: [...e.aliases], ...(e.ipv4Address ? { ipv4Address: e.ipv4Address } : {}),
    };
  }

  private info(n: NetworkRecord): NetworkInfo {
    return { id: n.id, name: n.name, driver: 'bridge', created: n.created, subnet: n.subnet, gateway: n.gateway, bridge: n.bridge, internal: n.internal, labels: { ...n.labels }, isDefault: n.isDefault, containers: this.usersOf(n.id) };
  }

  list(): NetworkInfo[] {
    const pseudo = (Object.keys(PSEUDO_NETWORKS) as PseudoName[]).map((name) => this.pseudoInfo(name));
    return [...[...this.networks.values()].map((n) => this.info(n)), ...pseudo].sort((a, b) => a.name.localeCompare(b.name));
  }

  inspect(ref: string): NetworkInfo {
    const pseudo = this.findPseudo(ref);
    return pseudo ? this.pseudoInfo(pseudo) : this.info(this.find(ref));
  }

  /** "host" or "none" by name, id or unambiguous id prefix (user networks cannot take those names). */
  private findPseudo(ref: string): PseudoName | undefined {
    if (typeof ref !== 'string' || ref === '') return undefined;
    if (isPseudo(ref)) return ref;
    if (!/^[0-9a-f]+$/.test(ref)) return undefined;
    const hits = (Object.keys(PSEUDO_NETWORKS) as PseudoName[]).filter((name) => pseudoId(this.o.dataDir, name).startsWith(ref));
    const users = [...this.networks.values()].filter((n) => n.id.startsWith(ref));
    return hits.length === 1 && users.length === 0 ? hits[0] : undefined;
  }

  private pseudoInfo(name: PseudoName): NetworkInfo {
    const id = pseudoId(this.o.dataDir, name);
    const containers: Record<string, EndpointInfo> = {};
    for (const c of this.configs.values()) {
      if (c.mode === name) containers[c.id] = { containerId: c.id, containerName: c.name, endpointId: '', ip: '', prefixLen: 0, gateway: '', mac: '', aliases: [] };
    }
    const created = this.defaultNetwork().created;
    return { id, name, driver: PSEUDO_NETWORKS[name].driver, created, subnet: '', gateway: '', bridge: '', internal: false, labels: {}, isDefault: false, containers };
  }

  remove(ref: string): Promise<void> {
    const pseudo = this.findPseudo(ref);
    if (pseudo) return Promise.reject(failedPrecondition(`${pseudo} is a pre-defined network and cannot be removed`));
    return this.serialNets(async () => {
      const n = this.find(ref);
      if (n.isDefault) throw failedPrecondition(`${n.name} is a pre-defined network and cannot be removed`);
      const users = Object.values(this.usersOf(n.id));
      if (users.length) throw failedPrecondition(`error while removing network: network ${n.name} id ${n.id} has active endpoints (${users.map((u) => u.containerName).join(', ')})`);
      await this.dropNetwork(n);
    });
  }

  private async dropNetwork(n: NetworkRecord): Promise<void> {
    this.networks.delete(n.id);
    this.saveNetworks();
    await removeBridge(n.bridge).catch((err: unknown) => this.o.log(`network ${n.name}: removing bridge ${n.bridge}: ${String(err)}`));
    fs.rmSync(path.join(this.o.runDir, 'ipam', `berth-${n.id.slice(0, 12)}`), { recursive: true, force: true });
    await this.applyFirewall();
  }

  prune(filter: (n: NetworkInfo) => boolean = () => true): Promise<string[]> {
    return this.serialNets(async () => {
      const removed: string[] = [];
      for (const n of [...this.networks.values()]) {
        if (n.isDefault || Object.keys(this.usersOf(n.id)).length || !filter(this.info(n))) continue;
        await this.dropNetwork(n);
        removed.push(n.name);
      }
      return removed;
    });
  }

  async connect(ref: string, container: { id: string; name: string; running: boolean }, opts: { aliases?: string[]; ipv4Address?: string } = {}): Promise<void> {
    const pseudo = this.findPseudo(ref);
    if (pseudo) throw failedPrecondition(`container ${container.name} cannot be connected to network ${pseudo}: the ${pseudo} network mode is chosen at create (--network ${pseudo})`);
    const n = this.find(ref);
    await this.serial(container.id, async () => {
      const c = this.configs.get(container.id);
      if (!c) throw notFound(`container ${container.name} not found`);
      if (c.mode !== 'own') throw failedPrecondition(`container ${container.name} uses network mode "${c.mode === 'joined' ? 'container' : c.mode}": it cannot be connected to networks`);
      if (c.networks.some((x) => x.networkId === n.id)) throw alreadyExists(`endpoint with name ${container.name} already exists in network ${n.name}`);
      const entry = this.endpointEntry(n, opts.aliases, opts.ipv4Address);
      c.networks.push(entry);
      this.saveConfig(c);
      // The namespace exists from the runtime create on (right after container create), so a
      // created container is wired now too, not only a running one.
      const st = this.states.get(c.id);
      if (st) {
        try {
          await this.attach(c, st, entry, false);
          await this.attachDns(c);
        } catch (err) {
          c.networks = c.networks.filter((x) => x !== entry);
          this.saveConfig(c);
          throw err;
        }
      }
    });
  }

  async disconnect(ref: string, containerId: string, force = false): Promise<void> {
    const pseudo = this.findPseudo(ref);
    if (pseudo) throw failedPrecondition(`a container cannot be disconnected from network ${pseudo}: the ${pseudo} network mode is fixed at create`);
    const n = this.find(ref);
    await this.serial(containerId, async () => {
      const c = this.configs.get(containerId);
      const i = c ? c.networks.findIndex((x) => x.networkId === n.id) : -1;
      if (!c || i < 0) {
        if (force) return;
        throw notFound(`container ${containerId.slice(0, 12)} is not connected to network ${n.name}`);
      }
      const st = this.states.get(containerId);
      const a = st?.attachments.find((x) => x.networkId === n.id);
      if (st && a) {
        await this.detachOne(c, st, a);
        this.saveState(containerId, st);
      }
      c.networks.splice(i, 1);
      this.saveConfig(c);
    });
  }

  containerSettings(containerId: string): ContainerNetworkSettings | null {
    const c = this.configs.get(containerId);
    if (!c) return null;
    const own = c.mode === 'joined' ? this.configs.get(c.joined ?? '') : c;
    const st = own ? this.states.get(own.id) : undefined;
    const networks: ContainerNetworkSettings['networks'] = {};
    if (c.mode === 'own') {
      for (const e of c.networks) {
        const n = this.networks.get(e.networkId);
        if (n) networks[n.name] = { ...this.endpoint(c, e), networkId: n.id };
      }
    } else if (c.mode === 'host' || c.mode === 'none') {
      networks[c.mode] = { containerId: c.id, containerName: c.name, endpointId: '', ip: '', prefixLen: 0, gateway: '', mac: '', aliases: [], networkId: pseudoId(this.o.dataDir, c.mode) };
    }
    return { sandboxKey: st ? st.netns : '', networks, ports: c.mode === 'own' ? st?.ports ?? [] : [], exposed: c.exposed };
  }

  /** A renamed container answers to its new name on its networks (and no longer to the old one). */
  renameContainer(containerId: string, name: string): Promise<void> {
    return this.serial(containerId, async () => {
      const c = this.configs.get(containerId);
      if (c && c.name !== name) this.saveConfig({ ...c, name });
    });
  }

  // ---- the container manager's hook ----------------------------------------------------------

  private endpointEntry(n: NetworkRecord, aliases: string[] = [], ipv4Address?: string): ContainerNetConfig['networks'][number] {
    if (aliases.length && n.isDefault) throw invalidArgument('network-scoped aliases are only supported for user-defined networks');
    for (const a of aliases) if (typeof a !== 'string' || !NAME_PATTERN.test(a)) throw invalidArgument(`invalid network alias "${String(a)}"`);
    if (ipv4Address !== undefined && ipv4Address !== '') {
      const ip = parseIp(ipv4Address);
      if (ip === null) throw invalidArgument(`invalid IPv4 address "${ipv4Address}"`);
      if (n.isDefault) throw invalidArgument('user specified IP address is supported on user defined networks only');
      if (!contains(parseSubnet(n.subnet), ip)) throw invalidArgument(`IP address ${ipv4Address} is not in network ${n.name}'s subnet ${n.subnet}`);
      return { networkId: n.id, aliases: [...aliases], ipv4Address };
    }
    return { networkId: n.id, aliases: [...aliases] };
  }

  async prepare(c: NetworkedContainer, resolve: (ref: string) => { id: string; name: string }): Promise<{ netnsPath?: string }> {
    const o = c.options;
    const mode = o.networkMode ?? '';
    const bindings = o.portBindings ?? {};
    const publishes = Object.keys(bindings).length > 0 || !!o.publishAllPorts;
    for (const server of o.dns ?? []) if (net.isIP(server) === 0) throw invalidArgument(`invalid DNS server "${server}": expected an IP address`);
    const cfg: ContainerNetConfig = { id: c.id, name: c.name, hostname: c.hostname, mode: 'own', networks: [], bindings: {}, exposed: [...c.exposedPorts], ...(o.dns?.length ? { dns: [...o.dns] } : {}) };
    const extra = { ...(o.networks ?? {}) };
    if (mode === 'none' || mode === 'host' || mode.startsWith('container:')) {
      if (publishes) throw invalidArgument(`conflicting options: port publishing and the container type network mode "${mode}"`);
      if (Object.keys(extra).length) throw invalidArgument(`conflicting options: network mode "${mode}" cannot be combined with other networks`);
      if (mode !== 'none' && mode !== 'host') {
        const target = resolve(mode.slice('container:'.length));
        const tc = this.configs.get(target.id);
        const joined = tc?.mode === 'joined' ? tc.joined! : target.id;
        if (tc && tc.mode !== 'own' && tc.mode !== 'joined') throw invalidArgument(`cannot join the network of container ${target.name}: it uses network mode "${tc.mode}"`);
        this.saveConfig({ ...cfg, mode: 'joined', joined });
        return { netnsPath: this.netnsPath(joined) };
      }
      this.saveConfig({ ...cfg, mode });
      return {};
    }
    const primaryName = mode === '' || mode === 'default' ? 'bridge' : mode;
    const primary = primaryName === 'bridge' ? this.defaultNetwork() : this.find(primaryName);
    // The docker CLI keys the default network's endpoint settings "default" (NetworkMode "default").
    const ownKeys = [primaryName, primary.id, ...(primary.isDefault ? ['default'] : [])];
    const first = ownKeys.map((k) => extra[k]).find((e) => e !== undefined);
    for (const key of ownKeys) delete extra[key];
    cfg.networks.push(this.endpointEntry(primary, first?.aliases, first?.ipv4Address));
    for (const [ref, e] of Object.entries(extra)) {
      const n = this.find(ref);
      if (!cfg.networks.some((x) => x.networkId === n.id)) cfg.networks.push(this.endpointEntry(n, e.aliases, e.ipv4Address));
    }
    cfg.bindings = structuredClone(bindings);
    if (o.publishAllPorts) for (const p of c.exposedPorts) cfg.bindings[p] ??= [{ HostIp: '', HostPort: '' }];
    for (const p of Object.keys(bindings)) if (!cfg.exposed.includes(p)) cfg.exposed.push(p);
    this.saveConfig(cfg);
    return { netnsPath: this.netnsPath(c.id) };
  }

  async setUp(c: NetworkedContainer): Promise<{ attached: Promise<NetworkAttached> }> {
    // Two phases: the namespace first (the runtime create needs it), then CNI ADD, ports and DNS
    // (~10-30 ms of plugin runs) beside the runtime create, in the same per-container slot.
    let namespaceReady!: () => void;
    const namespace = new Promise<void>((resolve) => (namespaceReady = resolve));
    const attached = this.serial(c.id, async (): Promise<NetworkAttached> => {
      try {
        return await this.setUpNow(c, namespaceReady);
      } finally {
        namespaceReady();
      }
    });
    await Promise.race([namespace, attached.then(() => undefined, () => undefined)]);
    return { attached };
  }

  private async setUpNow(c: NetworkedContainer, namespaceReady: () => void): Promise<NetworkAttached> {
    const cfg = this.configs.get(c.id);
    if (!cfg || cfg.mode === 'none' || cfg.mode === 'host') return { hosts: [] };
    if (cfg.mode === 'joined') {
      const target = this.states.get(cfg.joined ?? '');
      if (!target) throw failedPrecondition(`cannot join network of a non running container: ${this.configs.get(cfg.joined ?? '')?.name ?? cfg.joined}`);
      return { hosts: [] };
    }
    if (this.states.has(c.id)) await this.tearDownNow(c.id);
    const netns = this.netnsPath(c.id);
    const st: ContainerRunState = { netns, attachments: [], ports: [] };
    try {
      await createNetns(netns);
      this.saveState(c.id, st);
      namespaceReady();
      // lo and the network interfaces are independent: their plugin runs overlap.
      const loopback = addNetworkList(loopbackConf(), { containerId: c.id, netns, ifName: 'lo', pluginDirs: this.o.pluginDirs });
      const interfaces = (async () => {
        st.ports = await this.lockPorts(async () => resolvePorts(cfg.bindings, await this.portsInUse(c.id, cfg)).then((ports) => {
          st.ports = ports;
          this.saveState(c.id, st);
          return ports;
        }));
        for (const [i, e] of cfg.networks.entries()) await this.attach(cfg, st, e, i === 0);
      })();
      // Both settle before any teardown, so no plugin still runs against a namespace being removed.
      const failed = (await Promise.allSettled([loopback, interfaces])).find((r) => r.status === 'rejected');
      if (failed) throw failed.reason;
      await this.attachDns(cfg);
    } catch (err) {
      await this.tearDownNow(c.id);
      throw asBerthError(err);
    }
    const primary = st.attachments[0];
    return { hosts: primary ? [{ ip: primary.address.ip, names: [cfg.hostname] }] : [] };
  }

  private lockPorts<T>(fn: () => Promise<T>): Promise<T> {
    const p = this.portLock.then(fn, fn);
    this.portLock = p.catch(() => undefined);
    return p;
  }

  /** This daemon's other containers' ports, and (when asking for any) those other portmap users publish. */
  private async portsInUse(except: string, cfg: ContainerNetConfig): Promise<PortMapping[]> {
    const mine = [...this.states.entries()].filter(([id]) => id !== except).flatMap(([, s]) => s.ports);
    if (Object.keys(cfg.bindings).length === 0) return mine;
    const others = (await portmapPublishedPorts()).map((p) => ({ hostIp: '', hostPort: p.port, containerPort: 0, protocol: p.protocol }));
    return [...mine, ...others];
  }

  private cniPorts(ports: PortMapping[]): Array<Record<string, unknown>> {
    return ports.map((p) => ({ hostPort: p.hostPort, containerPort: p.containerPort, protocol: p.protocol, ...(p.hostIp ? { hostIP: p.hostIp } : {}) }));
  }

  private async attach(cfg: ContainerNetConfig, st: ContainerRunState, e: ContainerNetConfig['networks'][number], primary: boolean): Promise<void> {
    const n = this.networks.get(e.networkId);
    if (!n) throw notFound(`network ${e.networkId} not found`);
    if (!bridgeIsUp(n.bridge)) await ensureBridge(n);
    const used = new Set(st.attachments.map((a) => a.ifName));
    let k = 0;
    while (used.has(`eth${k}`)) k++;
    const ifName = `eth${k}`;
    const runtimeConfig: Record<string, unknown> = {};
    if (primary && st.ports.length) runtimeConfig.portMappings = this.cniPorts(st.ports);
    if (e.ipv4Address) runtimeConfig.ips = [`${e.ipv4Address}/${n.subnet.split('/')[1]}`];
    const list = bridgeConfList(n, path.join(this.o.runDir, 'ipam'), runtimeConfig.portMappings !== undefined);
    const rt = { containerId: cfg.id, netns: st.netns, ifName, pluginDirs: this.o.pluginDirs };
    const result = await addNetworkList(list, rt, runtimeConfig);
    const address = endpointAddress(result, ifName);
    const a: Attachment = { networkId: n.id, ifName, endpointId: crypto.randomBytes(32).toString('hex'), result, address: address ?? { ip: '', prefixLen: 0, gateway: '', mac: '', ifName }, pluginMasq: false };
    st.attachments.push(a);
    this.saveState(cfg.id, st);
    if (!address) throw failedPrecondition(`network ${n.name} gave container ${cfg.name} no IPv4 address`);
  }

  private async detachOne(cfg: ContainerNetConfig, st: ContainerRunState, a: Attachment): Promise<void> {
    const n = this.networks.get(a.networkId);
    const primary = st.attachments[0] === a;
    if (n) {
      const runtimeConfig: Record<string, unknown> = primary && st.ports.length ? { portMappings: this.cniPorts(st.ports) } : {};
      await delNetworkList(bridgeConfList(n, path.join(this.o.runDir, 'ipam'), runtimeConfig.portMappings !== undefined, a.pluginMasq ?? true), { containerId: cfg.id, netns: st.netns, ifName: a.ifName, pluginDirs: this.o.pluginDirs }, a.result, runtimeConfig);
    }
    st.attachments = st.attachments.filter((x) => x !== a);
    if (primary) st.ports = [];
  }

  private async attachDns(cfg: ContainerNetConfig): Promise<void> {
    const dns = this.o.dns;
    const st = this.states.get(cfg.id);
    if (!dns || !st || !cfg.networks.some((e) => !this.networks.get(e.networkId)?.isDefault)) return;
    await dns.attach(cfg.id, st.netns, { lookup: (name) => this.lookup(cfg.id, name) }, cfg.dns ?? []).catch((err: unknown) => this.o.log(`container ${cfg.id.slice(0, 12)}: embedded DNS: ${String(err)}`));
  }

  /** Names a container resolves: containers sharing a user-defined network with it, by name, alias or short id. */
  lookup(askerId: string, name: string): string[] {
    const q = name.toLowerCase().replace(/\.$/, '');
    const asker = this.configs.get(askerId);
    if (!asker) return [];
    const out: string[] = [];
    for (const e of asker.networks) {
      const n = this.networks.get(e.networkId);
      if (!n || n.isDefault) continue;
      for (const c of this.configs.values()) {
        const ce = c.networks.find((x) => x.networkId === n.id);
        const a = this.states.get(c.id)?.attachments.find((x) => x.networkId === n.id);
        if (!ce || !a?.address.ip) continue;
        const names = [c.name, c.id.slice(0, 12), c.id, ...ce.aliases].map((x) => x.toLowerCase());
        if (names.includes(q) && !out.includes(a.address.ip)) out.push(a.address.ip);
      }
    }
    return out;
  }

  tearDown(id: string): Promise<void> {
    return this.serial(id, () => this.tearDownNow(id));
  }

  private async tearDownNow(id: string): Promise<void> {
    const st = this.states.get(id);
    if (!st) return;
    this.o.dns?.detach(id);
    const cfg = this.configs.get(id) ?? { id, name: id.slice(0, 12), hostname: '', mode: 'own' as const, networks: [], bindings: {}, exposed: [] };
    for (const a of [...st.attachments].reverse()) {
      await this.detachOne(cfg, st, a).catch((err: unknown) => {
        this.o.log(`container ${id.slice(0, 12)}: CNI DEL on ${a.ifName}: ${String(err)}`);
        st.attachments = st.attachments.filter((x) => x !== a);
      });
    }
    await removeNetns(st.netns).catch((err: unknown) => this.o.log(`container ${id.slice(0, 12)}: removing its network namespace: ${String(err)}`));
    this.dropState(id);
  }

  release(id: string): Promise<void> {
    return this.serial(id, async () => {
      await this.tearDownNow(id);
      this.configs.delete(id);
      fs.rmSync(this.configFile(id), { force: true });
    });
  }

  async recover(containers: Array<{ c: NetworkedContainer; running: boolean }>): Promise<void> {
    const known = new Map(containers.map((x) => [x.c.id, x]));
    for (const id of [...this.states.keys()]) {
      const k = known.get(id);
      if (!k || !k.running) await this.tearDown(id);
    }
    for (const id of [...this.configs.keys()]) if (!known.has(id)) await this.release(id);
    for (const { c, running } of containers) {
      const cfg = this.configs.get(c.id);
      if (running && cfg && this.states.has(c.id)) await this.attachDns(cfg);
    }
  }

  /** At daemon shutdown: bridges no running container uses go (they come back at the next start). */
  async close(): Promise<void> {
    this.o.dns?.close();
    const inUse = new Set([...this.states.values()].flatMap((s) => s.attachments.map((a) => a.networkId)));
    for (const n of this.networks.values()) if (!inUse.has(n.id)) await removeBridge(n.bridge).catch(() => undefined);
    if (inUse.size === 0) {
      await removeIsolation(this.chain).catch(() => undefined);
      await removeMasquerade(masqueradeChain(this.chain)).catch(() => undefined);
    }
  }
}
