/**
 * Isolation seen from inside a container started by `berth run`, on crun and on runc (one suite,
 * two runtimes): PID 1 is the command, own hostname and mount table, privileged operations refused
 * without capabilities, masked /proc paths, read-only rootfs, user switching, pids limit, --init.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { busyboxImage } from '../helpers/test-image.js';
import { startDaemon, teardown, type Daemon } from './harness.js';

let d: Daemon;
before(async () => {
  assert.equal(process.getuid?.(), 0, 'isolation tests need root');
  d = await startDaemon('cli-iso');
  const r = await d.berth(['load', '-i', busyboxImage().dockerArchive]);
  assert.equal(r.code, 0, r.stderr);
});
after(() => teardown(d));

for (const runtime of ['crun', 'runc'] as const) {
  describe(`isolation on ${runtime}`, () => {
    const run = (args: string[], cmd: string) => d.berth(['run', '--rm', '--runtime', runtime, ...args, 'busybox', 'sh', '-c', cmd]);

    test('PID 1 is the command; own hostname, mount table, pid and uts namespaces', async () => {
      const r = await run(['--hostname', 'inside'], 'cat /proc/1/cmdline | tr "\\0" " "; echo; hostname; readlink /proc/self/ns/pid; readlink /proc/self/ns/mnt; ps -o pid | wc -l');
      assert.equal(r.code, 0, r.stderr);
      const [cmdline, hostname, pidns, mntns, procs] = r.stdout.trim().split('\n');
      assert.equal(cmdline!.trim(), 'sh -c ' + 'cat /proc/1/cmdline | tr "\\0" " "; echo; hostname; readlink /proc/self/ns/pid; readlink /proc/self/ns/mnt; ps -o pid | wc -l');
      assert.equal(hostname, 'inside');
      assert.notEqual(pidns, fs.readlinkSync('/proc/self/ns/pid'), 'own pid namespace');
      assert.notEqual(mntns, fs.readlinkSync('/proc/self/ns/mnt'), 'own mount namespace');
      assert.ok(Number(procs) <= 6, `only the container's processes are visible (${procs} lines)`);
    });

    test('mount and ip link add are refused without capabilities; masked /proc paths read empty', async () => {
      const r = await run([], 'mkdir -p /tmp/m; mount -t tmpfs x /tmp/m 2>&1 && echo MOUNTED; ip link add d0 type dummy 2>&1 && echo LINKED; wc -c < /proc/keys; wc -c < /proc/timer_list; ls /sys/firmware | wc -l; echo 1 > /proc/sys/kernel/domainname 2>&1 || echo RO-SYS');
      assert.equal(r.code, 0, r.stderr);
      assert.doesNotMatch(r.stdout, /MOUNTED|LINKED/);
      assert.match(r.stdout, /[Pp]ermission denied|Operation not permitted/);
      const lines = r.stdout.trim().split('\n');
      assert.deepEqual(lines.slice(-4), ['0', '0', '0', 'RO-SYS']);
      // /proc/kcore does not exist on this kernel; where it does, it is masked like /proc/keys.
      if (fs.existsSync('/proc/kcore')) {
        const k = await run([], 'wc -c < /proc/kcore');
        assert.equal(k.stdout.trim(), '0');
      }
    });

    test('--cap-add SYS_ADMIN allows the mount the default set refuses', async () => {
      const r = await run(['--cap-add', 'SYS_ADMIN'], 'mkdir -p /tmp/m && mount -t tmpfs x /tmp/m && echo MOUNTED');
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout.trim(), 'MOUNTED');
    });

    test('inspect shows the pid, namespace inodes, cgroup path, mounts and the OCI spec used', async () => {
      const id = (await d.berth(['run', '-d', '--runtime', runtime, 'busybox', 'sleep', '30'])).stdout.trim();
      try {
        const r = await d.berth(['inspect', '--format', '{{json .}}', id]);
        assert.equal(r.code, 0, r.stderr);
        const info = JSON.parse(r.stdout) as { State: { Pid: number }; Berth: { Namespaces: Record<string, string>; CgroupPath: string; Mounts: Array<{ destination: string }>; OCISpec: { process: { args: string[] }; linux: { cgroupsPath: string } } } };
        assert.ok(info.State.Pid > 0);
        assert.equal(info.Berth.Namespaces.pid, fs.readlinkSync(`/proc/${info.State.Pid}/ns/pid`));
        assert.equal(info.Berth.Namespaces.mnt, fs.readlinkSync(`/proc/${info.State.Pid}/ns/mnt`));
        assert.equal(info.Berth.CgroupPath, info.Berth.OCISpec.linux.cgroupsPath);
        assert.ok(info.Berth.Mounts.some((m) => m.destination === '/proc'));
        assert.deepEqual(info.Berth.OCISpec.process.args, ['sleep', '30']);
      } finally {
        await d.berth(['rm', '-f', id]);
      }
    });

    test('seccomp: the default profile blocks unshare(CLONE_NEWUSER); seccomp=unconfined allows it', async () => {
      const confined = await run([], 'grep "^Seccomp:" /proc/self/status; unshare -U true 2>&1; echo rc=$?');
      assert.match(confined.stdout, /Seccomp:\s+2/);
      assert.match(confined.stdout, /Operation not permitted[\s\S]*rc=1/);
      const unconfined = await run(['--security-opt', 'seccomp=unconfined'], 'grep "^Seccomp:" /proc/self/status; unshare -U true; echo rc=$?');
      assert.match(unconfined.stdout, /Seccomp:\s+0/);
      assert.match(unconfined.stdout, /rc=0/);
      if (runtime === 'crun') {
        // crun gets the filter precompiled; runc compiles the JSON section itself.
        const id = (await d.berth(['create', '--runtime', runtime, 'busybox', 'true'])).stdout.trim();
        const spec = await d.berth(['inspect', '--format', '{{json .Berth.OCISpec.annotations}}', id]);
        await d.berth(['rm', '-f', id]);
        assert.match(spec.stdout, /run\.oci\.seccomp_bpf_data/, spec.stderr);
      }
    });

    test('read-only rootfs refuses writes; user switching by uid and by name from the image', async () => {
      const ro = await run(['--read-only'], 'touch /x 2>&1; echo ok > /dev/shm/y && cat /dev/shm/y');
      assert.match(ro.stdout, /Read-only file system/);
      assert.match(ro.stdout, /ok/);
      const byUid = await run(['-u', '1000'], 'id -u; touch /root/x 2>&1 || echo DENIED');
      assert.match(byUid.stdout, /^1000\n/);
      assert.match(byUid.stdout, /DENIED/);
      const byName = await run(['-u', 'berth'], 'id -un; id -G');
      assert.deepEqual(byName.stdout.trim().split('\n'), ['berth', '1000 50']);
      const unknown = await d.berth(['run', '--rm', '--runtime', runtime, '-u', 'nobody-here', 'busybox', 'true']);
      assert.equal(unknown.code, 125, unknown.stderr);
      assert.match(unknown.stderr, /nobody-here/);
    });

    test('pids limit stops a fork bomb; memory and pids limits show in the cgroup', async () => {
      // Only shell builtins after the bomb: at the limit, even `cat` could not be forked.
      const r = await run(['--pids-limit', '20', '--memory', '32m'], '(for i in $(seq 60); do sleep 30 & done) 2>/dev/null; read c < /sys/fs/cgroup/pids/pids.current; read m < /sys/fs/cgroup/pids/pids.max; read e < /sys/fs/cgroup/pids/pids.events; read l < /sys/fs/cgroup/memory/memory.limit_in_bytes; echo "$c|$m|$e|$l"; kill -9 -1');
      assert.equal(r.code, 0, r.stderr);
      const [current, max, events, memLimit] = r.stdout.trim().split('|');
      assert.ok(Number(current) <= 20, `never more than 20 pids (${current})`);
      assert.equal(max, '20');
      assert.match(events!, /^max [1-9]\d*$/, 'forks were refused at the limit');
      assert.equal(memLimit, String(32 * 1024 * 1024));
    });

    test('--init reaps orphaned zombies and is PID 1', async () => {
      const r = await run(['--init'], 'sh -c "sleep 0.2 &" ; sleep 1; grep -l "^State:.*Z" /proc/[0-9]*/status 2>/dev/null | wc -l; cat /proc/1/comm');
      assert.equal(r.code, 0, r.stderr);
      // catatonit is bind-mounted at /dev/init, so PID 1's comm is "init".
      assert.deepEqual(r.stdout.trim().split('\n'), ['0', 'init']);
    });
  });
}
