/**
 * The manager's side of the network hook (networking.ts): what a container looks like to it, its
 * network brought up before each runtime create and torn down after each exit.
 */
import type { ManagerContext } from './context.js';
import { writeHostsFile } from './etc-files.js';
import type { Live } from './live.js';
import type { NetworkedContainer } from './networking.js';
import type { ContainerInfo, CreateContainerOptions } from './types.js';

export function networkedContainer(c: { id: string; name: string; options: CreateContainerOptions; config: ContainerInfo['config'] }): NetworkedContainer {
  return { id: c.id, name: c.name, hostname: c.config.hostname, options: c.options, exposedPorts: Object.keys(c.config.exposedPorts) };
}

/**
 * The container's network namespace (resolved: the runtime create may run); `attached` settles
 * once addresses, ports and DNS are in place and /etc/hosts names the address.
 */
export async function networkUp(ctx: ManagerContext, l: Live): Promise<{ attached: Promise<void> }> {
  const net = ctx.o.network;
  if (!net) return { attached: Promise.resolve() };
  const info = l.rec.info;
  const { attached } = await net.setUp(networkedContainer(info));
  return {
    attached: attached.then(({ hosts }) => {
      if (hosts.length) writeHostsFile(ctx.dir(info.id), info.config.hostname, info.options, hosts);
    }),
  };
}

/** Background network teardown after an exit: the next setUp and the removal queue behind it. */
export function networkDown(ctx: ManagerContext, id: string): void {
  void ctx.o.network?.tearDown(id).catch((err: unknown) => ctx.log(`container ${id.slice(0, 12)}: network teardown: ${String(err)}`));
}
