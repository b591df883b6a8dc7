/**
 * Connecting a container to a network and disconnecting it (docker network connect / disconnect):
 * the configuration changes, and a container whose namespace exists is attached or detached at once.
 */
import { alreadyExists, failedPrecondition, notFound } from '../../base/errors.js';
import type { Attachments } from './attachments.js';
import { endpointEntry } from './container-config.js';
import type { ContainerDns } from './container-dns.js';
import { findNetwork, findPseudo } from './find-network.js';
import type { KeyedSerialQueue } from '../../base/serial-queue.js';
import type { NetworkState } from './state.js';

export class Connections {
  /** perContainer: the manager's per-container queue, shared with setUp / tearDown / release. */
  constructor(private readonly state: NetworkState, private readonly perContainer: KeyedSerialQueue, private readonly attachments: Attachments, private readonly dns: ContainerDns) {}

  async connect(ref: string, container: { id: string; name: string; running: boolean }, opts: { aliases?: string[]; ipv4Address?: string } = {}): Promise<void> {
    const pseudo = findPseudo(this.state.networks, this.state.dataDir, ref);
    if (pseudo) throw failedPrecondition(`container ${container.name} cannot be connected to network ${pseudo}: the ${pseudo} network mode is chosen at create (--network ${pseudo})`);
    const n = findNetwork(this.state.networks, ref);
    await this.perContainer.run(container.id, async () => {
      const c = this.state.configs.get(container.id);
      if (!c) throw notFound(`container ${container.name} not found`);
      if (c.mode !== 'own') throw failedPrecondition(`container ${container.name} uses network mode "${c.mode === 'joined' ? 'container' : c.mode}": it cannot be connected to networks`);
      if (c.networks.some((x) => x.networkId === n.id)) throw alreadyExists(`endpoint with name ${container.name} already exists in network ${n.name}`);
      const entry = endpointEntry(n, opts.aliases, opts.ipv4Address);
      c.networks.push(entry);
      this.state.saveConfig(c);
      // The namespace exists from the runtime create on (right after container create), so a
      // created container is wired now too, not only a running one.
      const st = this.state.states.get(c.id);
      if (st) {
        try {
          await this.attachments.attach(c, st, entry, false);
          await this.dns.attach(c);
        } catch (err) {
          c.networks = c.networks.filter((x) => x !== entry);
          this.state.saveConfig(c);
          throw err;
        }
      }
    });
  }

  async disconnect(ref: string, containerId: string, force = false): Promise<void> {
    const pseudo = findPseudo(this.state.networks, this.state.dataDir, ref);
    if (pseudo) throw failedPrecondition(`a container cannot be disconnected from network ${pseudo}: the ${pseudo} network mode is fixed at create`);
    const n = findNetwork(this.state.networks, ref);
    await this.perContainer.run(containerId, async () => {
      const c = this.state.configs.get(containerId);
      const i = c ? c.networks.findIndex((x) => x.networkId === n.id) : -1;
      if (!c || i < 0) {
        if (force) return;
        throw notFound(`container ${containerId.slice(0, 12)} is not connected to network ${n.name}`);
      }
      const st = this.state.states.get(containerId);
      const a = st?.attachments.find((x) => x.networkId === n.id);
      if (st && a) {
        await this.attachments.detachOne(c, st, a);
        this.state.saveState(containerId, st);
      }
      c.networks.splice(i, 1);
      this.state.saveConfig(c);
    });
  }
}
