/**
 * Issue 5's durability promise, end to end through the real daemon: 1000 ConfigMap creates (50 in
 * flight at a time) against `berth server`, a kill -9 of the server midway, a restart on the same
 * dirs, and then every create that was answered 201 is there with its data, and nothing exists
 * that was never sent. Requests in flight at the kill may or may not have landed (the client never
 * learned the outcome); that is the only uncertainty allowed. On SQLite (the server's own file) and
 * on a real etcd on loopback (which keeps running: only the daemon crashes).
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { scratchDir } from '../helpers/test-image.js';
import { startEtcd, type EtcdProcess } from '../storage/helpers/etcd-process.js';
import { adminClient, startBerthServer, type BerthServerProcess } from './helpers/berth-server-process.js';

const TOTAL = 1000;
const IN_FLIGHT = 50;
const KILL_AFTER_ACKS = 400;
const NS = 'durability';
const CM_PATH = `/api/v1/namespaces/${NS}/configmaps`;

type Outcome = 'unsent' | 'in-flight' | 'acked' | 'refused' | 'lost';

async function crashDuringWrites(server: BerthServerProcess): Promise<Outcome[]> {
  const client = adminClient(server, IN_FLIGHT);
  const outcome: Outcome[] = Array.from({ length: TOTAL }, () => 'unsent');
  const refusals: string[] = [];
  let acked = 0;
  let killing: Promise<void> | null = null;
  let next = 0;
  try {
    const ns = await client.call('POST', '/api/v1/namespaces', JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } }));
    assert.equal(ns.status, 201, ns.body);
    await Promise.all(Array.from({ length: IN_FLIGHT }, async () => {
      // No request is sent once the kill is decided: whatever is unsent then must never appear.
      for (let i = next++; i < TOTAL && !killing; i = next++) {
        outcome[i] = 'in-flight';
        const body = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${i}` }, data: { i: String(i) } });
        try {
          const r = await client.call('POST', CM_PATH, body);
          if (r.status === 201) {
            outcome[i] = 'acked';
            if (++acked === KILL_AFTER_ACKS) killing = server.crash();
          } else {
            outcome[i] = 'refused';
            if (!killing) refusals.push(`cm-${i}: ${r.status} ${r.body.slice(0, 200)}`);
          }
        } catch (err) {
          outcome[i] = 'lost'; // the connection died with the server: outcome unknown
          if (!killing) refusals.push(`cm-${i}: ${(err as Error).message} before the kill`);
        }
      }
    }));
  } finally {
    client.close();
  }
  assert.ok(killing, `the server was never killed (${acked} acks)`);
  await killing;
  assert.deepEqual(refusals, [], 'before the kill every create is accepted');
  return outcome;
}

async function checkAfterRestart(server: BerthServerProcess, outcome: Outcome[]): Promise<string> {
  const client = adminClient(server, 1);
  try {
    const r = await client.call('GET', CM_PATH);
    assert.equal(r.status, 200, r.body);
    const items = (JSON.parse(r.body) as { items: Array<{ metadata: { name: string }; data?: Record<string, string> }> }).items;
    const present = new Map(items.map((cm) => [cm.metadata.name, cm]));
    const missing: string[] = [];
    const wrongData: string[] = [];
    const phantom: string[] = [];
    outcome.forEach((o, i) => {
      const cm = present.get(`cm-${i}`);
      if (o === 'acked' && !cm) missing.push(`cm-${i}`);
      if (cm && cm.data?.i !== String(i)) wrongData.push(`cm-${i}: ${JSON.stringify(cm.data)}`);
      if (cm && (o === 'unsent' || o === 'refused')) phantom.push(`cm-${i} (${o})`);
    });
    const unexpected = [...present.keys()].filter((n) => !/^cm-\d+$/.test(n) || Number(n.slice(3)) >= TOTAL);
    assert.deepEqual(missing, [], 'every acknowledged create survives the kill -9');
    assert.deepEqual(wrongData, [], 'every surviving ConfigMap holds the data it was created with');
    assert.deepEqual(phantom, [], 'nothing exists that was never sent');
    assert.deepEqual(unexpected, [], 'no object appears that no client created');
    // The restarted server takes writes again.
    const again = await client.call('POST', CM_PATH, JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'after-restart' } }));
    assert.equal(again.status, 201, again.body);
    const count = (o: Outcome) => outcome.filter((x) => x === o).length;
    const landedOfLost = outcome.filter((o, i) => o === 'lost' && present.has(`cm-${i}`)).length;
    return `acked ${count('acked')} (all present), lost at the kill ${count('lost')} (${landedOfLost} of them landed), unsent ${count('unsent')} (none present)`;
  } finally {
    client.close();
  }
}

async function durabilityRun(label: string, endpoint?: string): Promise<void> {
  const dir = scratchDir(label);
  const opts = endpoint ? { datastoreEndpoint: endpoint } : {};
  let server: BerthServerProcess | undefined = await startBerthServer(dir, opts);
  try {
    const outcome = await crashDuringWrites(server);
    server = await startBerthServer(dir, opts);
    const summary = await checkAfterRestart(server, outcome);
    console.log(`# ${label}: ${summary}`);
  } catch (err) {
    throw new Error(`${(err as Error).message}\nserver log tail:\n${server?.log().slice(-3000)}`, { cause: err });
  } finally {
    await server?.stop();
  }
}

test('kill -9 during 1000 concurrent ConfigMap creates on SQLite: every acknowledged write survives', { timeout: 120_000 }, async () => {
  assert.equal(process.getuid?.(), 0, 'berth server needs root');
  await durabilityRun('kube-durability-sqlite');
});

test('kill -9 during 1000 concurrent ConfigMap creates on etcd: every acknowledged write survives', { timeout: 120_000 }, async () => {
  assert.equal(process.getuid?.(), 0, 'berth server needs root');
  let etcd: EtcdProcess | undefined;
  try {
    etcd = await startEtcd(path.join(scratchDir('kube-durability-etcd-store'), 'etcd'));
    await durabilityRun('kube-durability-etcd', etcd.endpoint);
  } finally {
    await etcd?.stop();
  }
});
