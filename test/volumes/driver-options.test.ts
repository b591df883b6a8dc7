/**
 * The local driver's mount options (type/device/o), as Docker's: a tmpfs volume, a named volume
 * backed by a host directory (type=none, o=bind), --mount volume-opt, Docker's refusals, and the
 * mount lifecycle (mounted while containers use it; removing it never deletes what it showed).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { berthOk, startWithBusybox } from '../helpers/busybox-daemon.js';
import { isMounted } from '../../src/base/mountinfo.js';
import { scratchDir } from '../helpers/test-image.js';
import { restartDaemon, teardown, type Daemon } from '../cli/harness.js';

let d: Daemon;
before(async () => {
  d = await startWithBusybox('volume-opts');
});
after(() => teardown(d));

const ok = (args: string[]): Promise<string> => berthOk(d, args);

const mountpoint = async (name: string) => (await ok(['volume', 'inspect', '-f', '{{.Mountpoint}}', name])).trim();

test('a tmpfs volume: mounted while a container uses it, with its size and options; inspect shows the options', async () => {
  assert.equal(await ok(['volume', 'create', '-o', 'type=tmpfs', '-o', 'device=tmpfs', '-o', 'o=size=8m,uid=1000', 'scratchpad']), 'scratchpad\n');
  const opts = JSON.parse(await ok(['volume', 'inspect', '-f', '{{json .Options}}', 'scratchpad'])) as Record<string, string>;
  assert.deepEqual(opts, { type: 'tmpfs', device: 'tmpfs', o: 'size=8m,uid=1000' });
  const mp = await mountpoint('scratchpad');
  assert.equal(isMounted(mp), false, 'not mounted before any container uses it');
  await ok(['run', '-d', '--name', 'pad', '-v', 'scratchpad:/pad', 'busybox', 'sleep', '60']);
  assert.equal(isMounted(mp), true);
  const df = await ok(['exec', 'pad', 'sh', '-c', "grep ' /pad ' /proc/mounts; stat -c %u /pad; echo hi > /pad/f; cat /pad/f"]);
  assert.match(df, /^tmpfs \/pad tmpfs rw,.*size=8192k/m);
  assert.match(df, /^1000\nhi\n$/m);
  // A second user shares the same tmpfs.
  assert.equal(await ok(['run', '--rm', '-v', 'scratchpad:/pad', 'busybox', 'cat', '/pad/f']), 'hi\n');
  assert.equal(isMounted(mp), true, 'still used by pad');
  await ok(['rm', '-f', 'pad']);
  assert.equal(isMounted(mp), false, 'unmounted with its last user');
  assert.equal(await ok(['volume', 'rm', 'scratchpad']), 'scratchpad\n');
});

test('a named volume over a host directory (type=none, o=bind): data goes through both ways; removing the volume keeps the host files', async () => {
  const host = scratchDir('bindvol');
  fs.writeFileSync(path.join(host, 'from-host.txt'), 'host\n');
  await ok(['volume', 'create', '--driver', 'local', '-o', 'type=none', '-o', 'o=bind', '-o', `device=${host}`, 'hostdata']);
  assert.equal(await ok(['run', '--rm', '-v', 'hostdata:/data', 'busybox', 'sh', '-c', 'cat /data/from-host.txt; echo box > /data/from-box.txt']), 'host\n');
  assert.equal(fs.readFileSync(path.join(host, 'from-box.txt'), 'utf8'), 'box\n');
  // Not empty: no copy-up of the image's /data over it.
  assert.equal(fs.existsSync(path.join(host, 'seed.txt')), false);
  assert.equal(isMounted(await mountpoint('hostdata')), false);
  await ok(['volume', 'rm', 'hostdata']);
  assert.deepEqual(fs.readdirSync(host).sort(), ['from-box.txt', 'from-host.txt']);
});

test('--mount volume-opt creates the volume with its options; Docker refusals for bad options', async () => {
  assert.equal(await ok(['run', '--rm', '--mount', 'type=volume,source=viamount,target=/m,volume-opt=type=tmpfs,volume-opt=device=tmpfs', 'busybox', 'sh', '-c', "grep -c ' /m tmpfs ' /proc/mounts"]), '1\n');
  assert.equal((await ok(['volume', 'inspect', '-f', '{{.Options.type}}', 'viamount'])).trim(), 'tmpfs');
  await ok(['volume', 'rm', 'viamount']);
  for (const [opts, message] of [
    [['-o', 'colour=blue'], /invalid option: "colour"/],
    [['-o', 'type=tmpfs'], /missing required option: "device"/],
    [['-o', 'o=bind', '-o', 'device=/tmp'], /missing required option: "type"/],
    [['-o', 'size=1g'], /quota size requested but no quota support/],
  ] as const) {
    const r = await d.berth(['volume', 'create', ...opts, 'refused']);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, message);
  }
  assert.equal((await d.berth(['volume', 'inspect', 'refused'])).code, 1, 'nothing was created');
  // A mount that fails (no such device) fails the container's creation and leaves nothing mounted.
  await ok(['volume', 'create', '-o', 'type=ext4', '-o', 'device=/dev/berth-no-such-disk', 'baddev']);
  const r = await d.berth(['run', '--rm', '-v', 'baddev:/x', 'busybox', 'true']);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /error while mounting volume '.*baddev\/_data': failed to mount local volume/);
  assert.equal(isMounted(await mountpoint('baddev')), false);
  await ok(['volume', 'rm', 'baddev']);
});

test('a daemon restart keeps a used tmpfs volume mounted with its content; the user and the next one see the same files', async () => {
  await ok(['volume', 'create', '-o', 'type=tmpfs', '-o', 'device=tmpfs', 'kept']);
  await ok(['run', '-d', '--name', 'keeper', '-v', 'kept:/k', 'busybox', 'sh', '-c', 'echo before > /k/f; sleep 60']);
  const mp = await mountpoint('kept');
  assert.equal(isMounted(mp), true);
  await d.stop();
  d = await restartDaemon(d);
  assert.equal(isMounted(mp), true, 'still mounted after the restart');
  assert.equal(await ok(['exec', 'keeper', 'cat', '/k/f']), 'before\n');
  assert.equal(await ok(['run', '--rm', '-v', 'kept:/k', 'busybox', 'cat', '/k/f']), 'before\n', 'a new user sees the same tmpfs');
  await ok(['rm', '-f', 'keeper']);
  assert.equal(isMounted(mp), false);
  await ok(['volume', 'rm', 'kept']);
});
