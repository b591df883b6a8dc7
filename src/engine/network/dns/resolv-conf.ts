import { readFileSync } from 'node:fs';
import net from 'node:net';

/** The nameserver addresses in resolv.conf text, in order; lines that are not a valid IP are ignored. */
export function parseNameservers(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/[#;].*$/, '').trim();
    const [keyword, address] = line.split(/\s+/);
    if (keyword !== 'nameserver' || !address) continue;
    // A link-local IPv6 server may carry a zone (fe80::1%eth0); dgram accepts it as written.
    if (net.isIP(address.split('%')[0]!) !== 0) out.push(address);
  }
  return out;
}

/** The host's resolvers; [] when the file is missing (nothing to forward to: forwarded names get SERVFAIL). */
export function hostNameservers(path = '/etc/resolv.conf'): string[] {
  try {
    return parseNameservers(readFileSync(path, 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}
