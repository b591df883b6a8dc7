/**
 * Volumes end to end through a real `berth server` and the berth CLI: copy-up and persistence,
 * bind mounts (read-only enforced), tmpfs, anonymous volumes from the image's VOLUME, rm -v,
 * --volumes-from, in-use refusal, prune semantics, and hostile names and paths.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { berthOk, startWithBusybox } from '../helpers/busybox-daemon.js';
import { scratchDir } from '../helpers/test-image.js';
import { restartDaemon, teardown, type Daemon } from '../cli/harness.js';

let d: Daemon;
before(async () => {
  d = await startWithBusybox('volumes');
});
after(() => teardown(d));

const ok = (args: string[]): Promise<string> => berthOk(d, args);

interface MountJson { Type: string; Name?: string; Source: string; Destination: string; Driver?: string; Mode: string; RW: boolean; Propagation: string }

async function mountsOf(ref: string): Promise<MountJson[]> {
  return (JSON.parse(await ok(['inspect', ref])) as Array<{ Mounts: MountJson[] }>)[0]!.Mounts;
}

test('a new named volume is populated from the image, keeps modes and symlinks, and survives container removal and a daemon restart', async () => {
  assert.equal(await ok(['run', '--rm', '-v', 'seeded:/data', 'busybox', 'cat', '/data/seed.txt']), 'seeded by the image\n');
  await ok(['run', '--rm', '-v', 'seeded:/data', 'busybox', 'sh', '-c', 'echo kept > /data/new.txt']);
  // Copy-up happens only into an empty volume: the image's seed file is not copied back over a change.
  await ok(['run', '--rm', '-v', 'seeded:/data', 'busybox', 'rm', '/data/seed.txt']);
  assert.equal(await ok(['run', '--rm', '-v', 'seeded:/data', 'busybox', 'ls', '/data']), 'new.txt\n');
  // /bin is all symlinks to busybox: run a shell through the copied links; /tmp keeps its sticky mode.
  assert.equal(await ok(['run', '--rm', '-v', 'bins:/bin', 'busybox', 'sh', '-c', 'readlink /bin/sh; echo ok']), 'busybox\nok\n');
  assert.equal(await ok(['run', '--rm', '-v', 'tmps:/tmp', 'busybox', 'stat', '-c', '%a %u', '/tmp']), '1777 0\n');
  // nocopy leaves a new volume empty.
  assert.equal(await ok(['run', '--rm', '-v', 'empty:/data:nocopy', 'busybox', 'ls', '-A', '/data']), '');

  const inspected = JSON.parse(await ok(['volume', 'inspect', 'seeded'])) as Array<{ Name: string; Driver: string; Mountpoint: string; Scope: string; Labels: Record<string, string> }>;
  assert.equal(inspected[0]!.Name, 'seeded');
  assert.equal(inspected[0]!.Driver, 'local');
  assert.equal(inspected[0]!.Mountpoint, path.join(d.dataDir, 'volumes', 'seeded', '_data'));
  assert.equal(fs.readFileSync(path.join(inspected[0]!.Mountpoint, 'new.txt'), 'utf8'), 'kept\n');

  await d.stop();
  d = await restartDaemon(d);
  assert.match(await ok(['volume', 'ls']), /^local\s+seeded$/m);
  assert.equal(await ok(['run', '--rm', '-v', 'seeded:/data', 'busybox', 'cat', '/data/new.txt']), 'kept\n');
  await ok(['volume', 'rm', 'seeded', 'bins', 'tmps', 'empty']);
  assert.equal(fs.existsSync(path.join(d.dataDir, 'volumes', 'seeded')), false);
});

test('bind mounts: host files seen and written through; read-only really read-only; inspect shows the mount like docker', async () => {
  const host = scratchDir('bind-src');
  fs.writeFileSync(path.join(host, 'from-host'), 'hello\n');
  assert.equal(await ok(['run', '--rm', '-v', `${host}:/mnt`, 'busybox', 'sh', '-c', 'cat /mnt/from-host; echo back > /mnt/from-ctr']), 'hello\n');
  assert.equal(fs.readFileSync(path.join(host, 'from-ctr'), 'utf8'), 'back\n');

  const ro = await d.berth(['run', '--rm', '-v', `${host}:/mnt:ro`, 'busybox', 'sh', '-c', 'cat /mnt/from-host; echo x > /mnt/nope']);
  assert.equal(ro.code, 1);
  assert.equal(ro.stdout, 'hello\n');
  assert.match(ro.stderr, /Read-only file system/);
  assert.equal(fs.existsSync(path.join(host, 'nope')), false);
  const roMount = await d.berth(['run', '--rm', '--mount', `type=bind,source=${host},target=/mnt,readonly`, 'busybox', 'touch', '/mnt/nope']);
  assert.equal(roMount.code, 1);
  assert.match(roMount.stderr, /Read-only file system/);

  // -v creates a missing source directory; --mount refuses it, as docker does.
  const missing = path.join(host, 'made', 'by-v');
  await ok(['run', '--rm', '-v', `${missing}:/m`, 'busybox', 'true']);
  assert.equal(fs.statSync(missing).isDirectory(), true);
  const refused = await d.berth(['run', '--rm', '--mount', `type=bind,src=${host}/absent,dst=/m`, 'busybox', 'true']);
  assert.equal(refused.code, 125);
  assert.match(refused.stderr, /bind source path does not exist: .*\/absent/);

  const id = (await ok(['create', '-v', `${host}:/mnt:ro`, '-v', 'named-b:/data', 'busybox', 'true'])).trim();
  const mounts = await mountsOf(id);
  assert.deepEqual(mounts.find((m) => m.Type === 'bind'), { Type: 'bind', Source: host, Destination: '/mnt', Mode: 'ro', RW: false, Propagation: 'rprivate' });
  assert.deepEqual(mounts.find((m) => m.Type === 'volume'), { Type: 'volume', Name: 'named-b', Source: path.join(d.dataDir, 'volumes', 'named-b', '_data'), Destination: '/data', Driver: 'local', Mode: '', RW: true, Propagation: '' });
  const hostConfig = (JSON.parse(await ok(['inspect', id])) as Array<{ HostConfig: { Binds: string[] } }>)[0]!.HostConfig;
  assert.deepEqual(hostConfig.Binds, [`${host}:/mnt:ro`, 'named-b:/data']);
  await ok(['rm', id]);
  await ok(['volume', 'rm', 'named-b']);
});

test('tmpfs mounts are tmpfs with the asked size and mode, and empty', async () => {
  const out = await ok(['run', '--rm', '--tmpfs', '/scratch:size=1m,mode=1770', '--mount', 'type=tmpfs,target=/t2,tmpfs-size=2097152', 'busybox', 'sh', '-c', 'grep -E " /(scratch|t2) " /proc/mounts; stat -c %a /scratch; ls -A /scratch']);
  const lines = out.trim().split('\n');
  assert.match(lines.find((l) => l.includes(' /scratch '))!, /^tmpfs \/scratch tmpfs rw,nosuid,nodev,noexec,.*size=1024k,mode=1770/);
  assert.match(lines.find((l) => l.includes(' /t2 '))!, /^tmpfs \/t2 tmpfs rw,nosuid,nodev,noexec,.*size=2048k/);
  assert.equal(lines.at(-1), '1770');
  const exec = await ok(['run', '--rm', '--tmpfs', '/x:exec', 'busybox', 'sh', '-c', 'grep " /x " /proc/mounts']);
  assert.doesNotMatch(exec, /noexec/);
});

test("the image's VOLUME gets an anonymous volume with the image's content; rm -v removes it, plain rm keeps it for prune", async () => {
  const id = (await ok(['run', '-d', 'busybox', 'sh', '-c', 'cat /data/seed.txt; sleep 60'])).trim();
  const [mount] = await mountsOf(id);
  assert.equal(mount!.Type, 'volume');
  assert.equal(mount!.Destination, '/data');
  assert.match(mount!.Name!, /^[0-9a-f]{64}$/);
  const anon = mount!.Name!;
  const vol = (JSON.parse(await ok(['volume', 'inspect', anon])) as Array<{ Labels: Record<string, string> }>)[0]!;
  assert.deepEqual(vol.Labels, { 'com.docker.volume.anonymous': '' });
  assert.equal(fs.readFileSync(path.join(mount!.Source, 'seed.txt'), 'utf8'), 'seeded by the image\n');
  // An explicit mount at the VOLUME path replaces the anonymous volume.
  const covered = (await ok(['create', '--tmpfs', '/data', 'busybox'])).trim();
  assert.deepEqual((await mountsOf(covered)).map((m) => m.Type), ['tmpfs']);
  await ok(['rm', covered]);

  const inUse = await d.berth(['volume', 'rm', anon]);
  assert.equal(inUse.code, 1);
  assert.match(inUse.stderr, new RegExp(`volume is in use - \\[\\S+ \\(${id.slice(0, 12)}\\)\\]`));
  await ok(['rm', '-f', '-v', id]);
  assert.doesNotMatch(await ok(['volume', 'ls', '-q']), new RegExp(anon));
  assert.equal(fs.existsSync(mount!.Source), false);

  // Without -v the anonymous volume stays, dangling; --rm removes it like rm -v.
  const kept = (await ok(['create', 'busybox'])).trim();
  const keptVol = (await mountsOf(kept))[0]!.Name!;
  await ok(['rm', kept]);
  await ok(['run', '--rm', 'busybox', 'true']);
  await ok(['volume', 'create', '--label', 'keep=yes', 'named-unused']);
  assert.deepEqual((await ok(['volume', 'ls', '-q', '--filter', 'dangling=true'])).trim().split('\n').sort(), [keptVol, 'named-unused'].sort());
  assert.equal((await ok(['volume', 'ls', '-q', '--filter', 'label=keep=yes'])).trim(), 'named-unused');

  // Docker 23+: prune removes unused anonymous volumes only; -a removes unused named ones too.
  const pruned = await ok(['volume', 'prune', '-f']);
  assert.match(pruned, new RegExp(`Deleted Volumes:\\n${keptVol}\\n`));
  assert.equal((await ok(['volume', 'ls', '-q'])).trim(), 'named-unused');
  assert.match(await ok(['volume', 'prune', '-f', '-a']), /named-unused/);
  assert.equal(await ok(['volume', 'ls', '-q']), '');
});

test('--volumes-from shares a container\'s volumes (read-only when asked); a volume in use cannot be removed', async () => {
  await ok(['create', '--name', 'holder', '-v', 'shared:/shared', 'busybox', 'true']);
  await ok(['run', '--rm', '--volumes-from', 'holder', 'busybox', 'sh', '-c', 'echo from-a > /shared/a']);
  const ro = await d.berth(['run', '--rm', '--volumes-from', 'holder:ro', 'busybox', 'sh', '-c', 'cat /shared/a; touch /shared/b']);
  assert.equal(ro.stdout, 'from-a\n');
  assert.match(ro.stderr, /Read-only file system/);
  const missing = await d.berth(['run', '--rm', '--volumes-from', 'nosuchcontainer', 'busybox', 'true']);
  assert.equal(missing.code, 125);
  assert.match(missing.stderr, /No such container: nosuchcontainer/);

  const inUse = await d.berth(['volume', 'rm', 'shared']);
  assert.equal(inUse.code, 1);
  assert.match(inUse.stderr, /remove shared: volume is in use - \[holder \([0-9a-f]{12}\)\]/);
  const forced = await d.berth(['volume', 'rm', '-f', 'shared']);
  assert.equal(forced.code, 1, 'force does not remove a volume in use (as in docker)');
  await ok(['rm', '-v', 'holder']); // -v: named volumes stay
  assert.match(await ok(['volume', 'ls', '-q']), /^shared$/m);
  await ok(['volume', 'rm', 'shared']);
  assert.equal((await d.berth(['volume', 'rm', 'shared'])).code, 1);
  assert.equal((await d.berth(['volume', 'rm', '-f', 'shared'])).code, 0);
});

test('hostile names and paths are refused before anything is created', async () => {
  const before = await ok(['volume', 'ls', '-q']);
  const cases: Array<[string[], RegExp]> = [
    [['volume', 'create', '../../etc'], /includes invalid characters for a local volume name/],
    [['volume', 'create', 'a'], /includes invalid characters/],
    [['volume', 'create', '-d', 'nfs', 'x1'], /plugin "nfs" not found/],
    [['volume', 'create', '-o', 'type=none', 'x2'], /missing required option: "device"/],
    [['run', '--rm', '-v', 'vol:relative/path', 'busybox', 'true'], /mount path must be absolute/],
    [['run', '--rm', '-v', 'vol:/a/../../etc', 'busybox', 'true'], /must not contain "\.\."/],
    [['run', '--rm', '-v', 'vol:/proc/sys', 'busybox', 'true'], /\/proc belongs to the container's procfs/],
    [['run', '--rm', '-v', 'vol:/', 'busybox', 'true'], /destination can't be '\/'/],
    [['run', '--rm', '-v', 'bad/name:/x', 'busybox', 'true'], /includes invalid characters/],
    [['run', '--rm', '-v', '/tmp:/x:bogus', 'busybox', 'true'], /invalid mode: bogus/],
    [['run', '--rm', '-v', 'v1:/x', '-v', 'v2:/x', 'busybox', 'true'], /Duplicate mount point: \/x/],
    [['run', '--rm', '--mount', 'type=volume,target=/x,bind-propagation=shared', 'busybox', 'true'], /cannot mix 'bind-\*' options/],
    [['run', '--rm', '--mount', 'type=tmpfs,source=/etc,target=/x', 'busybox', 'true'], /field Source must not be specified/],
    [['run', '--rm', '--tmpfs', '/x:size=1m,uid=$(id)', 'busybox', 'true'], /invalid tmpfs option/],
  ];
  for (const [args, want] of cases) {
    const r = await d.berth(args);
    assert.notEqual(r.code, 0, `berth ${args.join(' ')} should fail`);
    assert.match(r.stderr, want, `berth ${args.join(' ')}`);
  }
  assert.equal(await ok(['volume', 'ls', '-q']), before);
  assert.equal(await ok(['ps', '-aq']), '');
  // The raw API refuses too, with 400 and nothing created.
  const body = JSON.stringify({ Image: 'busybox', HostConfig: { Mounts: [{ Type: 'volume', Source: '..', Target: '/x' }] } });
  const res = await d.raw(`POST /v1.51/containers/create HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  assert.match(res, /^HTTP\/1.1 400/);
  const del = await d.raw('DELETE /v1.51/volumes/..%2F..%2Fcontainers HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
  assert.match(del, /^HTTP\/1.1 404/);
  assert.equal(fs.existsSync(path.join(d.dataDir, 'containers')), true);
});
