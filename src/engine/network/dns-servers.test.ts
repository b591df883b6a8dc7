import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DnsServers, type EmbeddedDnsServer } from './dns-servers.js';

class FakeServer implements EmbeddedDnsServer {
  readonly containers = new Set<string>();
  closed = false;
  constructor(readonly upstreams: string[] | undefined) {}
  async attach(id: string): Promise<void> {
    this.containers.add(id);
  }
  detach(id: string): void {
    this.containers.delete(id);
  }
  close(): void {
    this.closed = true;
  }
}

const names = { lookup: () => [] };

test('containers with the same --dns share a server; the daemon\'s own serves the rest', async () => {
  const made: FakeServer[] = [];
  const servers = new DnsServers((u) => {
    const s = new FakeServer(u);
    made.push(s);
    return s;
  });
  await servers.attach('a', '/ns/a', names);
  await servers.attach('b', '/ns/b', names, ['192.0.2.1', '192.0.2.2']);
  await servers.attach('c', '/ns/c', names, ['192.0.2.1', '192.0.2.2']);
  assert.deepEqual(made.map((s) => s.upstreams), [undefined, ['192.0.2.1', '192.0.2.2']]);
  assert.deepEqual([...made[1]!.containers], ['b', 'c']);

  servers.detach('b');
  assert.equal(made[1]!.closed, false, 'c still uses it');
  servers.detach('c');
  assert.equal(made[1]!.closed, true, 'a --dns server goes with its last container');
  servers.detach('a');
  assert.equal(made[0]!.closed, false, 'the daemon\'s own server stays');
  servers.detach('never-attached');

  // Attaching again moves a container to the server of its current list.
  await servers.attach('a', '/ns/a', names, ['198.51.100.1']);
  assert.equal(made[0]!.containers.has('a'), false);
  assert.deepEqual([...made[2]!.containers], ['a']);
  servers.close();
  assert.ok(made.every((s) => s.closed || s === made[1]));
  assert.equal(made[0]!.closed, true);
});
