/**
 * Images through the real docker CLI against berth: images (-q, filters, --format), image inspect,
 * history, tag, rmi (untag vs delete), save/load round trip, image prune.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, test } from 'node:test';
import { teardown, type Daemon } from '../cli/harness.js';
import { docker, dockerOk, lines } from './docker-cli.js';
import { startWithBusybox } from '../helpers/busybox-daemon.js';

let d: Daemon;
let busyboxId = '';
before(async () => {
  d = await startWithBusybox('docker-cli-img');
  busyboxId = (await dockerOk(d, ['image', 'inspect', '-f', '{{.Id}}', 'busybox'])).trim();
});
after(() => teardown(d));


test('images: table, -q, --no-trunc, --format json, filters reference and dangling', async () => {
  const table = lines(await dockerOk(d, ['images']));
  assert.match(table[0]!, /^(REPOSITORY\s+TAG\s+IMAGE ID\s+CREATED\s+SIZE|IMAGE\s+ID\s+DISK USAGE\s+CONTENT SIZE\s+EXTRA)$/);
  assert.match(table[1]!, new RegExp(`^busybox\\s+latest\\s+${busyboxId.slice(7, 19)}\\s+.+\\s+[\\d.]+[kMG]?B$`));
  assert.deepEqual(lines(await dockerOk(d, ['images', '-q'])), [busyboxId.slice(7, 19)]);
  assert.deepEqual(lines(await dockerOk(d, ['images', '-q', '--no-trunc'])), [busyboxId]);
  const row = JSON.parse(lines(await dockerOk(d, ['images', '--format', '{{json .}}']))[0]!) as Record<string, string>;
  assert.deepEqual([row.Repository, row.Tag, row.ID], ['busybox', 'latest', busyboxId.slice(7, 19)]);
  assert.match(row.Size!, /^[\d.]+[kMG]?B$/);
  assert.match(row.CreatedSince!, /ago$/);
  assert.deepEqual(lines(await dockerOk(d, ['images', '--filter', 'reference=busy*', '-q'])), [busyboxId.slice(7, 19)]);
  assert.deepEqual(lines(await dockerOk(d, ['images', '--filter', 'reference=nothing*', '-q'])), []);
  assert.deepEqual(lines(await dockerOk(d, ['images', '--filter', 'dangling=true', '-q'])), []);
});

test('image inspect and history', async () => {
  const [img] = JSON.parse(await dockerOk(d, ['image', 'inspect', 'busybox'])) as Array<{ Id: string; RepoTags: string[]; Os: string; Architecture: string; Config: { Cmd: string[] }; RootFS: { Type: string; Layers: string[] }; Size: number }>;
  assert.equal(img!.Id, busyboxId);
  assert.deepEqual(img!.RepoTags, ['busybox:latest']);
  assert.equal(img!.Os, 'linux');
  assert.equal(img!.RootFS.Type, 'layers');
  assert.ok(img!.RootFS.Layers.length >= 1);
  assert.ok(img!.Size > 0);
  const hist = lines(await dockerOk(d, ['history', 'busybox']));
  assert.match(hist[0]!, /^IMAGE\s+CREATED\s+CREATED BY\s+SIZE\s+COMMENT$/);
  assert.ok(hist.length >= 2);
  assert.match(await dockerOk(d, ['history', '-q', '--no-trunc', 'busybox']), new RegExp(`^${busyboxId}\n`));
  const missing = await docker(d, ['image', 'inspect', 'nope:1']);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /No such image: nope:1/);
});

test('tag then rmi untags; rmi of the last tag deletes; rmi of an image in use needs -f', async () => {
  assert.equal(await dockerOk(d, ['tag', 'busybox', 'mine/box:v1']), '');
  assert.equal(await dockerOk(d, ['image', 'inspect', '-f', '{{.Id}}', 'mine/box:v1']), `${busyboxId}\n`);
  assert.equal(await dockerOk(d, ['rmi', 'mine/box:v1']), 'Untagged: mine/box:v1\n');
  // An image with a container (even stopped) cannot be deleted without -f.
  await dockerOk(d, ['tag', 'busybox', 'only:tag']);
  const c = (await dockerOk(d, ['create', 'only:tag', 'true'])).trim();
  await dockerOk(d, ['rmi', 'only:tag']); // another tag (busybox) remains: this only untags
  const inUse = await docker(d, ['rmi', busyboxId]);
  assert.equal(inUse.code, 1);
  assert.equal(inUse.stderr.trim(), `Error response from daemon: conflict: unable to delete ${busyboxId.slice(7, 19)} (must be forced) - image is being used by stopped container ${c.slice(0, 12)}`);
  await dockerOk(d, ['tag', 'busybox', 'solo:tag']);
  await dockerOk(d, ['rmi', 'busybox']); // solo:tag keeps the image
  const byName = await docker(d, ['rmi', 'solo:tag']);
  assert.equal(byName.stderr.trim(), `Error response from daemon: conflict: unable to remove repository reference "solo:tag" (must force) - container ${c.slice(0, 12)} is using its referenced image ${busyboxId.slice(7, 19)}`);
  await dockerOk(d, ['tag', 'solo:tag', 'busybox']);
  await dockerOk(d, ['rmi', 'solo:tag']);
  await dockerOk(d, ['rm', c]);
  const bad = await docker(d, ['tag', 'busybox', 'UPPER:case']);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /invalid reference format/);
});

test('save | load round trip; image prune; rmi deletes with Deleted lines', async () => {
  const tarPath = `${d.dir}/saved.tar`;
  await dockerOk(d, ['tag', 'busybox', 'saved:1']);
  await dockerOk(d, ['save', '-o', tarPath, 'saved:1']);
  assert.ok(fs.statSync(tarPath).size > 100_000);
  const rmi = await dockerOk(d, ['rmi', '-f', 'busybox', 'saved:1']);
  assert.match(rmi, /^Untagged: busybox:latest\nUntagged: saved:1\nDeleted: sha256:[0-9a-f]{64}\n/);
  assert.deepEqual(lines(await dockerOk(d, ['images', '-q'])), []);
  const load = await dockerOk(d, ['load', '-i', tarPath]);
  assert.match(load, /Loaded image: saved:1\n/);
  await dockerOk(d, ['tag', 'saved:1', 'busybox']);
  assert.equal(await dockerOk(d, ['image', 'inspect', '-f', '{{.Id}}', 'busybox']), `${busyboxId}\n`);
  // prune without -a leaves tagged images; the summary line is Docker's.
  const prune = await dockerOk(d, ['image', 'prune', '-f']);
  assert.match(prune, /Total reclaimed space: /);
  // One line per tag, as docker's: saved:1 and busybox are the same image.
  assert.deepEqual(lines(await dockerOk(d, ['images', '-q'])), [busyboxId.slice(7, 19), busyboxId.slice(7, 19)]);
});

test('pull and push say plainly that berth has no registry access yet', async () => {
  const pull = await docker(d, ['pull', 'alpine:3.20']);
  assert.equal(pull.code, 1);
  assert.match(pull.stderr, /Error response from daemon: berth does not support pulling images \(docker pull\) yet/);
  const runMissing = await docker(d, ['run', '--rm', 'no-such-image:9']);
  assert.equal(runMissing.code, 125);
  assert.match(runMissing.stderr, /Unable to find image 'no-such-image:9' locally/);
});
