/**
 * The embedded DNS server in real network namespaces: sockets created inside each namespace by the
 * native addon, served by this process's event loop, queried from inside the namespace by busybox
 * nslookup and a Node client. Forwarding goes to a fake upstream on 127.0.0.1 (nothing leaves the
 * machine). Needs root: without it these fail, never skip.
 */
import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { promisify } from 'node:util';
import { EmbeddedDns, type DnsAnswerSource } from '../../src/engine/network/dns/index.js';
import { isBerthError } from '../../src/base/errors.js';
import { repoRoot } from '../helpers/test-image.js';
import { startFakeUpstream, startSilentUpstream, type FakeUpstream } from './fake-upstream.js';

const run = promisify(execFile);
const BUSYBOX = '/bin/busybox'; // Debian busybox-static, installed by scripts/setup.sh
const CLIENT = path.join(repoRoot, 'test/network/dns-query-client.ts');

interface ClientReply {
  timeout?: boolean;
  rcode?: string;
  aa?: boolean;
  tc?: boolean;
  answers?: Array<{ type: string; data: unknown }>;
  reply?: string;
}

function answerSource(records: Record<string, string[]>): DnsAnswerSource {
  return { lookup: (name) => records[name] ?? [] };
}

function addNetns(): { name: string; path: string } {
  const name = `berth-dnstest-${randomBytes(4).toString('hex')}`;
  execFileSync('ip', ['netns', 'add', name]);
  execFileSync('ip', ['-n', name, 'link', 'set', 'lo', 'up']);
  return { name, path: `/run/netns/${name}` };
}

// Always asynchronous: the server under test runs on this process's event loop.
async function client(ns: string, args: string[], waitMs: number): Promise<ClientReply> {
  const env = { ...process.env, DNS_CLIENT_TIMEOUT_MS: String(waitMs) };
  const { stdout } = await run('ip', ['netns', 'exec', ns, process.execPath, '--import', 'tsx', CLIENT, ...args], { cwd: repoRoot, env });
  return JSON.parse(stdout) as ClientReply;
}

/** waitMs: how long the client waits for an answer (shorter where silence is the expected outcome). */
function query(ns: string, transport: 'udp' | 'tcp', name: string, type = 'A', waitMs = 2000): Promise<ClientReply> {
  return client(ns, ['query', transport, name, type], waitMs);
}

function rawQuery(ns: string, bytes: Buffer, waitMs = 2000): Promise<ClientReply> {
  return client(ns, ['raw', bytes.toString('hex')], waitMs);
}

const SILENCE_MS = 600;

async function nslookup(ns: string, name: string): Promise<{ ok: boolean; output: string }> {
  try {
    const { stdout } = await run('ip', ['netns', 'exec', ns, BUSYBOX, 'nslookup', '-type=a', name, '127.0.0.11']);
    return { ok: true, output: stdout };
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string };
    return { ok: false, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

describe('embedded DNS server (127.0.0.11 in container namespaces)', () => {
  let upstream: FakeUpstream;
  let dns: EmbeddedDns;
  const namespaces: string[] = [];
  let web: { name: string; path: string };
  let db: { name: string; path: string };
  const logs: string[] = [];

  before(async () => {
    assert.equal(process.getuid?.(), 0, 'these tests need root (network namespaces)');
    upstream = await startFakeUpstream({ 'example.test': '203.0.113.7' });
    dns = new EmbeddedDns({ upstreams: [upstream.address], log: (m) => logs.push(m) });
    web = addNetns();
    db = addNetns();
    namespaces.push(web.name, db.name);
    await dns.attach('web-container', web.path, answerSource({ web: ['10.88.0.5'], 'web-alias': ['10.88.0.5'] }));
    await dns.attach('db-container', db.path, answerSource({ db: ['10.89.0.7', '10.89.0.8'] }));
  });

  after(async () => {
    dns?.close();
    await upstream?.close();
    for (const ns of namespaces) execFileSync('ip', ['netns', 'del', ns]);
  });

  it('answers container names to busybox nslookup inside the namespace', async () => {
    const result = await nslookup(web.name, 'web');
    assert.ok(result.ok, result.output);
    assert.match(result.output, /Address:\s+10\.88\.0\.5/);
  });

  it('answers A case-insensitively, with or without the trailing dot, authoritatively', async () => {
    for (const name of ['web', 'WEB', 'web.', 'Web-Alias']) {
      const reply = await query(web.name, 'udp', name);
      assert.equal(reply.rcode, 'NOERROR', name);
      assert.equal(reply.aa, true, name);
      assert.deepEqual(reply.answers, [{ type: 'A', data: '10.88.0.5' }], name);
    }
  });

  it('answers every address of a name with several', async () => {
    const reply = await query(db.name, 'udp', 'db');
    assert.deepEqual(reply.answers?.map((a) => a.data).sort(), ['10.89.0.7', '10.89.0.8']);
  });

  it('answers AAAA for a container name with an empty NOERROR, without asking upstream', async () => {
    const before = upstream.seen.length;
    const reply = await query(web.name, 'udp', 'web', 'AAAA');
    assert.equal(reply.rcode, 'NOERROR');
    assert.deepEqual(reply.answers, []);
    assert.equal(upstream.seen.length, before);
  });

  it('answers container names over TCP', async () => {
    const reply = await query(web.name, 'tcp', 'web');
    assert.equal(reply.rcode, 'NOERROR');
    assert.deepEqual(reply.answers, [{ type: 'A', data: '10.88.0.5' }]);
  });

  it('forwards other names upstream over UDP, and over TCP for TCP queries', async () => {
    const overUdp = await query(web.name, 'udp', 'example.test');
    assert.deepEqual(overUdp.answers, [{ type: 'A', data: '203.0.113.7' }]);
    assert.ok(upstream.seen.some((q) => q.name === 'example.test' && q.transport === 'udp'));
    const overTcp = await query(db.name, 'tcp', 'Example.Test');
    assert.deepEqual(overTcp.answers, [{ type: 'A', data: '203.0.113.7' }]);
    assert.ok(upstream.seen.some((q) => q.name === 'Example.Test' && q.transport === 'tcp'));
    const missing = await query(web.name, 'udp', 'nowhere.test');
    assert.equal(missing.rcode, 'NXDOMAIN');
    const viaBusybox = await nslookup(db.name, 'example.test');
    assert.match(viaBusybox.output, /203\.0\.113\.7/);
  });

  it('keeps namespaces apart: each sees only its own container names', async () => {
    assert.deepEqual((await query(web.name, 'udp', 'db')).rcode, 'NXDOMAIN');
    assert.deepEqual((await query(db.name, 'udp', 'web')).rcode, 'NXDOMAIN');
    assert.equal((await nslookup(db.name, 'web')).ok, false);
    assert.deepEqual((await query(db.name, 'udp', 'db')).answers?.length, 2);
  });

  it('survives garbage: short packets are dropped, undecodable ones get FORMERR, service goes on', async () => {
    assert.deepEqual(await rawQuery(web.name, Buffer.from('hello'), SILENCE_MS), { timeout: true });
    // A header claiming one question that is not there.
    const header = Buffer.from([0xbe, 0xef, 0x01, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0]);
    const formerr = await rawQuery(web.name, header);
    assert.ok(formerr.reply, 'an undecodable query gets an answer');
    const reply = Buffer.from(formerr.reply, 'hex');
    assert.equal(reply.readUInt16BE(0), 0xbeef);
    assert.equal(reply.readUInt16BE(2) & 0x800f, 0x8001); // a response, rcode FORMERR
    await rawQuery(web.name, randomBytes(300), SILENCE_MS);
    // A "query" with the response bit set is never answered (no reflection loops).
    assert.deepEqual(await rawQuery(web.name, Buffer.from([1, 2, 0x81, 0x80, 0, 0, 0, 0, 0, 0, 0, 0]), SILENCE_MS), { timeout: true });
    assert.deepEqual((await query(web.name, 'udp', 'web')).answers, [{ type: 'A', data: '10.88.0.5' }]);
  });

  it('refuses a second server on the same namespace with a clear conflict', async () => {
    const other = new EmbeddedDns({ upstreams: [] });
    try {
      await assert.rejects(other.attach('intruder', web.path, answerSource({})), (err) => isBerthError(err, 'Conflict') && /127\.0\.0\.11:53/.test(err.message));
    } finally {
      other.close();
    }
  });

  it('reports a missing namespace as not found', async () => {
    await assert.rejects(dns.attach('ghost', '/run/netns/berth-dnstest-does-not-exist', answerSource({})), (err) => isBerthError(err, 'NotFound'));
  });

  it('detach frees the port: nothing answers, and attaching again works', async () => {
    const ns = addNetns();
    namespaces.push(ns.name);
    await dns.attach('temp', ns.path, answerSource({ temp: ['10.90.0.2'] }));
    assert.deepEqual((await query(ns.name, 'udp', 'temp')).answers, [{ type: 'A', data: '10.90.0.2' }]);
    dns.detach('temp');
    assert.deepEqual(await query(ns.name, 'udp', 'temp', 'A', SILENCE_MS), { timeout: true });
    assert.deepEqual(await query(ns.name, 'tcp', 'temp', 'A', SILENCE_MS), { timeout: true });
    await dns.attach('temp', ns.path, answerSource({ temp: ['10.90.0.3'] }));
    assert.deepEqual((await query(ns.name, 'tcp', 'temp')).answers, [{ type: 'A', data: '10.90.0.3' }]);
    dns.detach('temp');
    dns.detach('temp'); // detaching twice is harmless
  });

  it('fails over to the next upstream, and answers SERVFAIL when none answers', async () => {
    const silent = await startSilentUpstream();
    const ns = addNetns();
    namespaces.push(ns.name);
    const failover = new EmbeddedDns({ upstreams: [silent.address, upstream.address], upstreamTimeoutMs: 300 });
    const hopeless = new EmbeddedDns({ upstreams: [silent.address], upstreamTimeoutMs: 300 });
    try {
      await failover.attach('c', ns.path, answerSource({}));
      assert.deepEqual((await query(ns.name, 'udp', 'example.test')).answers, [{ type: 'A', data: '203.0.113.7' }]);
      assert.deepEqual((await query(ns.name, 'tcp', 'example.test')).answers, [{ type: 'A', data: '203.0.113.7' }]);
      failover.detach('c');
      await hopeless.attach('c', ns.path, answerSource({}));
      assert.equal((await query(ns.name, 'udp', 'example.test')).rcode, 'SERVFAIL');
    } finally {
      failover.close();
      hopeless.close();
      silent.close();
    }
  });
});
