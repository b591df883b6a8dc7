/** Finding a network by name, id or unambiguous id prefix; the pre-defined ones included. */
import { invalidArgument, notFound } from '../../base/errors.js';
import { isPseudo, PSEUDO_NETWORKS, pseudoId, type PseudoName } from './predefined.js';
import type { NetworkRecord } from './store.js';

type Networks = ReadonlyMap<string, NetworkRecord>;

export function defaultNetwork(networks: Networks): NetworkRecord {
  for (const n of networks.values()) if (n.isDefault) return n;
  throw notFound('network "bridge" not found');
}

export function findByName(networks: Networks, name: string): NetworkRecord | undefined {
  for (const n of networks.values()) if (n.name === name) return n;
  return undefined;
}

export function findNetwork(networks: Networks, ref: string): NetworkRecord {
  if (typeof ref !== 'string' || ref === '') throw invalidArgument('empty network reference');
  const byName = findByName(networks, ref);
  if (byName) return byName;
  const byId = networks.get(ref);
  if (byId) return byId;
  if (/^[0-9a-f]+$/.test(ref)) {
    const hits = [...networks.values()].filter((n) => n.id.startsWith(ref));
    if (hits.length === 1) return hits[0]!;
    if (hits.length > 1) throw invalidArgument(`network reference "${ref}" is ambiguous: ${hits.length} networks match`);
  }
  throw notFound(`network ${ref} not found`);
}

/** "host" or "none" by name, id or unambiguous id prefix (user networks cannot take those names). */
export function findPseudo(networks: Networks, dataDir: string, ref: string): PseudoName | undefined {
  if (typeof ref !== 'string' || ref === '') return undefined;
  if (isPseudo(ref)) return ref;
  if (!/^[0-9a-f]+$/.test(ref)) return undefined;
  const hits = (Object.keys(PSEUDO_NETWORKS) as PseudoName[]).filter((name) => pseudoId(dataDir, name).startsWith(ref));
  const users = [...networks.values()].filter((n) => n.id.startsWith(ref));
  return hits.length === 1 && users.length === 0 ? hits[0] : undefined;
}
