/**
 * What networking knows, in memory: the networks, each container's network configuration and each
 * running container's attachments, read at open from the files store.ts describes; every change
 * is written through to its file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { readJson, readJsonDir, writeJsonAtomic, type ContainerNetConfig, type ContainerRunState, type NetworkRecord } from './store.js';

export class NetworkState {
  readonly networks = new Map<string, NetworkRecord>();
  readonly configs: Map<string, ContainerNetConfig>;
  readonly states: Map<string, ContainerRunState>;

  /** dataDir: <data-dir>/networks; runDir: <run-dir>/networks. */
  constructor(readonly dataDir: string, readonly runDir: string, log: (m: string) => void) {
    const nets = readJson<{ networks: NetworkRecord[] }>(this.networksFile)?.networks ?? [];
    for (const n of nets) this.networks.set(n.id, n);
    this.configs = readJsonDir<ContainerNetConfig>(path.join(dataDir, 'containers'), log);
    this.states = readJsonDir<ContainerRunState>(path.join(runDir, 'attachments'), log);
  }

  private get networksFile(): string {
    return path.join(this.dataDir, 'networks.json');
  }

  saveNetworks(): void {
    writeJsonAtomic(this.networksFile, { networks: [...this.networks.values()] });
  }

  private configFile(id: string): string {
    return path.join(this.dataDir, 'containers', `${id}.json`);
  }

  private stateFile(id: string): string {
    return path.join(this.runDir, 'attachments', `${id}.json`);
  }

  netnsPath(id: string): string {
    return path.join(this.runDir, 'netns', id);
  }

  /** host-local's leases. */
  get ipamDir(): string {
    return path.join(this.runDir, 'ipam');
  }

  saveConfig(c: ContainerNetConfig): void {
    this.configs.set(c.id, c);
    // none/host need nothing of this file after a power cut (the container record has the mode).
    writeJsonAtomic(this.configFile(c.id), c, c.mode !== 'none' && c.mode !== 'host');
  }

  dropConfig(id: string): void {
    this.configs.delete(id);
    fs.rmSync(this.configFile(id), { force: true });
  }

  /** Run-dir state: a power cut is a reboot, which takes the namespaces it describes with it. */
  saveState(id: string, s: ContainerRunState): void {
    this.states.set(id, s);
    writeJsonAtomic(this.stateFile(id), s, false);
  }

  dropState(id: string): void {
    this.states.delete(id);
    fs.rmSync(this.stateFile(id), { force: true });
  }
}
