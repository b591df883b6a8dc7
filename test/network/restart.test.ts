/**
 * Networking across a daemon crash: containers on a user network keep their addresses, names and
 * published ports after kill -9 and a restart; a container that died meanwhile is torn down at
 * recovery; removing everything afterwards leaves no interface, namespace or rule behind.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { restartDaemon, teardown, type Daemon } from '../cli/harness.js';
import { berthOk, startWithBusybox } from '../helpers/busybox-daemon.js';
import { chainExists, linkExists, netnsFiles, rulesMentioning, vethsOn } from './host-state.js';

let d: Daemon;

before(async () => {
  d = await startWithBusybox('net-restart');
});

after(async () => {
  await teardown(d);
});

const ok = (args: string[]): Promise<string> => berthOk(d, args);

async function fetchText(url: string): Promise<string> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      return (await (await fetch(url)).text()).trim();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

interface Inspected { Id: string; State: { Pid: number; Running: boolean }; NetworkSettings: { Networks: Record<string, { IPAddress: string }> } }

const inspect = async (name: string) => JSON.parse(await ok(['inspect', name]))[0] as Inspected;

test('kill -9 and restart: names, addresses and published ports survive; rm cleans everything', async () => {
  await ok(['network', 'create', 'keep']);
  const keepNet = JSON.parse(await ok(['network', 'inspect', 'keep']))[0];
  const defaultNet = JSON.parse(await ok(['network', 'inspect', 'bridge']))[0];
  const keepBridge = keepNet.Options['com.docker.network.bridge.name'] as string;
  const defaultBridge = defaultNet.Options['com.docker.network.bridge.name'] as string;
  // Other daemons' rules (which may hold a freed address again) do not count.
  const own = [keepNet.Id, defaultNet.Id].map((id: string) => `berth-${id.slice(0, 12)}`);
  await ok(['run', '-d', '--name', 'web', '--network', 'keep', '--network-alias', 'site', '-p', '127.0.0.1::80', 'busybox', 'sh', '-c', 'mkdir /w && echo survived > /w/index.html && httpd -f -p 80 -h /w']);
  await ok(['run', '-d', '--name', 'client', '--network', 'keep', 'busybox', 'sleep', '600']);
  await ok(['run', '-d', '--name', 'doomed', '--network', 'keep', '-p', '127.0.0.1::80', 'busybox', 'sleep', '600']);
  const hostPort = (await ok(['port', 'web', '80'])).trim();
  assert.match(hostPort, /^127\.0\.0\.1:\d+$/);
  assert.equal(await fetchText(`http://${hostPort}/`), 'survived');
  const before = { web: await inspect('web'), client: await inspect('client'), doomed: await inspect('doomed') };

  await d.crash();
  process.kill(before.doomed.State.Pid, 'SIGKILL'); // dies while no daemon watches
  d = await restartDaemon(d);

  const webAfter = await inspect('web');
  assert.equal(webAfter.NetworkSettings.Networks.keep!.IPAddress, before.web.NetworkSettings.Networks.keep!.IPAddress);
  assert.equal((await ok(['port', 'web', '80'])).trim(), hostPort);
  assert.equal(await fetchText(`http://${hostPort}/`), 'survived');
  // The embedded DNS of a container that ran through the crash answers again, and new ones get theirs.
  assert.equal((await ok(['exec', 'client', 'wget', '-qO-', 'http://web/'])).trim(), 'survived');
  assert.equal((await ok(['run', '--rm', '--network', 'keep', 'busybox', 'wget', '-qO-', 'http://site/'])).trim(), 'survived');

  // The container that died meanwhile lost its endpoint at recovery.
  const doomed = await inspect('doomed');
  assert.equal(doomed.State.Running, false);
  const doomedIp = before.doomed.NetworkSettings.Networks.keep!.IPAddress;
  assert.deepEqual(rulesMentioning([doomed.Id, doomedIp], own), []);
  assert.ok(!netnsFiles(d.runDir).includes(doomed.Id), 'the dead container\'s netns is gone');
  assert.equal(vethsOn([keepBridge]).length, 2, 'web and client keep their veths, doomed has none');

  await ok(['rm', '-f', 'web', 'client', 'doomed']);
  await ok(['network', 'rm', 'keep']);
  const ids = Object.values(before).map((c) => c.Id);
  const ips = Object.values(before).map((c) => c.NetworkSettings.Networks.keep!.IPAddress);
  assert.deepEqual(rulesMentioning([...ids, ...ips, ...own], own), []);
  assert.deepEqual(netnsFiles(d.runDir), []);
  assert.equal(linkExists(keepBridge), false);
  assert.deepEqual(vethsOn([keepBridge, defaultBridge]), []);

  // Stopping the daemon with nothing running takes its bridge and its own chain away too.
  await d.stop();
  assert.equal(linkExists(defaultBridge), false);
  assert.equal(chainExists(`BERTH-${defaultBridge}`), false);
  assert.deepEqual(rulesMentioning([defaultBridge, keepBridge, ...own]), []);
});
