/**
 * The hook through which the container manager hands a container's network to the networking
 * subsystem (src/engine/network implements it; the engine's composition root wires it in).
 * Without a hook, a container gets a private network namespace with only loopback.
 */
import type { CreateContainerOptions } from './types.js';

export interface NetworkedContainer {
  id: string;
  name: string;
  hostname: string;
  options: CreateContainerOptions;
  /** The effective exposed ports (image EXPOSE + create options), e.g. "80/tcp": for -P. */
  exposedPorts: string[];
}

export interface NetworkAttached { hosts: Array<{ ip: string; names: string[] }> }

export interface ContainerNetworking {
  /**
   * At create: checks the network options (networks exist, ports parse, the container to join
   * exists) and records them. Returns the network namespace the spec joins (undefined: host's
   * or a private one, as the mode says). Throws for bad options, recording nothing.
   */
  prepare(c: NetworkedContainer, resolve: (ref: string) => { id: string; name: string }): Promise<{ netnsPath?: string }>;
  /**
   * Before each runtime create: resolves as soon as the network namespace exists (the runtime
   * create may then run); `attached` resolves when CNI ADD, published ports and DNS are done, with
   * the /etc/hosts entries. The process must not start before `attached`: the manager awaits both.
   */
  setUp(c: NetworkedContainer): Promise<{ attached: Promise<NetworkAttached> }>;
  /** After an exit: CNI DEL, namespace gone. Idempotent; errors are logged, never thrown. */
  tearDown(id: string): Promise<void>;
  /** On removal: tearDown and forget the container. */
  release(id: string): Promise<void>;
  /** After a daemon restart: running containers keep their networks; the rest is cleaned up. */
  recover(containers: Array<{ c: NetworkedContainer; running: boolean }>): Promise<void>;
}
