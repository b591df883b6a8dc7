/**
 * What a network test checks on the host after containers and networks are gone: interfaces,
 * network namespaces and firewall rules that still mention them.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

const sh = (cmd: string, args: string[]) => execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/** Every iptables rule and chain (filter, nat, mangle, raw) in iptables-save form. */
export function allRules(): string {
  return ['filter', 'nat', 'mangle', 'raw'].map((t) => sh('iptables-save', ['-t', t])).join('\n');
}

/** Rules or chains naming any of the given container ids or addresses (an address must match whole). */
export function rulesMentioning(needles: string[]): string[] {
  const lines = allRules().split('\n');
  return lines.filter((line) => needles.some((n) => {
    if (!n) return false;
    if (/^\d+\.\d+\.\d+\.\d+$/.test(n)) return new RegExp(`(^|[^\\d.])${n.replace(/\./g, '\\.')}([^\\d.]|$)`).test(line);
    return line.includes(n);
  }));
}

export function linkExists(name: string): boolean {
  try {
    sh('ip', ['link', 'show', 'dev', name]);
    return true;
  } catch {
    return false;
  }
}

/** veth peers on the host whose master is one of the given bridges. */
export function vethsOn(bridges: string[]): string[] {
  return sh('ip', ['-o', 'link', 'show', 'type', 'veth']).split('\n').filter((l) => bridges.some((b) => l.includes(` master ${b} `)));
}

/** Entries left in a daemon's own network-namespace directory. */
export function netnsFiles(runDir: string): string[] {
  try {
    return fs.readdirSync(`${runDir}/networks/netns`);
  } catch {
    return [];
  }
}

export function chainExists(chain: string): boolean {
  return allRules().split('\n').some((l) => l.startsWith(`:${chain} `));
}
