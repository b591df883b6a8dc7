/** Picking a free subnet for a new network from berth's pool. */
import { resourceExhausted } from '../../base/errors.js';
import { formatSubnet, overlaps, size, type Subnet } from './ipv4.js';

/**
 * berth's address pool: 10.210.0.0/16 in /24s. Chosen to stay clear of Docker's 172.17.0.0/16 (and
 * its 172.18-31 user pools) and podman's 10.88.0.0/16.
 */
export const DEFAULT_POOL: Subnet = { base: (10 << 24) + (210 << 16), prefix: 16 };
export const DEFAULT_PREFIX = 24;

/** The first `prefix`-sized subnet of `pool` that overlaps none of `taken`. */
export function allocateSubnet(taken: Subnet[], pool: Subnet = DEFAULT_POOL, prefix = DEFAULT_PREFIX): Subnet {
  const step = 2 ** (32 - prefix);
  for (let base = pool.base; base < pool.base + size(pool); base += step) {
    const candidate = { base, prefix };
    if (!taken.some((t) => overlaps(t, candidate))) return candidate;
  }
  throw resourceExhausted(`all subnets of berth's pool ${formatSubnet(pool)} are in use: give the network an explicit --subnet`);
}
