/**
 * After a daemon restart: running containers keep their namespaces and attachments (and get their
 * embedded DNS back); the state of containers that stopped or went meanwhile is cleaned up.
 */
import type { NetworkedContainer } from '../containers/index.js';
import type { NetworkState } from './state.js';
import type { ContainerNetConfig } from './store.js';

/** The manager's serialized operations recovery uses. */
export interface RecoveryOps {
  tearDown(id: string): Promise<void>;
  release(id: string): Promise<void>;
  attachDns(cfg: ContainerNetConfig): Promise<void>;
}

export async function recoverContainers(state: NetworkState, ops: RecoveryOps, containers: Array<{ c: NetworkedContainer; running: boolean }>): Promise<void> {
  const known = new Map(containers.map((x) => [x.c.id, x]));
  for (const id of [...state.states.keys()]) {
    const k = known.get(id);
    if (!k || !k.running) await ops.tearDown(id);
  }
  for (const id of [...state.configs.keys()]) if (!known.has(id)) await ops.release(id);
  for (const { c, running } of containers) {
    const cfg = state.configs.get(c.id);
    if (running && cfg && state.states.has(c.id)) await ops.attachDns(cfg);
  }
}
