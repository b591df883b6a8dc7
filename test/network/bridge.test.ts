/**
 * Container networking end to end, through a real daemon and the real CNI plugins: the default
 * bridge, user networks reached by name, published ports, isolation, `container:` sharing,
 * refusals, and a clean host after removal.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, test } from 'node:test';
import { teardown, type Daemon } from '../cli/harness.js';
import { berthOk, startWithBusybox } from '../helpers/busybox-daemon.js';
import { boundedWget, rulesMentioning, vethsOn } from './host-state.js';

let d: Daemon;
/** Ids and addresses of the containers these tests ran: no rule may mention them at the end. */
const used: string[] = [];

/** This daemon's networks (bridge name, CNI network name): other daemons may run beside this one. */
const bridges: string[] = [];
const cniNames: string[] = [];

async function rememberNetwork(name: string): Promise<void> {
  const n = JSON.parse(await ok(['network', 'inspect', name]))[0];
  bridges.push(n.Options['com.docker.network.bridge.name']);
  cniNames.push(`berth-${(n.Id as string).slice(0, 12)}`);
}

async function remember(name: string): Promise<void> {
  const c = JSON.parse(await ok(['inspect', name]))[0];
  used.push(c.Id, ...Object.values(c.NetworkSettings.Networks as Record<string, { IPAddress: string }>).map((n) => n.IPAddress).filter(Boolean));
}

const sh = (cmd: string, args: string[]) => execFileSync(cmd, args, { encoding: 'utf8' });

before(async () => {
  d = await startWithBusybox('network-bridge');
});

after(async () => {
  await teardown(d);
});

const ok = (args: string[]): Promise<string> => berthOk(d, args);

async function waitFor(fn: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (await fn()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`timed out waiting for ${what}`);
}

test('the default bridge gives a container an address and outbound routing', async () => {
  const out = await ok(['run', '--rm', 'busybox', 'sh', '-c', 'ip -4 addr show eth0; ip route']);
  assert.match(out, /inet 10\.\d+\.\d+\.\d+\/24/);
  assert.match(out, /default via 10\./);
});

test('user network: httpd reached by name and alias from another container', async () => {
  await ok(['network', 'create', 'front']);
  await rememberNetwork('front');
  await ok(['run', '-d', '--name', 'web', '--network', 'front', '--network-alias', 'www', 'busybox', 'sh', '-c', 'mkdir /w && echo hello-from-web > /w/index.html && httpd -f -p 8080 -h /w']);
  await remember('web');
  const byName = await ok(['run', '--rm', '--network', 'front', 'busybox', 'wget', '-qO-', 'http://web:8080/']);
  assert.equal(byName.trim(), 'hello-from-web');
  const byAlias = await ok(['run', '--rm', '--network', 'front', 'busybox', 'wget', '-qO-', 'http://www:8080/']);
  assert.equal(byAlias.trim(), 'hello-from-web');
  const resolv = await ok(['run', '--rm', '--network', 'front', 'busybox', 'cat', '/etc/resolv.conf']);
  assert.match(resolv, /nameserver 127\.0\.0\.11/);
  await ok(['rm', '-f', 'web']);
});

test('published port answers on 127.0.0.1 and a host address; a taken port is refused', async () => {
  const hostPort = 20000 + (process.pid % 20000);
  await ok(['run', '-d', '--name', 'pub', '-p', `${hostPort}:8080`, 'busybox', 'sh', '-c', 'mkdir /w && echo published > /w/index.html && httpd -f -p 8080 -h /w']);
  await remember('pub');
  const hostAddr = sh('ip', ['-4', '-o', 'addr', 'show', 'scope', 'global']).split('\n').map((l) => /inet (\S+)\//.exec(l)?.[1]).find((a) => a && !a.startsWith('10.210.'));
  for (const addr of ['127.0.0.1', hostAddr!]) {
    await waitFor(async () => {
      try {
        return (await (await fetch(`http://${addr}:${hostPort}/`)).text()).trim() === 'published';
      } catch {
        return false;
      }
    }, `http://${addr}:${hostPort}/`);
  }
  const port = await ok(['port', 'pub']);
  assert.match(port, new RegExp(`8080/tcp -> 0\\.0\\.0\\.0:${hostPort}`));
  const taken = await d.berth(['run', '--rm', '-p', `${hostPort}:80`, 'busybox', 'true']);
  assert.equal(taken.code, 125);
  assert.match(taken.stderr, /port is already allocated/);
  await ok(['rm', '-f', 'pub']);
});

test('two user networks are isolated from each other', async () => {
  await ok(['network', 'create', 'left']);
  await rememberNetwork('left');
  await ok(['network', 'create', 'right']);
  await rememberNetwork('right');
  await ok(['run', '-d', '--name', 'lhs', '--network', 'left', 'busybox', 'sh', '-c', 'mkdir /w && echo l > /w/index.html && httpd -f -p 80 -h /w']);
  await remember('lhs');
  const ip = JSON.parse(await ok(['inspect', 'lhs']))[0].NetworkSettings.Networks.left.IPAddress as string;
  assert.match(ip, /^10\./);
  const same = await ok(['run', '--rm', '--network', 'left', 'busybox', ...boundedWget(`http://${ip}/`)]);
  assert.equal(same.trim(), 'l');
  const other = await d.berth(['run', '--rm', '--network', 'right', 'busybox', ...boundedWget(`http://${ip}/`)]);
  assert.notEqual(other.code, 0);
  const noName = await d.berth(['run', '--rm', '--network', 'right', 'busybox', 'nslookup', 'lhs', '127.0.0.11']);
  assert.notEqual(noName.code, 0);
  await ok(['rm', '-f', 'lhs']);
  await ok(['network', 'rm', 'left', 'right']);
});

test('container: mode shares the network namespace', async () => {
  await ok(['run', '-d', '--name', 'pod', 'busybox', 'sleep', '300']);
  await remember('pod');
  const a = await ok(['exec', 'pod', 'ip', 'addr']);
  const b = await ok(['run', '--rm', '--network', 'container:pod', 'busybox', 'ip', 'addr']);
  assert.equal(b, a);
  await ok(['rm', '-f', 'pod']);
});

test('refusals: overlapping subnet, network in use, unknown network', async () => {
  await ok(['network', 'create', '--subnet', '10.211.7.0/24', 'fixed']);
  await rememberNetwork('fixed');
  const overlap = await d.berth(['network', 'create', '--subnet', '10.211.0.0/16', 'wide']);
  assert.notEqual(overlap.code, 0);
  assert.match(overlap.stderr, /overlaps network "fixed"/);
  await ok(['create', '--name', 'holder', '--network', 'fixed', 'busybox', 'true']);
  const inUse = await d.berth(['network', 'rm', 'fixed']);
  assert.notEqual(inUse.code, 0);
  assert.match(inUse.stderr, /has active endpoints/);
  const unknown = await d.berth(['run', '--rm', '--network', 'nope', 'busybox', 'true']);
  assert.equal(unknown.code, 125);
  assert.match(unknown.stderr, /network nope not found/);
  await ok(['rm', 'holder']);
  await ok(['network', 'rm', 'fixed']);
});

test('after removing everything no veths, netns, bridges of removed networks or rules remain', async () => {
  const inspect = JSON.parse(await ok(['network', 'inspect', 'front']))[0];
  const bridge = inspect.Options['com.docker.network.bridge.name'] as string;
  await ok(['network', 'rm', 'front']);
  assert.throws(() => sh('ip', ['link', 'show', bridge]));
  const ps = await ok(['ps', '-aq']);
  assert.equal(ps.trim(), '');
  await rememberNetwork('bridge');
  assert.deepEqual(vethsOn(bridges), []);
  const netnsDir = `${d.runDir}/networks/netns`;
  const left = (() => {
    try {
      return sh('ls', [netnsDir]).trim();
    } catch {
      return '';
    }
  })();
  assert.equal(left, '');
  assert.equal(used.length, 8, 'four containers, each with an id and an address');
  assert.deepEqual(rulesMentioning([...used, ...cniNames], cniNames), []);
});
