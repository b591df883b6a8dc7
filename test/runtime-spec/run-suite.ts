/**
 * The bare-runtime conformance suite: the same checks of berth's generated spec under crun and
 * runc (crun.test.ts and runc.test.ts each run it once). Everything is observed from inside the
 * container or from its real cgroup on the host.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import path from 'node:path';
import { oomKilled, readPids, readStats } from '../../src/engine/runtime/cgroups/index.js';
import { buildExecProcess } from '../../src/engine/runtime/spec/index.js';
import { BareRuntime, cleanupCgroups, type RuntimeName } from './helpers/bare-runtime.js';

export function runtimeSpecSuite(runtime: RuntimeName): void {
  describe(`generated spec under bare ${runtime}`, () => {
    let rt: BareRuntime;
    before(() => {
      rt = new BareRuntime(runtime);
    });
    after(() => {
      cleanupCgroups();
      fs.rmSync(rt.dir, { recursive: true, force: true });
    });

    const sh = (script: string) => ({ cmd: ['sh', '-c', script] });

    it('runs the command as PID 1 with the container hostname', async () => {
      const r = await rt.run({ cmd: ['cat', '/proc/1/cmdline'] });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, 'cat\0/proc/1/cmdline\0');
      const h = await rt.run({ ...sh('hostname; cat /etc/hostname'), hostname: 'inner-name' });
      assert.equal(h.stdout, 'inner-name\nspec-test\n', h.stderr);
      const d = await rt.run({ cmd: ['hostname'] });
      assert.equal(d.stdout.trim(), d.spec.hostname);
      assert.equal(d.stdout.trim().length, 12);
    });

    it('runs catatonit as PID 1 with --init', async () => {
      const r = await rt.run({ ...sh('cat /proc/1/cmdline | tr "\\0" " "; echo; echo $$'), init: true }, { initPath: '/usr/bin/catatonit' });
      assert.equal(r.code, 0, r.stderr);
      const [cmdline, shPid] = r.stdout.trim().split('\n');
      assert.match(cmdline!, /^\/dev\/init -- sh -c /);
      assert.notEqual(shPid, '1');
    });

    it('does normal work: files, pipes, env, cwd', async () => {
      const r = await rt.run({ ...sh('echo hi > /tmp/f && cat /tmp/f | wc -c && echo "$GREETING" && pwd && ls /bin/busybox'), env: ['GREETING=hello'], workingDir: '/tmp' });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, '3\nhello\n/tmp\n/bin/busybox\n');
    });

    it('cannot mount, create links or see masked /proc files without capabilities', async () => {
      const m = await rt.run(sh('mkdir -p /mnt && mount -t tmpfs x /mnt'));
      assert.notEqual(m.code, 0);
      assert.match(m.stderr, /permission denied|not permitted/i);
      const ip = await rt.run({ cmd: ['ip', 'link', 'add', 'd0', 'type', 'dummy'] });
      assert.notEqual(ip.code, 0);
      assert.match(ip.stderr, /not permitted|permission denied/i);
      // Masked files read as /dev/null (1:3), masked dirs as an empty read-only tmpfs; /proc/sys is read-only.
      // (/proc/kcore is not built into this host's kernel: checked only where it exists.)
      const k = await rt.run(sh('for f in /proc/keys /proc/timer_list /proc/kcore; do [ -e $f ] && echo $f $(stat -c %t:%T $f) $(wc -c < $f); done; ls -A /sys/firmware | wc -l; echo 1 > /proc/sys/kernel/domainname || echo ro-ok'));
      assert.equal(k.code, 0, k.stderr);
      const lines = k.stdout.trim().split('\n');
      assert.deepEqual(lines.filter((l) => !l.startsWith('/proc/kcore')), ['/proc/keys 1:3 0', '/proc/timer_list 1:3 0', '0', 'ro-ok']);
      if (fs.existsSync('/proc/kcore')) assert.ok(lines.includes('/proc/kcore 1:3 0'));
    });

    it('may mount with CAP_SYS_ADMIN added (seccomp and caps follow each other)', async () => {
      const r = await rt.run({ ...sh('mkdir -p /mnt && mount -t tmpfs x /mnt && echo mounted'), capAdd: ['SYS_ADMIN'] });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, 'mounted\n');
    });

    it('switches users by number and by name from the image passwd', async () => {
      const n = await rt.run({ ...sh('id -u; id -g'), user: '1000' });
      assert.equal(n.stdout, '1000\n1000\n', n.stderr);
      const b = await rt.run({ ...sh('id -un; id -G'), user: 'berth' });
      assert.equal(b.stdout, 'berth\n1000 50\n', b.stderr);
      const g = await rt.run({ ...sh('id -u; id -g'), user: 'nobody:staff' });
      assert.equal(g.stdout, '65534\n50\n', g.stderr);
    });

    it('refuses writes to a read-only rootfs but not to /dev/shm', async () => {
      const r = await rt.run({ ...sh('touch /x 2>&1; echo rc=$?; touch /dev/shm/ok && echo shm-ok'), readOnlyRootfs: true });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /Read-only file system/);
      assert.match(r.stdout, /rc=1\nshm-ok\n$/);
    });

    it('applies the memory limit and reads it back as stats from the host cgroup', async () => {
      const inside = await rt.run({ ...sh('cat /sys/fs/cgroup/memory/memory.limit_in_bytes'), memory: 64 << 20 });
      assert.equal(inside.stdout.trim(), String(64 << 20), inside.stderr);
      const c = rt.start({ ...sh('sleep 30 & echo started; wait'), memory: 64 << 20, pidsLimit: 50 });
      try {
        const deadline = Date.now() + 5000;
        while (!fs.readFileSync(c.log, 'utf8').includes('started') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
        const stats = await readStats(c.cgroupsPath);
        assert.equal(stats.memory.limit, 64 << 20);
        assert.ok(stats.memory.usage > 0);
        assert.equal(stats.pids.limit, 50);
        assert.equal(stats.pids.current, 2);
        assert.ok(stats.cpu.totalUsageNs > 0);
        assert.ok(stats.cpu.systemUsageNs > 0 && stats.cpu.onlineCpus >= 1);
        const pids = await readPids(c.cgroupsPath);
        assert.equal(pids.length, 2);
        for (const p of pids) assert.ok(fs.existsSync(`/proc/${p}`));
        assert.equal(oomKilled(c.cgroupsPath), false);
      } finally {
        rt.kill(c.id);
        await rt.waitStopped(c.id);
        rt.delete(c.id);
      }
    });

    it('reports an OOM kill from the cgroup', async () => {
      const c = rt.start({ ...sh('x=$(head -c 64000000 /dev/zero | tr "\\0" a); echo ${#x}'), memory: 8 << 20, memorySwap: 8 << 20 });
      try {
        await rt.waitStopped(c.id);
        assert.equal(oomKilled(c.cgroupsPath), true);
      } finally {
        rt.delete(c.id);
      }
    });

    it('stops forks at the pids limit', async () => {
      // The inner shell gives up at the first failed fork; its sleeps live on under PID 1, which counts them.
      const r = await rt.run({ ...sh('sh -c "for i in \\$(seq 100); do sleep 5 & done"; echo rc=$?; read n < /sys/fs/cgroup/pids/pids.current; echo current=$n'), pidsLimit: 20 });
      assert.match(r.stderr, /can't fork: Resource temporarily unavailable/);
      assert.match(r.stdout, /^rc=2\n/);
      const current = Number(/current=(\d+)/.exec(r.stdout)?.[1]);
      assert.ok(current > 10 && current <= 20, r.stdout);
    });

    it('blocks unshare with the default seccomp profile but not when unconfined', async () => {
      const blocked = await rt.run({ cmd: ['unshare', '-U', 'true'] });
      assert.notEqual(blocked.code, 0);
      assert.match(blocked.stderr, /not permitted/i);
      const free = await rt.run({ cmd: ['unshare', '-U', 'true'], securityOpt: ['seccomp=unconfined'] });
      assert.equal(free.code, 0, free.stderr);
    });

    it('keeps the daemon\'s hard limits: default nofile and clamped ulimits', async () => {
      const r = await rt.run({ ...sh('ulimit -n; ulimit -Hn; ulimit -u; ulimit -c; ulimit -Hc'), ulimits: [{ name: 'nproc', soft: 500, hard: 10_000_000 }, { name: 'core', soft: -1, hard: -1 }] });
      assert.equal(r.code, 0, r.stderr);
      const hostNofile = /Max open files\s+\d+\s+(\d+)/.exec(fs.readFileSync('/proc/self/limits', 'utf8'))![1];
      assert.deepEqual(r.stdout.trim().split('\n'), [hostNofile, hostNofile, '500', 'unlimited', 'unlimited']);
      assert.match(r.warnings.join(), /RLIMIT_NPROC/);
    });

    it('has no network but loopback by default (where users may bind low ports), and the host\'s in host mode', async () => {
      const own = await rt.run({ cmd: ['ls', '/sys/class/net'] });
      assert.equal(own.stdout.trim(), 'lo', own.stderr);
      const low = await rt.run({ ...sh('cat /proc/sys/net/ipv4/ip_unprivileged_port_start; nc -l -p 80 -w 1 & sleep 0.2; netstat -ltn | grep -c ":80 "'), user: 'berth' });
      assert.equal(low.stdout, '0\n1\n', low.stderr);
      const host = await rt.run({ cmd: ['ls', '/sys/class/net'], networkMode: 'host' });
      assert.deepEqual(host.stdout.trim().split(/\s+/).sort(), fs.readdirSync('/sys/class/net').sort());
    });

    it('runs exec processes built from the container spec', async () => {
      const c = rt.start({ ...sh('sleep 30'), env: ['FROM_CONTAINER=1'], user: 'berth', workingDir: '/home/berth' });
      try {
        const plain = rt.exec(c.id, buildExecProcess(c.spec, { cmd: ['sh', '-c', 'id -u; pwd; echo $FROM_CONTAINER$EXTRA'], env: ['EXTRA=2'] }, rt.rootfs));
        assert.equal(plain.stdout, '1000\n/home/berth\n12\n', plain.stderr);
        const asRoot = rt.exec(c.id, buildExecProcess(c.spec, { cmd: ['sh', '-c', 'id -u; id -G; pwd'], user: 'root', workingDir: '/tmp' }, rt.rootfs));
        assert.equal(asRoot.stdout, '0\n0\n/tmp\n', asRoot.stderr);
        const priv = rt.exec(c.id, buildExecProcess(c.spec, { cmd: ['sh', '-c', 'grep CapEff /proc/self/status'], user: 'root', privileged: true }, rt.rootfs));
        assert.equal(priv.stdout.trim(), /^CapEff:.*$/m.exec(fs.readFileSync('/proc/self/status', 'utf8'))![0], 'every capability the daemon holds');
        const dflt = rt.exec(c.id, buildExecProcess(c.spec, { cmd: ['sh', '-c', 'grep CapEff /proc/self/status'], user: 'root' }, rt.rootfs));
        assert.equal(dflt.stdout.trim(), 'CapEff:\t00000000a80425fb', 'Docker\'s default set');
      } finally {
        rt.kill(c.id);
        await rt.waitStopped(c.id);
        rt.delete(c.id);
      }
    });

    it('gives privileged containers host devices, mounts and all held capabilities', async () => {
      const r = await rt.run({ ...sh('ls /dev/kmsg >/dev/null && mkdir -p /mnt && mount -t tmpfs x /mnt && grep -E "^(CapEff|Seccomp):" /proc/self/status'), privileged: true });
      assert.equal(r.code, 0, r.stderr);
      const own = fs.readFileSync('/proc/self/status', 'utf8');
      assert.equal(r.stdout, `${/^CapEff:.*$/m.exec(own)![0]}\nSeccomp:\t0\n`);
    });

    it('applies a custom seccomp profile file', async () => {
      const profile = path.join(rt.dir, 'no-mkdir.json');
      fs.writeFileSync(profile, JSON.stringify({ defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: ['mkdir', 'mkdirat'], action: 'SCMP_ACT_ERRNO', errnoRet: 13 }] }));
      const r = await rt.run({ ...sh('mkdir /tmp/d 2>&1; touch /tmp/f && echo touch-ok'), securityOpt: [`seccomp=${profile}`] });
      assert.match(r.stdout, /Permission denied\ntouch-ok\n$/, r.stderr);
    });

    it('maps root to host uid 100000 in a private user namespace', async () => {
      const r = await rt.run({ ...sh('cat /proc/self/uid_map; id -u'), usernsMode: 'private' });
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(r.stdout.trim().split(/\s+/), ['0', '100000', '65536', '0']);
    });
  });
}
