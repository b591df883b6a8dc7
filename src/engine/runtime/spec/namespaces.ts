/**
 * Namespaces: pid, ipc, uts, mount and cgroup are always new; network is new, joined
 * (netnsPath) or the host's (networkMode "host"); user and time when asked.
 *
 * User namespaces ("private"): container uids/gids 0-65535 map to host 100000-165535. berth uses
 * one fixed range for every such container (like Docker's single --userns-remap range), so they
 * are isolated from the host, not from each other. The rootfs must be owned by the mapped ids
 * (host uid 100000 = container root): shifting its ownership is the caller's job, the spec only
 * declares the mapping.
 */
import { invalidArgument } from '../../../base/errors.js';
import type { OciIdMapping, OciNamespace } from '../../../api/oci/runtime-spec.js';

export const UsernsHostBase = 100000;
export const UsernsSize = 65536;

export function usernsMappings(): OciIdMapping[] {
  return [{ containerID: 0, hostID: UsernsHostBase, size: UsernsSize }];
}

export interface NamespaceInput { networkMode?: string; netnsPath?: string; usernsMode?: string; timeNamespace?: boolean }

export function wantsUserns(usernsMode: string | undefined): boolean {
  if (usernsMode === undefined || usernsMode === '' || usernsMode === 'host') return false;
  if (usernsMode === 'private') return true;
  throw invalidArgument(`invalid user namespace mode ${JSON.stringify(usernsMode)}: use "private" or "host"`);
}

/** True when the network mode shares the host's network namespace. */
export const isHostNetwork = (networkMode: string | undefined): boolean => networkMode === 'host';

export function buildNamespaces(n: NamespaceInput): OciNamespace[] {
  const ns: OciNamespace[] = [{ type: 'pid' }];
  if (n.netnsPath !== undefined) {
    if (!n.netnsPath.startsWith('/')) throw invalidArgument(`network namespace path ${JSON.stringify(n.netnsPath)} must be absolute`);
    if (isHostNetwork(n.networkMode)) throw invalidArgument('network mode "host" cannot join a network namespace');
    ns.push({ type: 'network', path: n.netnsPath });
  } else if (n.networkMode?.startsWith('container:')) {
    throw invalidArgument(`network mode ${JSON.stringify(n.networkMode)} needs the other container's network namespace`);
  } else if (!isHostNetwork(n.networkMode)) {
    ns.push({ type: 'network' });
  }
  ns.push({ type: 'ipc' }, { type: 'uts' }, { type: 'mount' }, { type: 'cgroup' });
  if (wantsUserns(n.usernsMode)) ns.push({ type: 'user' });
  if (n.timeNamespace) ns.push({ type: 'time' });
  return ns;
}
