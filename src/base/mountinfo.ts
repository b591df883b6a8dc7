/** This mount namespace's mount table (/proc/self/mountinfo), as the set of mount-point paths. */
import fs from 'node:fs';
import path from 'node:path';

/** Mount points of this mount namespace (octal escapes in mountinfo decoded). */
export function mountPoints(): Set<string> {
  const out = new Set<string>();
  for (const line of fs.readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) {
    const f = line.split(' ');
    if (f.length > 4) out.add(f[4]!.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8))));
  }
  return out;
}

export function isMounted(p: string): boolean {
  return mountPoints().has(path.resolve(p));
}

/** Mount points at or below `dir`, deepest first (the order to unmount them in). */
export function mountsUnder(dir: string): string[] {
  const root = path.resolve(dir);
  return [...mountPoints()].filter((m) => m === root || m.startsWith(`${root}/`)).sort((a, b) => b.length - a.length);
}
