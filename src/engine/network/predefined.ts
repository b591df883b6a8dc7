/**
 * Docker's two pre-defined networks besides "bridge": "host" (driver host: the host's own network
 * namespace) and "none" (driver null: loopback only). They have no bridge, subnet or CNI
 * configuration; they exist so that `network ls` / `network inspect` show what Docker shows and
 * list the containers that use those modes. Their ids are derived from the daemon's data dir, so
 * they stay the same across restarts without being stored.
 */
import crypto from 'node:crypto';

export type PseudoName = 'host' | 'none';
export const PSEUDO_NETWORKS: Record<PseudoName, { driver: 'host' | 'null' }> = { host: { driver: 'host' }, none: { driver: 'null' } };

export function isPseudo(name: string): name is PseudoName {
  return name === 'host' || name === 'none';
}

export function pseudoId(dataDir: string, name: PseudoName): string {
  return crypto.createHash('sha256').update(`berth network ${name} ${dataDir}`).digest('hex');
}
