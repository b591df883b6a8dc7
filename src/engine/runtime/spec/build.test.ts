import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { isBerthError } from '../../../base/errors.js';
import type { CreateContainerOptions } from '../../containers/types.js';
import type { ImageConfig } from '../../images/types.js';
import { buildSpecFor, MaskedPaths, ReadonlyPaths, type SpecInput } from './build.js';
import { DefaultCapabilities } from './capabilities.js';
import { facts, fakeRootfs, tempDir } from './fixtures.test-util.js';

const id = 'a'.repeat(12) + 'b'.repeat(52);
const rootfs = fakeRootfs();
const image: ImageConfig = {
  architecture: 'amd64',
  os: 'linux',
  config: { Env: ['PATH=/image/bin', 'LANG=C.UTF-8'], Entrypoint: ['/entry'], Cmd: ['--serve'], WorkingDir: '/srv', User: '' },
  rootfs: { type: 'layers', diff_ids: [] },
};

function input(options: Partial<CreateContainerOptions> = {}, extra: Partial<SpecInput> = {}, img: ImageConfig = image): SpecInput {
  return {
    id,
    options: { image: 'x', ...options },
    image: img,
    rootfs,
    files: { hosts: '/run/c/hosts', hostname: '/run/c/hostname', resolvConf: '/run/c/resolv.conf' },
    cgroupsPath: `/berth/${id}`,
    ...extra,
  };
}
const build = (o: Partial<CreateContainerOptions> = {}, extra: Partial<SpecInput> = {}, img?: ImageConfig) => buildSpecFor(input(o, extra, img), facts);
const spec = (o: Partial<CreateContainerOptions> = {}, extra: Partial<SpecInput> = {}, img?: ImageConfig) => build(o, extra, img).spec;
const invalid = (re: RegExp) => (e: unknown) => isBerthError(e, 'InvalidArgument') && re.test(e.message);
const mount = (s: ReturnType<typeof spec>, dest: string) => s.mounts.find((m) => m.destination === dest);

describe('spec: process args', () => {
  const noCmd: ImageConfig = { ...image, config: { ...image.config, Entrypoint: null, Cmd: null } };
  it('is image Entrypoint + Cmd by default', () => assert.deepEqual(spec().process.args, ['/entry', '--serve']));
  it('replaces Cmd only', () => assert.deepEqual(spec({ cmd: ['a', 'b'] }).process.args, ['/entry', 'a', 'b']));
  it('drops the image Cmd when the entrypoint is overridden', () => assert.deepEqual(spec({ entrypoint: ['/bin/sh'] }).process.args, ['/bin/sh']));
  it('keeps a given cmd with an overridden entrypoint', () => assert.deepEqual(spec({ entrypoint: ['/bin/sh'], cmd: ['-c', 'x'] }).process.args, ['/bin/sh', '-c', 'x']));
  it('clears the entrypoint with [] and keeps the image Cmd', () => assert.deepEqual(spec({ entrypoint: [] }).process.args, ['--serve']));
  it('refuses an empty command', () => {
    assert.throws(() => spec({}, {}, noCmd), invalid(/^no command specified$/));
    assert.throws(() => spec({ entrypoint: [], cmd: [] }, {}, noCmd), invalid(/^no command specified$/));
  });
  it('runs through /dev/init with --init', () => {
    const s = spec({ init: true }, { initPath: '/usr/bin/catatonit' });
    assert.deepEqual(s.process.args, ['/dev/init', '--', '/entry', '--serve']);
    assert.deepEqual(mount(s, '/dev/init'), { destination: '/dev/init', type: 'bind', source: '/usr/bin/catatonit', options: ['bind', 'ro'] });
    assert.equal(mount(spec(), '/dev/init'), undefined);
    assert.throws(() => spec({ init: true }), (e: unknown) => isBerthError(e, 'FailedPrecondition'));
  });
});

describe('spec: env, cwd, hostname, terminal', () => {
  it('layers PATH, HOSTNAME, TERM, image env and user env like Docker', () => {
    assert.deepEqual(spec({ env: ['LANG=de', 'X=1', 'PATH'] }).process.env, ['HOSTNAME=aaaaaaaaaaaa', 'LANG=de', 'X=1']);
    const s = spec({ tty: true }, {}, { ...image, config: { ...image.config, Env: [] } });
    assert.deepEqual(s.process.env, ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'HOSTNAME=aaaaaaaaaaaa', 'TERM=xterm']);
    assert.equal(s.process.terminal, true);
    assert.equal(spec().process.terminal, false);
    assert.throws(() => spec({ env: ['=x'] }), invalid(/invalid environment variable/));
  });
  it('uses the option, image or / as cwd and refuses relative ones', () => {
    assert.equal(spec().process.cwd, '/srv');
    assert.equal(spec({ workingDir: '/tmp/../data' }).process.cwd, '/data');
    assert.equal(spec({}, {}, { ...image, config: { ...image.config, WorkingDir: '' } }).process.cwd, '/');
    assert.throws(() => spec({ workingDir: 'rel' }), invalid(/the working directory 'rel' is invalid, it needs to be an absolute path/));
  });
  it('names the host after the id, the option, or the host in host network mode', () => {
    assert.equal(spec().hostname, 'aaaaaaaaaaaa');
    const s = spec({ hostname: 'web-1', domainname: 'example.org' });
    assert.equal(s.hostname, 'web-1');
    assert.equal(s.domainname, 'example.org');
    assert.ok(s.process.env.includes('HOSTNAME=web-1'));
    assert.equal(spec({ networkMode: 'host' }).hostname, 'the-host');
    assert.throws(() => spec({ hostname: 'bad name!' }), invalid(/invalid hostname/));
    assert.throws(() => spec({ hostname: 'x'.repeat(65) }), invalid(/invalid hostname/));
  });
});

describe('spec: user', () => {
  it('resolves the option or the image User in the rootfs', () => {
    assert.deepEqual(spec().process.user, { uid: 0, gid: 0 });
    assert.deepEqual(spec({ user: 'berth' }).process.user, { uid: 1000, gid: 1000, additionalGids: [50, 29] });
    assert.deepEqual(spec({}, {}, { ...image, config: { ...image.config, User: '1000:50' } }).process.user, { uid: 1000, gid: 50 });
    assert.throws(() => spec({ user: 'ghost' }), invalid(/^unable to find user ghost: no matching entries in passwd file$/));
  });
});

describe('spec: capabilities', () => {
  it('grants Docker\'s default set to root', () => {
    const c = spec().process.capabilities!;
    assert.deepEqual(c.bounding, [...DefaultCapabilities]);
    assert.deepEqual(c.effective, [...DefaultCapabilities]);
    assert.deepEqual(c.permitted, [...DefaultCapabilities]);
    assert.equal(c.inheritable, undefined);
  });
  it('gives non-root users only the bounding set', () => {
    assert.deepEqual(spec({ user: '1000' }).process.capabilities, { bounding: [...DefaultCapabilities] });
  });
  it('adds and drops, with or without CAP_, any case', () => {
    const b = spec({ capAdd: ['net_admin', 'CAP_SYS_TIME'], capDrop: ['MKNOD', 'cap_kill'] }).process.capabilities!.bounding!;
    assert.ok(b.includes('CAP_NET_ADMIN') && b.includes('CAP_SYS_TIME'));
    assert.ok(!b.includes('CAP_MKNOD') && !b.includes('CAP_KILL'));
  });
  it('supports ALL in both lists', () => {
    assert.deepEqual(spec({ capDrop: ['ALL'], capAdd: ['CHOWN'] }).process.capabilities!.bounding, ['CAP_CHOWN']);
    assert.deepEqual(spec({ capDrop: ['all'] }).process.capabilities!.bounding, []);
    const all = spec({ capAdd: ['ALL'], capDrop: ['SYS_ADMIN'] }).process.capabilities!.bounding!;
    assert.equal(all.length, facts.capabilities.length - 1);
    assert.ok(!all.includes('CAP_SYS_ADMIN'));
  });
  it('refuses unknown names and warns about ones the daemon lacks', () => {
    assert.throws(() => spec({ capAdd: ['FLY'] }), invalid(/^unknown capability: "CAP_FLY"$/));
    const { spec: s, warnings } = build({ capAdd: ['SYS_RESOURCE'] });
    assert.ok(!s.process.capabilities!.bounding!.includes('CAP_SYS_RESOURCE'));
    assert.match(warnings.join('\n'), /CAP_SYS_RESOURCE is not available/);
  });
  it('changes the seccomp filter with the capabilities', () => {
    const unshareAllowed = (s: ReturnType<typeof spec>) => (s.linux.seccomp?.syscalls ?? []).some((c) => c.names.includes('unshare') && c.action === 'SCMP_ACT_ALLOW');
    assert.equal(unshareAllowed(spec()), false);
    assert.equal(unshareAllowed(spec({ capAdd: ['SYS_ADMIN'] })), true);
  });
});

describe('spec: privileged', () => {
  const s = spec({ privileged: true });
  it('has every capability the daemon holds and no seccomp, masks or read-only paths', () => {
    assert.deepEqual(s.process.capabilities!.bounding, facts.capabilities);
    assert.equal(s.linux.seccomp, undefined);
    assert.equal(s.linux.maskedPaths, undefined);
    assert.equal(s.linux.readonlyPaths, undefined);
  });
  it('sees host devices, may use all of them and has a writable /sys', () => {
    assert.deepEqual(s.linux.devices, facts.hostDevices());
    assert.deepEqual(s.linux.resources!.devices, [{ allow: true, access: 'rwm' }]);
    assert.ok(!mount(s, '/sys')!.options!.includes('ro'));
    assert.ok(!mount(s, '/sys/fs/cgroup')!.options!.includes('ro'));
  });
});

describe('spec: security options', () => {
  it('sets no-new-privileges in all spellings', () => {
    assert.equal(spec().process.noNewPrivileges, false);
    for (const o of ['no-new-privileges', 'no-new-privileges=true', 'no-new-privileges:true']) assert.equal(spec({ securityOpt: [o] }).process.noNewPrivileges, true, o);
    assert.equal(spec({ securityOpt: ['no-new-privileges=false'] }).process.noNewPrivileges, false);
    assert.throws(() => spec({ securityOpt: ['no-new-privileges=maybe'] }), invalid(/no-new-privileges/));
  });
  it('applies the default seccomp profile, none with unconfined, or a custom file/JSON', () => {
    assert.equal(spec().linux.seccomp!.defaultAction, 'SCMP_ACT_ERRNO');
    assert.equal(spec({ securityOpt: ['seccomp=unconfined'] }).linux.seccomp, undefined);
    assert.equal(spec({ securityOpt: ['seccomp:unconfined'] }).linux.seccomp, undefined);
    const file = path.join(tempDir('spec-seccomp'), 'p.json');
    fs.writeFileSync(file, JSON.stringify({ defaultAction: 'SCMP_ACT_LOG', syscalls: [{ names: ['chmod'], action: 'SCMP_ACT_ERRNO' }] }));
    assert.deepEqual(spec({ securityOpt: [`seccomp=${file}`] }).linux.seccomp, { defaultAction: 'SCMP_ACT_LOG', syscalls: [{ names: ['chmod'], action: 'SCMP_ACT_ERRNO' }] });
    assert.equal(spec({ securityOpt: ['seccomp={"defaultAction":"SCMP_ACT_ALLOW"}'] }).linux.seccomp!.defaultAction, 'SCMP_ACT_ALLOW');
    assert.throws(() => spec({ securityOpt: ['seccomp=/nonexistent.json'] }), invalid(/opening seccomp profile \(\/nonexistent.json\) failed/));
    fs.writeFileSync(file, '{"defaultAction": 3}');
    assert.throws(() => spec({ securityOpt: [`seccomp=${file}`] }), invalid(/invalid seccomp profile: unknown defaultAction/));
  });
  it('drops masks with systempaths=unconfined, ignores LSM options with a warning, refuses the rest', () => {
    const s = spec({ securityOpt: ['systempaths=unconfined'] });
    assert.equal(s.linux.maskedPaths, undefined);
    assert.match(build({ securityOpt: ['apparmor=docker-default'] }).warnings.join(), /AppArmor/);
    assert.throws(() => spec({ securityOpt: ['bogus'] }), invalid(/invalid --security-opt: "bogus"/));
    assert.throws(() => spec({ securityOpt: ['what=ever'] }), invalid(/invalid --security-opt 2/));
  });
});

describe('spec: rlimits', () => {
  it('adds a default NOFILE clamped to the daemon\'s hard limit without a warning', () => {
    const { spec: s, warnings } = build();
    assert.deepEqual(s.process.rlimits, [{ type: 'RLIMIT_NOFILE', soft: 20000, hard: 20000 }]);
    assert.deepEqual(warnings, []);
  });
  it('uses --ulimit values, clamps them with a warning and refuses bad ones', () => {
    const { spec: s, warnings } = build({ ulimits: [{ name: 'nofile', soft: 1024, hard: 4096 }, { name: 'nproc', soft: 100, hard: 200000 }, { name: 'core', soft: -1, hard: -1 }] });
    assert.deepEqual(s.process.rlimits, [
      { type: 'RLIMIT_NOFILE', soft: 1024, hard: 4096 },
      { type: 'RLIMIT_NPROC', soft: 100, hard: 96365 },
      { type: 'RLIMIT_CORE', soft: Number.MAX_SAFE_INTEGER, hard: Number.MAX_SAFE_INTEGER },
    ]);
    assert.match(warnings.join(), /RLIMIT_NPROC/);
    assert.throws(() => spec({ ulimits: [{ name: 'bogus', soft: 1, hard: 1 }] }), invalid(/invalid ulimit type: bogus/));
    assert.throws(() => spec({ ulimits: [{ name: 'nofile', soft: 10, hard: 5 }] }), invalid(/soft limit must be less than or equal to hard limit: 10 > 5/));
  });
});

describe('spec: root, mounts', () => {
  it('roots at the rootfs, read-only on request', () => {
    assert.deepEqual(spec().root, { path: rootfs, readonly: false });
    assert.deepEqual(spec({ readOnlyRootfs: true }).root, { path: rootfs, readonly: true });
  });
  it('has Docker\'s default mounts in mount order', () => {
    const s = spec();
    assert.deepEqual(s.mounts.map((m) => m.destination), ['/proc', '/dev', '/dev/pts', '/dev/shm', '/dev/mqueue', '/sys', '/sys/fs/cgroup', '/etc/hosts', '/etc/hostname', '/etc/resolv.conf']);
    assert.deepEqual(mount(s, '/proc'), { destination: '/proc', type: 'proc', source: 'proc', options: ['nosuid', 'noexec', 'nodev'] });
    assert.deepEqual(mount(s, '/dev'), { destination: '/dev', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k'] });
    assert.deepEqual(mount(s, '/dev/pts')!.options, ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620', 'gid=5']);
    assert.deepEqual(mount(s, '/sys'), { destination: '/sys', type: 'sysfs', source: 'sysfs', options: ['nosuid', 'noexec', 'nodev', 'ro'] });
    assert.deepEqual(mount(s, '/sys/fs/cgroup'), { destination: '/sys/fs/cgroup', type: 'cgroup', source: 'cgroup', options: ['ro', 'nosuid', 'noexec', 'nodev'] });
    assert.equal(mount(s, '/dev/mqueue')!.type, 'mqueue');
    assert.deepEqual(mount(s, '/etc/resolv.conf'), { destination: '/etc/resolv.conf', type: 'bind', source: '/run/c/resolv.conf', options: ['rbind', 'rprivate'] });
    assert.deepEqual(mount(spec({ readOnlyRootfs: true }), '/etc/hosts')!.options, ['rbind', 'rprivate', 'ro']);
  });
  it('sizes /dev/shm (64m default) or binds the caller\'s', () => {
    assert.deepEqual(mount(spec(), '/dev/shm'), { destination: '/dev/shm', type: 'tmpfs', source: 'shm', options: ['nosuid', 'noexec', 'nodev', 'mode=1777', 'size=67108864'] });
    assert.ok(mount(spec({ shmSize: 1048576 }), '/dev/shm')!.options!.includes('size=1048576'));
    assert.deepEqual(mount(spec({}, { shmPath: '/run/c/shm' }), '/dev/shm'), { destination: '/dev/shm', type: 'bind', source: '/run/c/shm', options: ['rbind', 'rprivate', 'nosuid', 'noexec', 'nodev'] });
    assert.throws(() => spec({ shmSize: -1 }), invalid(/SHM size can not be less than 0/));
  });
  it('refuses relative host paths', () => {
    assert.throws(() => spec({}, { files: { hosts: 'hosts', hostname: '/h', resolvConf: '/r' } }), invalid(/must be an absolute path/));
    assert.throws(() => spec({}, { cgroupsPath: '/berth/../../etc' }), invalid(/must not contain/));
  });
});

describe('spec: linux', () => {
  const types = (s: ReturnType<typeof spec>) => s.linux.namespaces.map((n) => n.type);
  it('isolates pid, network, ipc, uts, mount and cgroup', () => {
    assert.deepEqual(spec().linux.namespaces, [{ type: 'pid' }, { type: 'network' }, { type: 'ipc' }, { type: 'uts' }, { type: 'mount' }, { type: 'cgroup' }]);
    assert.deepEqual(types(spec({ networkMode: 'none' })), ['pid', 'network', 'ipc', 'uts', 'mount', 'cgroup']);
  });
  it('shares the host network, or joins a given one', () => {
    assert.ok(!types(spec({ networkMode: 'host' })).includes('network'));
    assert.deepEqual(spec({ networkMode: 'bridge' }, { netnsPath: '/run/netns/x' }).linux.namespaces[1], { type: 'network', path: '/run/netns/x' });
    assert.throws(() => spec({ networkMode: 'container:abc' }), invalid(/needs the other container's network namespace/));
  });
  it('adds user namespaces with a fixed 65536-id mapping, and time namespaces', () => {
    const s = spec({ usernsMode: 'private', timeNamespace: true });
    assert.deepEqual(types(s).slice(-2), ['user', 'time']);
    assert.deepEqual(s.linux.uidMappings, [{ containerID: 0, hostID: 100000, size: 65536 }]);
    assert.deepEqual(s.linux.gidMappings, [{ containerID: 0, hostID: 100000, size: 65536 }]);
    assert.ok(!mount(s, '/sys/fs/cgroup')!.options!.includes('ro'));
    assert.equal(mount(spec({ usernsMode: 'private', networkMode: 'host' }), '/sys')!.type, 'bind');
    assert.equal(spec().linux.uidMappings, undefined);
    assert.throws(() => spec({ usernsMode: 'remap' }), invalid(/invalid user namespace mode/));
  });
  it('masks and write-protects Docker\'s /proc and /sys paths', () => {
    const s = spec();
    assert.deepEqual(s.linux.maskedPaths, [...MaskedPaths]);
    for (const p of ['/proc/kcore', '/proc/keys', '/proc/timer_list', '/proc/sched_debug', '/proc/scsi', '/sys/firmware', '/sys/devices/virtual/powercap', '/proc/acpi']) assert.ok(s.linux.maskedPaths!.includes(p), p);
    assert.deepEqual(s.linux.readonlyPaths, ['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger']);
    assert.deepEqual(ReadonlyPaths, s.linux.readonlyPaths);
  });
  it('denies all devices but Docker\'s defaults', () => {
    const d = spec().linux.resources!.devices!;
    assert.deepEqual(d[0], { allow: false, access: 'rwm' });
    const allowedNodes = d.filter((r) => r.allow).map((r) => `${r.major}:${r.minor}`);
    assert.deepEqual(allowedNodes, ['1:5', '1:3', '1:9', '1:8', '5:0', '5:1']);
    assert.deepEqual(d.at(-1), { allow: false, type: 'c', major: 10, minor: 229, access: 'rwm' });
    assert.equal(spec().linux.devices, undefined);
  });
  it('lets unprivileged processes bind low ports and ping in a private network namespace', () => {
    assert.deepEqual(spec().linux.sysctl, { 'net.ipv4.ip_unprivileged_port_start': '0', 'net.ipv4.ping_group_range': '0 2147483647' });
    assert.deepEqual(spec({ usernsMode: 'private' }).linux.sysctl, { 'net.ipv4.ip_unprivileged_port_start': '0' });
    assert.equal(spec({ networkMode: 'host' }).linux.sysctl, undefined);
  });
  it('places the container in its cgroup', () => assert.equal(spec().linux.cgroupsPath, `/berth/${id}`));
});

describe('spec: resources', () => {
  const res = (o: Partial<CreateContainerOptions>) => spec(o).linux.resources!;
  it('sets memory with Docker\'s swap default of twice the memory', () => {
    assert.deepEqual(res({ memory: 64 << 20 }).memory, { limit: 64 << 20, swap: 128 << 20 });
    assert.deepEqual(res({ memory: 64 << 20, memorySwap: -1 }).memory, { limit: 64 << 20, swap: -1 });
    assert.deepEqual(res({ memory: 64 << 20, memorySwap: 100 << 20 }).memory, { limit: 64 << 20, swap: 100 << 20 });
    assert.equal(res({}).memory, undefined);
  });
  it('omits swap with a warning without swap accounting', () => {
    const r = buildSpecFor(input({ memory: 64 << 20, memorySwap: 100 << 20 }), { ...facts, swapAccounting: false });
    assert.deepEqual(r.spec.linux.resources!.memory, { limit: 64 << 20 });
    assert.match(r.warnings.join(), /does not support swap limit/);
  });
  it('refuses impossible memory settings with Docker\'s messages', () => {
    assert.throws(() => spec({ memory: 1024 }), invalid(/^Minimum memory limit allowed is 6MB$/));
    assert.throws(() => spec({ memorySwap: 1 << 30 }), invalid(/always set the Memory limit when using Memoryswap/));
    assert.throws(() => spec({ memory: 64 << 20, memorySwap: 32 << 20 }), invalid(/Minimum memoryswap limit should be larger than memory limit/));
    assert.throws(() => spec({ memory: 1.5 }), invalid(/not an integer/));
  });
  it('turns --cpus into quota/period and refuses conflicts', () => {
    assert.deepEqual(res({ nanoCpus: 1.5e9 }).cpu, { quota: 150000, period: 100000 });
    assert.deepEqual(res({ nanoCpus: 5e8, cpuShares: 512 }).cpu, { shares: 512, quota: 50000, period: 100000 });
    assert.deepEqual(res({ cpuQuota: 20000, cpuPeriod: 50000 }).cpu, { quota: 20000, period: 50000 });
    assert.throws(() => spec({ nanoCpus: 1e9, cpuPeriod: 100000 }), invalid(/^Conflicting options: Nano CPUs and CPU Period cannot both be set$/));
    assert.throws(() => spec({ nanoCpus: 1e9, cpuQuota: 50000 }), invalid(/^Conflicting options: Nano CPUs and CPU Quota cannot both be set$/));
    assert.throws(() => spec({ nanoCpus: 3e9 }), invalid(/Range of CPUs is from 0.01 to 2.00, as there are only 2 CPUs available/));
    assert.throws(() => spec({ cpuPeriod: 10 }), invalid(/CPU cfs period/));
    assert.throws(() => spec({ cpuQuota: 10 }), invalid(/CPU cfs quota/));
  });
  it('clamps cpu shares with a warning', () => {
    const r = build({ cpuShares: 1 });
    assert.deepEqual(r.spec.linux.resources!.cpu, { shares: 2 });
    assert.match(r.warnings.join(), /Changing requested CPUShares of 1 to minimum allowed of 2/);
  });
  it('limits pids when positive', () => {
    assert.deepEqual(res({ pidsLimit: 20 }).pids, { limit: 20 });
    assert.equal(res({ pidsLimit: -1 }).pids, undefined);
    assert.equal(res({ pidsLimit: 0 }).pids, undefined);
  });
});
