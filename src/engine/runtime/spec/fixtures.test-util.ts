/** Shared by this folder's unit tests: a fake rootfs with passwd/group, and fixed host facts. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { HostFacts } from './host-facts.js';
import { KnownCapabilities } from './capabilities.js';

export function tempDir(label: string): string {
  const root = process.env.BERTH_TEST_ROOT ?? path.join(os.tmpdir(), 'berth-test-dev');
  fs.mkdirSync(root, { recursive: true });
  const dir = fs.mkdtempSync(path.join(root, `${label}-`));
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function fakeRootfs(): string {
  const dir = tempDir('spec-rootfs');
  fs.mkdirSync(path.join(dir, 'etc'));
  fs.writeFileSync(
    path.join(dir, 'etc/passwd'),
    '# comment\nroot:x:0:0:root:/root:/bin/sh\nberth:x:1000:1000:berth:/home/berth:/bin/sh\nweb:x:33:33::/var/www:/bin/false\nbroken:x:abc:1::/:/bin/sh\n',
  );
  fs.writeFileSync(path.join(dir, 'etc/group'), 'root:x:0:\nberth:x:1000:\nstaff:x:50:berth,web\naudio:x:29:berth\nwww:x:33:\n');
  return dir;
}

export const facts: HostFacts = {
  hardRlimits: { RLIMIT_NOFILE: 20000, RLIMIT_NPROC: 96365, RLIMIT_CORE: Infinity, RLIMIT_NICE: 0 },
  capabilities: KnownCapabilities.filter((c) => c !== 'CAP_SYS_RESOURCE'),
  swapAccounting: true,
  arch: 'amd64',
  kernel: '6.1.0',
  hostname: 'the-host',
  onlineCpus: 2,
  hostDevices: () => [{ type: 'c', path: '/dev/kvm', major: 10, minor: 232, fileMode: 0o660, uid: 0, gid: 0 }],
};
