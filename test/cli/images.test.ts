/** CLI end to end: load, images, tag, history, inspect, save (checked with skopeo), rmi. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { busyboxImage } from '../helpers/test-image.js';
import { startDaemon, teardown, type Daemon } from './harness.js';

let d: Daemon;
before(async () => {
  d = await startDaemon('cli-images');
});
after(() => teardown(d));

function skopeoInspect(archive: string): { Digest: string; Layers: string[] } {
  return JSON.parse(execFileSync('skopeo', ['inspect', `docker-archive:${archive}`], { encoding: 'utf8' })) as { Digest: string; Layers: string[] };
}

function skopeoConfigDigest(archive: string): string {
  const cfg = execFileSync('skopeo', ['inspect', '--raw', `docker-archive:${archive}`], { encoding: 'utf8' });
  return (JSON.parse(cfg) as { config: { digest: string } }).config.digest;
}

test('load -i prints the loaded tag; images lists it', async () => {
  const r = await d.berth(['load', '-i', busyboxImage().dockerArchive]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Loaded image: busybox:latest/);
  const ls = await d.berth(['images']);
  assert.equal(ls.code, 0, ls.stderr);
  assert.match(ls.stdout.split('\n')[0]!, /^REPOSITORY\s+TAG\s+IMAGE ID\s+CREATED\s+SIZE$/);
  assert.match(ls.stdout, /^busybox\s+latest\s+[0-9a-f]{12}\s/m);
});

test('load from stdin; reloading moves the tag and prune removes the dangling image', async () => {
  const before = (await d.berth(['images', '-q', '--no-trunc'])).stdout.trim();
  const oci = await d.berth(['load'], { input: fs.readFileSync(busyboxImage().ociArchive) });
  assert.equal(oci.code, 0, oci.stderr);
  assert.match(oci.stdout, /Loaded image: busybox:latest/);
  // The OCI archive's config differs from the docker archive's: busybox:latest moved to it.
  const ls = await d.berth(['images', '--format', '{{.ID}} {{.Repository}}:{{.Tag}}', '--no-trunc']);
  assert.ok(ls.stdout.includes(`${before} <none>:<none>`), ls.stdout);
  assert.equal((await d.berth(['image', 'load', '-q', '-i', busyboxImage().dockerArchive])).code, 0);
  const prune = await d.berth(['image', 'prune', '-f']);
  assert.equal(prune.code, 0, prune.stderr);
  assert.match(prune.stdout, /^deleted: sha256:[0-9a-f]{64}$/m);
  assert.equal((await d.berth(['images', '-q', '--no-trunc'])).stdout.trim(), before);
});

test('a broken archive or a missing file is a clear error', async () => {
  const bad = await d.berth(['load'], { input: Buffer.from('this is not a tar archive at all'.repeat(40)) });
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /berth: .+/);
  const missing = await d.berth(['load', '-i', '/nonexistent/x.tar']);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /no such file or directory/);
});

test('tag, images -q, inspect and history', async () => {
  assert.equal((await d.berth(['tag', 'busybox', 'example.com/tools/bb:v1'])).code, 0);
  const ls = await d.berth(['images', '--format', '{{.Repository}}:{{.Tag}}']);
  assert.deepEqual(ls.stdout.split('\n').filter(Boolean).sort(), ['busybox:latest', 'example.com/tools/bb:v1']);
  const q = await d.berth(['images', '-q']);
  assert.equal(q.stdout.trim().split('\n').length, 1, 'two tags of one image give one id');

  const inspect = await d.berth(['image', 'inspect', 'example.com/tools/bb:v1']);
  assert.equal(inspect.code, 0, inspect.stderr);
  const [img] = JSON.parse(inspect.stdout) as Array<{ Id: string; RepoTags: string[]; Os: string; RootFS: { Layers: string[] } }>;
  assert.match(img!.Id, /^sha256:[0-9a-f]{64}$/);
  assert.deepEqual([...img!.RepoTags].sort(), ['busybox:latest', 'example.com/tools/bb:v1']);
  assert.equal(img!.Os, 'linux');
  const fmt = await d.berth(['inspect', '--format', '{{.Os}}/{{.Architecture}} {{json .RootFS.Type}}', 'busybox']);
  assert.match(fmt.stdout, /^linux\/\w+ "layers"\n$/);
  const yaml = await d.berth(['inspect', '-o', 'yaml', 'busybox']);
  assert.match(yaml.stdout, /^- Id: sha256:/m);

  const hist = await d.berth(['history', 'busybox']);
  assert.equal(hist.code, 0, hist.stderr);
  assert.match(hist.stdout.split('\n')[0]!, /^IMAGE\s+CREATED\s+CREATED BY\s+SIZE\s+COMMENT$/);
  assert.match(hist.stdout.split('\n')[1]!, new RegExp(`^${img!.Id.slice(7, 19)}\\s`));
  const histJson = await d.berth(['image', 'history', '-o', 'json', 'busybox']);
  const rows = JSON.parse(histJson.stdout) as Array<{ Id: string; Size: number }>;
  assert.equal(rows[0]!.Id, img!.Id);
  assert.ok(rows.some((r) => r.Size > 1_000_000), 'the busybox layer has its size');

  const none = await d.berth(['inspect', 'nosuchthing']);
  assert.equal(none.code, 1);
  assert.match(none.stderr, /No such object: nosuchthing/);
});

test('save -o writes a docker archive skopeo reads with the same digests', async () => {
  const out = path.join(d.dir, 'saved.tar');
  const r = await d.berth(['save', '-o', out, 'busybox:latest']);
  assert.equal(r.code, 0, r.stderr);
  const original = busyboxImage().dockerArchive;
  assert.deepEqual(skopeoInspect(out).Layers, skopeoInspect(original).Layers);
  assert.equal(skopeoConfigDigest(out), skopeoConfigDigest(original));
  // And stdout, through the image alias.
  const piped = await d.berth(['image', 'save', 'busybox']);
  assert.equal(piped.code, 0, piped.stderr);
  assert.ok(piped.stdout.length > 1000);
  const unknown = await d.berth(['save', '-o', path.join(d.dir, 'x.tar'), 'nope:1']);
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /nope/);
  assert.equal(fs.existsSync(path.join(d.dir, 'x.tar')), false, 'no partial file left behind');
});

test('rmi untags, refuses an image in use, and -f removes it', async () => {
  const untag = await d.berth(['rmi', 'example.com/tools/bb:v1']);
  assert.equal(untag.code, 0, untag.stderr);
  assert.match(untag.stdout, /^Untagged: example.com\/tools\/bb:v1$/m);
  const c = await d.berth(['create', '--name', 'holder', 'busybox', 'true']);
  assert.equal(c.code, 0, c.stderr);
  const refused = await d.berth(['rmi', 'busybox']);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /conflict: unable to remove repository reference "busybox" \(must force\) - container [0-9a-f]{12} is using its referenced image [0-9a-f]{12}/);
  assert.equal((await d.berth(['rm', 'holder'])).code, 0);
  const removed = await d.berth(['rmi', 'busybox']);
  assert.equal(removed.code, 0, removed.stderr);
  assert.match(removed.stdout, /Deleted: sha256:/);
  assert.equal((await d.berth(['images', '-q'])).stdout.trim(), '');
  const gone = await d.berth(['rmi', 'busybox']);
  assert.equal(gone.code, 1);
  assert.match(gone.stderr, /busybox/);
  const prune = await d.berth(['image', 'prune', '-f']);
  assert.equal(prune.code, 0, prune.stderr);
  assert.match(prune.stdout, /Total reclaimed space:/);
});
