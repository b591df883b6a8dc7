import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { loadRecords, saveRecord } from './store.js';
import type { ContainerRecord } from './store.js';
import { psTable, namespacesOf } from './proc-info.js';

test('records round-trip atomically; unreadable ones are reported and skipped', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'store-'));
  const id = 'a'.repeat(64);
  const rec = { info: { id, name: 'x' }, manuallyStopped: false, hasBeenStarted: true, cgroupsPath: `/berth/${id}` } as unknown as ContainerRecord;
  saveRecord(root, rec);
  saveRecord(root, { ...rec, manuallyStopped: true });
  assert.deepEqual(fs.readdirSync(path.join(root, id)), ['config.v1.json'], 'no temp file left behind');
  const bad = 'b'.repeat(64);
  fs.mkdirSync(path.join(root, bad));
  fs.writeFileSync(path.join(root, bad, 'config.v1.json'), '{ torn');
  fs.mkdirSync(path.join(root, 'not-a-container'));
  const skipped: string[] = [];
  const got = loadRecords(root, (dir) => skipped.push(path.basename(dir)));
  assert.deepEqual(got.map((r) => [r.info.id, r.manuallyStopped]), [[id, true]]);
  assert.deepEqual(skipped, [bad]);
  fs.rmSync(root, { recursive: true, force: true });
});

test('ps rows and namespaces come from /proc', () => {
  const { titles, processes } = psTable([process.pid, 999_999_999]);
  assert.deepEqual(titles, ['UID', 'PID', 'PPID', 'C', 'STIME', 'TTY', 'TIME', 'CMD']);
  assert.equal(processes.length, 1, 'a vanished pid is left out');
  assert.equal(processes[0]![1], String(process.pid));
  assert.equal(processes[0]![2], String(process.ppid));
  assert.match(processes[0]![6]!, /^\d\d:\d\d:\d\d$/);
  assert.match(processes[0]![7]!, /node/);
  assert.match(namespacesOf(process.pid).pid ?? '', /^pid:\[\d+\]$/);
  assert.deepEqual(namespacesOf(0), {});
});
