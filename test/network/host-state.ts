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

/**
 * Rules or chains naming any of the given container ids or addresses (an address must match whole).
 * With ownNetworks (CNI network names, "berth-<id12>"), rules a plugin made for another network —
 * another daemon's, which may hold a freed address again — do not count.
 */
export function rulesMentioning(needles: string[], ownNetworks?: string[]): string[] {
  const foreign = (line: string) => ownNetworks !== undefined && [...line.matchAll(/berth-[0-9a-f]{12}/g)].some((m) => !ownNetworks.includes(m[0]));
  const lines = allRules().split('\n').filter((line) => !foreign(line));
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

/**
 * A container command fetching url that gives up after a few seconds. Not wget's own -T: busybox
 * 1.35's wget segfaults whenever -T is given (on the host too). Not a bare `timeout 3 wget` either:
 * busybox's timeout execs the command in its own process, which is then PID 1 of the container and
 * immune to the SIGTERM meant to end it; under `sh -c '...; exit'` it is an ordinary child.
 */
export function boundedWget(url: string, seconds = 3): string[] {
  return ['sh', '-c', `timeout ${seconds} wget -qO- '${url}'; exit $?`];
}
