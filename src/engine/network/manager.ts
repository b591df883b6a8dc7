/**
 * Networks and container endpoints. Implements the container manager's networking hook
 * (prepare / setUp / tearDown / release / recover) and the network objects of the Docker API.
 * Operations on one container run one at a time (a queue per container id); changes to the set
 * of networks run one at a time too (networks.ts).
 */
import { invalidArgument } from '../../base/errors.js';
import type { ContainerNetworking, NetworkAttached, NetworkedContainer } from '../containers/index.js';
import { Attachments } from './attachments.js';
import { Connections } from './connections.js';
import { prepareConfig, renameConfig } from './container-config.js';
import { ContainerDns, type DnsHook } from './container-dns.js';
import { Networks } from './networks.js';
import { KeyedSerialQueue } from '../../base/serial-queue.js';
import { recoverContainers } from './recovery.js';
import { NetworkState } from './state.js';
import type { ContainerNetworkSettings, CreateNetworkOptions, NetworkInfo, NetworkService } from './types.js';
import { containerSettings, inspectNetwork, listNetworks } from './views.js';

export type { DnsHook } from './container-dns.js';

export interface NetworkManagerOptions {
  dataDir: string; // <data-dir>/networks
  runDir: string; // <run-dir>/networks
  defaultBridge: string; // the default network's Linux bridge
  defaultSubnet?: string; // fixed subnet for it; else the first free one of the pool
  pluginDirs: string[];
  dns?: DnsHook;
  log: (m: string) => void;
}

export class NetworkManager implements NetworkService, ContainerNetworking {
  private readonly state: NetworkState;
  private readonly networks: Networks;
  private readonly dns: ContainerDns;
  private readonly attachments: Attachments;
  private readonly connections: Connections;
  private readonly queues = new KeyedSerialQueue(); // per container id

  private constructor(o: NetworkManagerOptions) {
    this.state = new NetworkState(o.dataDir, o.runDir, o.log);
    this.networks = new Networks(this.state, o);
    this.dns = new ContainerDns(this.state, o.dns, o.log);
    this.attachments = new Attachments(this.state, o.pluginDirs, this.dns, o.log);
    this.connections = new Connections(this.state, this.queues, this.attachments, this.dns);
  }

  /** Opens the store and makes sure the default network "bridge" and every network's bridge exist. */
  static async open(o: NetworkManagerOptions): Promise<NetworkManager> {
    if (!/^[a-zA-Z0-9_.-]{1,15}$/.test(o.defaultBridge)) throw invalidArgument(`invalid bridge name "${o.defaultBridge}": 1-15 characters of [a-zA-Z0-9_.-]`);
    const m = new NetworkManager(o);
    await m.networks.start();
    return m;
  }

  private serial<T>(key: string, fn: () => Promise<T>): Promise<T> {
    return this.queues.run(key, fn);
  }

  // ---- networks ------------------------------------------------------------------------------

  create(opts: CreateNetworkOptions): Promise<NetworkInfo> {
    return this.networks.create(opts);
  }

  list(): NetworkInfo[] {
    return listNetworks(this.state);
  }

  inspect(ref: string): NetworkInfo {
    return inspectNetwork(this.state, ref);
  }

  remove(ref: string): Promise<void> {
    return this.networks.remove(ref);
  }

  prune(filter: (n: NetworkInfo) => boolean = () => true): Promise<string[]> {
    return this.networks.prune(filter);
  }

  async connect(ref: string, container: { id: string; name: string; running: boolean }, opts: { aliases?: string[]; ipv4Address?: string } = {}): Promise<void> {
    await this.connections.connect(ref, container, opts);
  }

  async disconnect(ref: string, containerId: string, force = false): Promise<void> {
    await this.connections.disconnect(ref, containerId, force);
  }

  containerSettings(containerId: string): ContainerNetworkSettings | null {
    return containerSettings(this.state, containerId);
  }

  /** A renamed container answers to its new name on its networks (and no longer to the old one). */
  renameContainer(containerId: string, name: string): Promise<void> {
    return this.serial(containerId, async () => renameConfig(this.state, containerId, name));
  }

  // ---- the container manager's hook ----------------------------------------------------------

  async prepare(c: NetworkedContainer, resolve: (ref: string) => { id: string; name: string }): Promise<{ netnsPath?: string }> {
    return prepareConfig(this.state, c, resolve);
  }

  async setUp(c: NetworkedContainer): Promise<{ attached: Promise<NetworkAttached> }> {
    // Two phases: the namespace first (the runtime create needs it), then CNI ADD, ports and DNS
    // (~10-30 ms of plugin runs) beside the runtime create, in the same per-container slot.
    let namespaceReady!: () => void;
    const namespace = new Promise<void>((resolve) => (namespaceReady = resolve));
    const attached = this.serial(c.id, async (): Promise<NetworkAttached> => {
      try {
        return await this.attachments.setUp(c, namespaceReady);
      } finally {
        namespaceReady();
      }
    });
    await Promise.race([namespace, attached.then(() => undefined, () => undefined)]);
    return { attached };
  }

  /** Names a container resolves: containers sharing a user-defined network with it, by name, alias or short id. */
  lookup(askerId: string, name: string): string[] {
    return this.dns.lookup(askerId, name);
  }

  tearDown(id: string): Promise<void> {
    return this.serial(id, () => this.attachments.tearDown(id));
  }

  release(id: string): Promise<void> {
    return this.serial(id, async () => {
      await this.attachments.tearDown(id);
      this.state.dropConfig(id);
    });
  }

  recover(containers: Array<{ c: NetworkedContainer; running: boolean }>): Promise<void> {
    return recoverContainers(this.state, { tearDown: (id) => this.tearDown(id), release: (id) => this.release(id), attachDns: (cfg) => this.dns.attach(cfg) }, containers);
  }

  /** At daemon shutdown: bridges no running container uses go (they come back at the next start). */
  async close(): Promise<void> {
    this.dns.close();
    await this.networks.close();
  }
}
