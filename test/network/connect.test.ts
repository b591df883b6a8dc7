/**
 * Changing a container's networks and the per-container network options, through a real daemon:
 * network connect / disconnect on a running container, network prune, -P, --ip, --internal,
 * --dns / --add-host / --hostname, --dns as the embedded DNS's upstream, and the PORTS column of ps.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import dgram from 'node:dgram';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import dnsPacket from 'dns-packet';
import { teardown, type Daemon } from '../cli/harness.js';
import { berthOk, startWithBusybox } from '../helpers/busybox-daemon.js';
import { boundedWget } from './host-state.js';

let d: Daemon;

before(async () => {
  d = await startWithBusybox('net-connect');
});

after(async () => {
  await teardown(d);
});

const ok = (args: string[]): Promise<string> => berthOk(d, args);

async function fails(args: string[], message: RegExp, code = 125): Promise<void> {
  const r = await d.berth(args);
  assert.equal(r.code, code, `berth ${args.join(' ')} should fail: ${r.stdout}${r.stderr}`);
  assert.match(r.stderr, message);
}

const HTTPD = (text: string) => ['sh', '-c', `mkdir /w && echo ${text} > /w/index.html && httpd -f -p 80 -h /w`];

/** A subnet of its own per test process, so parallel daemons never ask for the same one. */
const ownSubnet = `10.213.${process.pid % 250}.0/24`;

test('network connect gives a running container an interface and the names; disconnect takes both away', async () => {
  await ok(['network', 'create', 'alpha']);
  await ok(['network', 'create', 'beta']);
  await ok(['run', '-d', '--name', 'srv', '--network', 'alpha', ...['busybox', ...HTTPD('from-srv')]]);
  await ok(['run', '-d', '--name', 'cli', '--network', 'beta', 'busybox', 'sleep', '600']);
  const lookupBefore = await d.berth(['exec', 'cli', 'nslookup', 'srv', '127.0.0.11']);
  assert.notEqual(lookupBefore.code, 0, 'srv is on another network');

  await ok(['network', 'connect', '--alias', 'api', 'alpha', 'cli']);
  const addrs = await ok(['exec', 'cli', 'ip', '-o', '-4', 'addr', 'show']);
  assert.match(addrs, /eth0 .*inet 10\./);
  assert.match(addrs, /eth1 .*inet 10\./);
  assert.equal((await ok(['exec', 'cli', 'wget', '-qO-', 'http://srv/'])).trim(), 'from-srv');
  // The new endpoint's alias answers for the others on that network.
  assert.match(await ok(['exec', 'srv', 'nslookup', 'api', '127.0.0.11']), /Address: 10\./);
  const nets = JSON.parse(await ok(['inspect', 'cli']))[0].NetworkSettings.Networks;
  assert.deepEqual(Object.keys(nets).sort(), ['alpha', 'beta']);
  await fails(['network', 'connect', 'alpha', 'cli'], /already exists in network alpha/, 1);

  await ok(['network', 'disconnect', 'alpha', 'cli']);
  const after = await ok(['exec', 'cli', 'ip', '-o', '-4', 'addr', 'show']);
  assert.doesNotMatch(after, /eth1/);
  assert.notEqual((await d.berth(['exec', 'cli', 'nslookup', 'srv', '127.0.0.11'])).code, 0);
  assert.notEqual((await d.berth(['exec', 'srv', 'nslookup', 'api', '127.0.0.11'])).code, 0);
  await fails(['network', 'disconnect', 'alpha', 'cli'], /is not connected to network alpha/, 1);

  // A stopped container connected to a network gets that interface at its next start.
  await ok(['create', '--name', 'later', '--network', 'beta', 'busybox', 'sh', '-c', 'wget -qO- http://srv/']);
  await ok(['network', 'connect', 'alpha', 'later']);
  assert.equal((await ok(['start', '-a', 'later'])).trim(), 'from-srv');
  await ok(['rm', '-f', 'srv', 'cli', 'later']);
  await ok(['network', 'rm', 'alpha', 'beta']);
});

test('network prune removes unused user networks only, honouring label filters', async () => {
  await ok(['network', 'create', '--label', 'tier=tmp', 'gone1']);
  await ok(['network', 'create', 'gone2']);
  await ok(['network', 'create', '--label', 'tier=tmp', 'used']);
  await ok(['create', '--name', 'user', '--network', 'used', 'busybox', 'true']);
  const filtered = await ok(['network', 'prune', '-f', '--filter', 'label=tier=tmp']);
  assert.match(filtered, /Deleted Networks:\ngone1\n/);
  const names = (await ok(['network', 'ls', '--format', '{{.Name}}'])).split('\n').filter(Boolean);
  assert.ok(names.includes('gone2') && names.includes('used') && names.includes('bridge') && !names.includes('gone1'), names.join(','));
  const all = await ok(['network', 'prune', '-f']);
  assert.match(all, /gone2/);
  assert.doesNotMatch(all, /used|bridge/);
  await ok(['rm', 'user']);
  assert.match(await ok(['network', 'prune', '-f']), /used/);
  // Docker's three pre-defined networks stay, and are all that is left.
  assert.equal(await ok(['network', 'ls', '--format', '{{.Name}} {{.Driver}}']), 'bridge bridge\nhost host\nnone null\n');
});

test('host and none are listed like Docker\'s pre-defined networks, with the containers using them', async () => {
  await ok(['create', '--name', 'onhost', '--network', 'host', 'busybox', 'true']);
  const host = JSON.parse(await ok(['network', 'inspect', 'host']))[0];
  assert.equal(host.Driver, 'host');
  assert.deepEqual(host.IPAM.Config, []);
  const onhost = JSON.parse(await ok(['inspect', 'onhost']))[0];
  assert.deepEqual(Object.keys(host.Containers), [onhost.Id]);
  assert.equal(onhost.NetworkSettings.Networks.host.NetworkID, host.Id);
  assert.equal(JSON.parse(await ok(['network', 'inspect', host.Id.slice(0, 12)]))[0].Name, 'host');
  await fails(['network', 'rm', 'none'], /none is a pre-defined network and cannot be removed/, 1);
  await fails(['network', 'create', 'host'], /host is a pre-defined network and cannot be created/, 1);
  await ok(['create', '--name', 'plain', 'busybox', 'true']);
  await fails(['network', 'connect', 'host', 'plain'], /cannot be connected to network host/, 1);
  assert.equal((await ok(['network', 'ls', '--filter', 'type=custom', '-q'])).trim(), '');
  await ok(['rm', 'onhost', 'plain']);
  assert.deepEqual(JSON.parse(await ok(['network', 'inspect', 'host']))[0].Containers, {});
});

test('-P publishes the image\'s EXPOSE ports on random host ports, shown by port and ps', async () => {
  await ok(['run', '-d', '--name', 'pall', '-P', 'busybox', ...HTTPD('all-published')]);
  const line = (await ok(['port', 'pall'])).trim();
  const m = /^80\/tcp -> 0\.0\.0\.0:(\d+)$/.exec(line);
  assert.ok(m, line);
  const deadline = Date.now() + 10_000;
  let body = '';
  while (Date.now() < deadline && body !== 'all-published') {
    body = await fetch(`http://127.0.0.1:${m[1]}/`).then(async (r) => (await r.text()).trim(), () => '');
    if (body !== 'all-published') await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(body, 'all-published');
  assert.equal((await ok(['ps', '--filter', 'name=pall', '--format', '{{.Ports}}'])).trim(), `0.0.0.0:${m[1]}->80/tcp`);
  await ok(['rm', '-f', 'pall']);
  await ok(['run', '-d', '--name', 'exposed', 'busybox', 'sleep', '600']);
  assert.equal((await ok(['ps', '--filter', 'name=exposed', '--format', '{{.Ports}}'])).trim(), '80/tcp');
  await ok(['rm', '-f', 'exposed']);
});

test('--ip picks the address on a user network; taken, foreign and default-bridge addresses are refused', async () => {
  await ok(['network', 'create', '--subnet', ownSubnet, 'fixed']);
  const ip = ownSubnet.replace(/0\/24$/, '50');
  await ok(['run', '-d', '--name', 'pinned', '--network', 'fixed', '--ip', ip, 'busybox', 'sleep', '600']);
  assert.match(await ok(['exec', 'pinned', 'ip', '-o', '-4', 'addr', 'show', 'eth0']), new RegExp(`inet ${ip.replace(/\./g, '\\.')}/24`));
  assert.equal(JSON.parse(await ok(['inspect', 'pinned']))[0].NetworkSettings.Networks.fixed.IPAddress, ip);
  const taken = await d.berth(['run', '--rm', '--network', 'fixed', '--ip', ip, 'busybox', 'true']);
  assert.equal(taken.code, 125);
  assert.match(taken.stderr, new RegExp(ip.replace(/\./g, '\\.')));
  await fails(['run', '--rm', '--network', 'fixed', '--ip', '192.0.2.9', 'busybox', 'true'], /not in network fixed's subnet/);
  await fails(['run', '--rm', '--ip', '10.1.1.1', 'busybox', 'true'], /user defined networks only/);
  await ok(['rm', '-f', 'pinned']);
  assert.equal((await ok(['ps', '-aq'])).trim(), '', 'the refused containers left nothing behind');
  await ok(['network', 'rm', 'fixed']);
});

test('--internal: containers talk to each other but have no route out of the network', async () => {
  const server = http.createServer((_, res) => res.end('host-side'));
  await new Promise<void>((r) => server.listen(0, '0.0.0.0', r));
  const port = (server.address() as AddressInfo).port;
  const hostAddr = execFileSync('ip', ['-4', '-o', 'addr', 'show', 'scope', 'global'], { encoding: 'utf8' }).split('\n').map((l) => /inet (\S+)\//.exec(l)?.[1]).find((a) => a && !a.startsWith('10.21'));
  assert.ok(hostAddr, 'the host has a global IPv4 address');
  try {
    await ok(['network', 'create', '--internal', 'sealed']);
    await ok(['network', 'create', 'open']);
    // An ordinary user network reaches the host's address; the internal one does not.
    assert.equal((await ok(['run', '--rm', '--network', 'open', 'busybox', ...boundedWget(`http://${hostAddr}:${port}/`)])).trim(), 'host-side');
    const routes = await ok(['run', '--rm', '--network', 'sealed', 'busybox', 'ip', 'route']);
    assert.doesNotMatch(routes, /default/);
    assert.notEqual((await d.berth(['run', '--rm', '--network', 'sealed', 'busybox', ...boundedWget(`http://${hostAddr}:${port}/`)])).code, 0);
    await ok(['run', '-d', '--name', 'inside', '--network', 'sealed', 'busybox', ...HTTPD('inside')]);
    assert.equal((await ok(['run', '--rm', '--network', 'sealed', 'busybox', 'wget', '-qO-', 'http://inside/'])).trim(), 'inside');
    assert.equal(JSON.parse(await ok(['network', 'inspect', 'sealed']))[0].Internal, true);
    await ok(['rm', '-f', 'inside']);
    await ok(['network', 'rm', 'sealed', 'open']);
  } finally {
    server.close();
  }
});

test('--dns, --add-host and --hostname shape the container\'s /etc files', async () => {
  const out = await ok(['run', '--rm', '--dns', '192.0.2.53', '--add-host', 'db.example:10.9.8.7', '--hostname', 'myhost', 'busybox', 'sh', '-c', 'cat /etc/resolv.conf /etc/hosts; hostname']);
  assert.match(out, /^nameserver 192\.0\.2\.53$/m);
  assert.doesNotMatch(out, /nameserver (?!192\.0\.2\.53)/);
  assert.match(out, /^10\.9\.8\.7\s+db\.example$/m);
  assert.match(out, /^10\.\d+\.\d+\.\d+\s+myhost$/m);
  assert.match(out, /^myhost$/m);
  // On a user network the container asks the embedded DNS; its own entries still come from /etc/hosts.
  await ok(['network', 'create', 'named']);
  const user = await ok(['run', '--rm', '--network', 'named', '--dns', '192.0.2.53', '--add-host', 'db.example:10.9.8.7', 'busybox', 'sh', '-c', 'cat /etc/resolv.conf; ping -c1 -W1 db.example 2>&1 | head -1']);
  assert.match(user, /^nameserver 127\.0\.0\.11$/m);
  assert.doesNotMatch(user, /192\.0\.2\.53/);
  assert.match(user, /PING db\.example \(10\.9\.8\.7\)/);
  await ok(['network', 'rm', 'named']);
});

/** A UDP resolver on a loopback address of its own, port 53 (what --dns can name): nothing leaves the machine. */
async function loopbackResolver(records: Record<string, string>): Promise<{ address: string; asked: string[]; close(): void }> {
  const address = `127.0.${(process.pid >> 8) % 250}.${2 + (process.pid % 250)}`;
  const asked: string[] = [];
  const socket = dgram.createSocket('udp4');
  socket.on('message', (query, from) => {
    const packet = dnsPacket.decode(query);
    const q = packet.questions![0]!;
    asked.push(q.name);
    const data = records[q.name.toLowerCase()];
    const answers: dnsPacket.Answer[] = data && q.type === 'A' ? [{ type: 'A', name: q.name, ttl: 30, data }] : [];
    socket.send(dnsPacket.encode({ type: 'response', id: packet.id, flags: dnsPacket.RECURSION_AVAILABLE | (data ? 0 : 3), questions: [q], answers }), from.port, from.address);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(53, address, () => resolve());
  });
  return { address, asked, close: () => socket.close() };
}

test('on a user network --dns becomes the embedded DNS\'s upstream: other names are forwarded there', async () => {
  const upstream = await loopbackResolver({ 'outside.example': '192.0.2.77' });
  try {
    await ok(['network', 'create', 'fwd']);
    await ok(['run', '-d', '--name', 'peer', '--network', 'fwd', 'busybox', 'sleep', '600']);
    const out = await ok(['run', '--rm', '--network', 'fwd', '--dns', upstream.address, 'busybox', 'sh', '-c', 'cat /etc/resolv.conf; nslookup outside.example; nslookup peer']);
    assert.match(out, /^nameserver 127\.0\.0\.11$/m);
    assert.match(out, /Name:\s+outside\.example\s+Address: 192\.0\.2\.77/);
    assert.match(out, /Name:\s+peer\s+Address: 10\./, 'container names are still answered by the embedded DNS');
    assert.ok(upstream.asked.includes('outside.example'));
    assert.ok(!upstream.asked.some((n) => n.startsWith('peer')), 'container names never go upstream');
    const missing = await d.berth(['run', '--rm', '--network', 'fwd', '--dns', upstream.address, 'busybox', 'nslookup', 'nowhere.example']);
    assert.notEqual(missing.code, 0);
    assert.match(missing.stdout + missing.stderr, /NXDOMAIN|can't find/i);
    await fails(['run', '--rm', '--network', 'fwd', '--dns', 'resolver.example', 'busybox', 'true'], /invalid DNS server "resolver\.example"/);
    await ok(['rm', '-f', 'peer']);
    await ok(['network', 'rm', 'fwd']);
  } finally {
    upstream.close();
  }
});

test('a renamed container answers to its new name on its networks, no longer to the old one', async () => {
  await ok(['network', 'create', 'renames']);
  await ok(['run', '-d', '--name', 'oldname', '--network', 'renames', 'busybox', 'sleep', '600']);
  await ok(['container', 'rename', 'oldname', 'newname']);
  assert.match(await ok(['run', '--rm', '--network', 'renames', 'busybox', 'nslookup', 'newname', '127.0.0.11']), /Address: 10\./);
  assert.notEqual((await d.berth(['run', '--rm', '--network', 'renames', 'busybox', 'nslookup', 'oldname', '127.0.0.11'])).code, 0);
  await fails(['rename', 'newname', 'bad/name'], /invalid container name|Invalid container name/i, 1);
  await ok(['rm', '-f', 'newname']);
  await ok(['network', 'rm', 'renames']);
});
