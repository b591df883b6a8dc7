/**
 * The per-container /etc/hosts, /etc/hostname and /etc/resolv.conf, written into the container's
 * directory and bind-mounted by the spec. resolv.conf follows Docker: the host's file without
 * loopback nameservers (they mean nothing inside another network namespace), falling back to
 * Google's public resolvers when none remain; --dns replaces the nameservers.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { invalidArgument } from '../../base/errors.js';
import type { CreateContainerOptions } from './types.js';

export interface EtcFiles { hosts: string; hostname: string; resolvConf: string }

export function containerHostname(id: string, options: CreateContainerOptions): string {
  if (options.hostname) return options.hostname;
  if (options.networkMode === 'host') return os.hostname();
  return id.slice(0, 12);
}

/** own: the container's addresses on its networks (Docker lists them instead of 127.0.1.1). */
export function renderHosts(hostname: string, options: CreateContainerOptions, own: Array<{ ip: string; names: string[] }> = []): string {
  const self = own.length ? own.map((e) => `${e.ip}\t${e.names.join(' ')}`) : [`127.0.1.1\t${hostname}`];
  const lines = options.networkMode === 'host'
    ? [readOr('/etc/hosts', '127.0.0.1\tlocalhost\n').trimEnd()]
    : ['127.0.0.1\tlocalhost', '::1\tlocalhost ip6-localhost ip6-loopback', 'fe00::0\tip6-localnet', 'ff00::0\tip6-mcastprefix',
      'ff02::1\tip6-allnodes', 'ff02::2\tip6-allrouters', ...self];
  for (const entry of options.extraHosts ?? []) {
    const i = entry.indexOf(':');
    if (i <= 0 || i === entry.length - 1) throw invalidArgument(`invalid extra host "${entry}": expected name:ip`);
    lines.push(`${entry.slice(i + 1)}\t${entry.slice(0, i)}`);
  }
  return lines.join('\n') + '\n';
}

/** Rewrites /etc/hosts in place (same inode: the running container's bind mount sees it). */
export function writeHostsFile(dir: string, hostname: string, options: CreateContainerOptions, own: Array<{ ip: string; names: string[] }>): void {
  fs.writeFileSync(path.join(dir, 'hosts'), renderHosts(hostname, options, own));
}

/** Modes on a user-defined network, whose names the embedded DNS server at 127.0.0.11 answers. */
export function usesEmbeddedDns(options: CreateContainerOptions): boolean {
  const m = options.networkMode ?? '';
  return !['', 'default', 'bridge', 'host', 'none'].includes(m) && !m.startsWith('container:');
}

export function renderResolvConf(hostResolv: string, dns: string[] | undefined): string {
  const kept: string[] = [];
  let servers = 0;
  for (const line of hostResolv.split('\n')) {
    const m = /^\s*nameserver\s+(\S+)/.exec(line);
    if (m) {
      if (dns && dns.length) continue;
      if (/^127\./.test(m[1]!) || m[1] === '::1') continue;
      servers++;
    }
    kept.push(line);
  }
  const out = kept.join('\n').trimEnd().split('\n').filter((l, i, a) => !(l === '' && i === a.length - 1));
  if (dns && dns.length) for (const d of dns) out.push(`nameserver ${d}`);
  else if (servers === 0) out.push('nameserver 8.8.8.8', 'nameserver 8.8.4.4');
  return out.filter((l) => l !== '' || out.length > 1).join('\n') + '\n';
}

function readOr(file: string, fallback: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return fallback;
  }
}

export function writeEtcFiles(dir: string, id: string, options: CreateContainerOptions): EtcFiles {
  const hostname = containerHostname(id, options);
  const files: EtcFiles = { hosts: path.join(dir, 'hosts'), hostname: path.join(dir, 'hostname'), resolvConf: path.join(dir, 'resolv.conf') };
  fs.writeFileSync(files.hosts, renderHosts(hostname, options));
  fs.writeFileSync(files.hostname, hostname + '\n');
  // On user-defined networks the embedded DNS answers (and forwards to --dns or the host's resolvers).
  fs.writeFileSync(files.resolvConf, renderResolvConf(readOr('/etc/resolv.conf', ''), usesEmbeddedDns(options) ? ['127.0.0.11'] : options.dns));
  return files;
}
