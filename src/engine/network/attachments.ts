/**
 * A container's network namespace and its CNI attachments: loopback, then bridge + host-local
 * (+ portmap on the first network when it publishes ports) per network. ADD results are kept in
 * the run state, because DEL needs them, after a daemon restart too.
 */
import crypto from 'node:crypto';
import { asBerthError, failedPrecondition, notFound } from '../../base/errors.js';
import type { NetworkAttached, NetworkedContainer } from '../containers/index.js';
import { addNetworkList, delNetworkList } from './cni/conflist.js';
import { endpointAddress } from './cni/result.js';
import { bridgeConfList, bridgeIsUp, ensureBridge, loopbackConf } from './bridge.js';
import type { ContainerDns } from './container-dns.js';
import { createNetns, removeNetns } from './netns.js';
import { portsInUse, resolvePorts } from './ports.js';
import { SerialQueue } from '../../base/serial-queue.js';
import type { NetworkState } from './state.js';
import type { Attachment, ContainerNetConfig, ContainerRunState } from './store.js';
import type { PortMapping } from './types.js';

function cniPorts(ports: PortMapping[]): Array<Record<string, unknown>> {
  return ports.map((p) => ({ hostPort: p.hostPort, containerPort: p.containerPort, protocol: p.protocol, ...(p.hostIp ? { hostIP: p.hostIp } : {}) }));
}

export class Attachments {
  /** Host ports are chosen one container at a time, so two never take the same free port. */
  private readonly portLock = new SerialQueue();

  constructor(private readonly state: NetworkState, private readonly pluginDirs: string[], private readonly dns: ContainerDns, private readonly log: (m: string) => void) {}

  /** Calls namespaceReady as soon as the namespace exists; resolves when everything is attached. */
  async setUp(c: NetworkedContainer, namespaceReady: () => void): Promise<NetworkAttached> {
    const cfg = this.state.configs.get(c.id);
    if (!cfg || cfg.mode === 'none' || cfg.mode === 'host') return { hosts: [] };
    if (cfg.mode === 'joined') {
      const target = this.state.states.get(cfg.joined ?? '');
      if (!target) throw failedPrecondition(`cannot join network of a non running container: ${this.state.configs.get(cfg.joined ?? '')?.name ?? cfg.joined}`);
      return { hosts: [] };
    }
    if (this.state.states.has(c.id)) await this.tearDown(c.id);
    const netns = this.state.netnsPath(c.id);
    const st: ContainerRunState = { netns, attachments: [], ports: [] };
    try {
      await createNetns(netns);
      this.state.saveState(c.id, st);
      namespaceReady();
      // lo and the network interfaces are independent: their plugin runs overlap.
      const loopback = addNetworkList(loopbackConf(), { containerId: c.id, netns, ifName: 'lo', pluginDirs: this.pluginDirs });
      const interfaces = (async () => {
        st.ports = await this.portLock.run(async () => resolvePorts(cfg.bindings, await portsInUse(this.state.states, c.id, cfg)).then((ports) => {
          st.ports = ports;
          this.state.saveState(c.id, st);
          return ports;
        }));
        for (const [i, e] of cfg.networks.entries()) await this.attach(cfg, st, e, i === 0);
      })();
      // Both settle before any teardown, so no plugin still runs against a namespace being removed.
      const failed = (await Promise.allSettled([loopback, interfaces])).find((r) => r.status === 'rejected');
      if (failed) throw failed.reason;
      await this.dns.attach(cfg);
    } catch (err) {
      await this.tearDown(c.id);
      throw asBerthError(err);
    }
    const primary = st.attachments[0];
    return { hosts: primary ? [{ ip: primary.address.ip, names: [cfg.hostname] }] : [] };
  }

  async attach(cfg: ContainerNetConfig, st: ContainerRunState, e: ContainerNetConfig['networks'][number], primary: boolean): Promise<void> {
    const n = this.state.networks.get(e.networkId);
    if (!n) throw notFound(`network ${e.networkId} not found`);
    if (!bridgeIsUp(n.bridge)) await ensureBridge(n);
    const used = new Set(st.attachments.map((a) => a.ifName));
    let k = 0;
    while (used.has(`eth${k}`)) k++;
    const ifName = `eth${k}`;
    const runtimeConfig: Record<string, unknown> = {};
    if (primary && st.ports.length) runtimeConfig.portMappings = cniPorts(st.ports);
    if (e.ipv4Address) runtimeConfig.ips = [`${e.ipv4Address}/${n.subnet.split('/')[1]}`];
    const list = bridgeConfList(n, this.state.ipamDir, runtimeConfig.portMappings !== undefined);
    const rt = { containerId: cfg.id, netns: st.netns, ifName, pluginDirs: this.pluginDirs };
    const result = await addNetworkList(list, rt, runtimeConfig);
    const address = endpointAddress(result, ifName);
    const a: Attachment = { networkId: n.id, ifName, endpointId: crypto.randomBytes(32).toString('hex'), result, address: address ?? { ip: '', prefixLen: 0, gateway: '', mac: '', ifName }, pluginMasq: false };
    st.attachments.push(a);
    this.state.saveState(cfg.id, st);
    if (!address) throw failedPrecondition(`network ${n.name} gave container ${cfg.name} no IPv4 address`);
  }

  async detachOne(cfg: ContainerNetConfig, st: ContainerRunState, a: Attachment): Promise<void> {
    const n = this.state.networks.get(a.networkId);
    const primary = st.attachments[0] === a;
    if (n) {
      const runtimeConfig: Record<string, unknown> = primary && st.ports.length ? { portMappings: cniPorts(st.ports) } : {};
      await delNetworkList(bridgeConfList(n, this.state.ipamDir, runtimeConfig.portMappings !== undefined, a.pluginMasq ?? true), { containerId: cfg.id, netns: st.netns, ifName: a.ifName, pluginDirs: this.pluginDirs }, a.result, runtimeConfig);
    }
    st.attachments = st.attachments.filter((x) => x !== a);
    if (primary) st.ports = [];
  }

  async tearDown(id: string): Promise<void> {
    const st = this.state.states.get(id);
    if (!st) return;
    this.dns.detach(id);
    const cfg = this.state.configs.get(id) ?? { id, name: id.slice(0, 12), hostname: '', mode: 'own' as const, networks: [], bindings: {}, exposed: [] };
    for (const a of [...st.attachments].reverse()) {
      await this.detachOne(cfg, st, a).catch((err: unknown) => {
        this.log(`container ${id.slice(0, 12)}: CNI DEL on ${a.ifName}: ${String(err)}`);
        st.attachments = st.attachments.filter((x) => x !== a);
      });
    }
    await removeNetns(st.netns).catch((err: unknown) => this.log(`container ${id.slice(0, 12)}: removing its network namespace: ${String(err)}`));
    this.state.dropState(id);
  }
}
