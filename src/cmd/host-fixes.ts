/**
 * Host fixes the daemon re-checks at every start (mounts vanish on reboot; see
 * scripts/host-fixes.sh for the same steps in shell): crun 1.8 refuses the cgroup v1/v2 hybrid
 * layout unless the hugetlb v1 hierarchy is mounted.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import type { StderrLogger } from './logger.js';

function mounted(target: string): boolean {
  return fs.readFileSync('/proc/mounts', 'utf8').split('\n').some((l) => l.split(' ')[1] === target);
}

export function applyHostFixes(log: StderrLogger): void {
  const hybrid = fs.existsSync('/sys/fs/cgroup/unified') && fs.existsSync('/sys/fs/cgroup/memory');
  if (hybrid && !mounted('/sys/fs/cgroup/hugetlb')) {
    try {
      fs.mkdirSync('/sys/fs/cgroup/hugetlb', { recursive: true });
      execFileSync('mount', ['-t', 'cgroup', '-o', 'hugetlb', 'cgroup', '/sys/fs/cgroup/hugetlb'], { stdio: ['ignore', 'ignore', 'pipe'] });
      log.info('mounted the cgroup v1 hugetlb hierarchy (crun needs it on hybrid hosts)');
    } catch (err) {
      log.warn('could not mount the cgroup v1 hugetlb hierarchy; crun may refuse to run containers', { error: (err as Error).message });
    }
  }
  try {
    execFileSync('modprobe', ['overlay'], { stdio: 'ignore' });
  } catch {
    // built in, or no module tools: overlay mounts will tell if it is really missing
  }
}
