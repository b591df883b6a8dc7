/**
 * IPv4 addresses and subnets as 32-bit numbers: parsing, formatting, overlap. Hand-written because
 * berth needs only this arithmetic (a dozen lines), not a general address library.
 */
import { invalidArgument } from '../../base/errors.js';

export interface Subnet { base: number; prefix: number } // base has no host bits set

const OCTETS = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

export function parseIp(text: string): number | null {
  const m = OCTETS.exec(text);
  if (!m) return null;
  const parts = m.slice(1).map(Number);
  if (parts.some((p, i) => p > 255 || (m[i + 1]!.length > 1 && m[i + 1]!.startsWith('0')))) return null;
  return ((parts[0]! << 24) >>> 0) + (parts[1]! << 16) + (parts[2]! << 8) + parts[3]!;
}

export function formatIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

export function maskOf(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/** Parses "a.b.c.d/n"; host bits must be zero (Docker refuses "10.1.2.3/24" as a subnet too). */
export function parseSubnet(text: string, what = 'subnet'): Subnet {
  const m = /^([^/]+)\/(\d{1,2})$/.exec(text);
  const ip = m ? parseIp(m[1]!) : null;
  const prefix = m ? Number(m[2]) : NaN;
  if (ip === null || !(prefix >= 0 && prefix <= 32)) throw invalidArgument(`invalid ${what} "${text}": expected an IPv4 CIDR such as 10.210.5.0/24`);
  if ((ip & ~maskOf(prefix)) >>> 0 !== 0) throw invalidArgument(`invalid ${what} "${text}": host bits are set (did you mean ${formatSubnet({ base: (ip & maskOf(prefix)) >>> 0, prefix })}?)`);
  return { base: ip, prefix };
}

export function formatSubnet(s: Subnet): string {
  return `${formatIp(s.base)}/${s.prefix}`;
}

export function size(s: Subnet): number {
  return 2 ** (32 - s.prefix);
}

export function contains(s: Subnet, ip: number): boolean {
  return ((ip & maskOf(s.prefix)) >>> 0) === s.base;
}

export function overlaps(a: Subnet, b: Subnet): boolean {
  const p = Math.min(a.prefix, b.prefix);
  return ((a.base & maskOf(p)) >>> 0) === ((b.base & maskOf(p)) >>> 0);
}

/** The subnet an address with a prefix length lies in, e.g. 192.0.2.7/24 → 192.0.2.0/24. */
export function subnetOf(ip: number, prefix: number): Subnet {
  return { base: (ip & maskOf(prefix)) >>> 0, prefix };
}
