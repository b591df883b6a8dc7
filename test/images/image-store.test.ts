/**
 * The image store on a real overlay snapshotter: loading the busybox test image as docker-save
 * and OCI archives, save/skopeo interop, round trips, tags, rmi, history, gc and persistence.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { ImageStore, chainIds } from '../../src/engine/images/index.js';
import { openSnapshotter, type LayerSnapshotter } from '../../src/engine/snapshots/index.js';
import { busyboxImage, scratchDir } from '../helpers/test-image.js';
import { dockerArchive, imageConfig, ociArchive } from './archive-builder.js';
import { buildTar, sha256 } from './tar-builder.js';

const BUSYBOX_DIFF = 'sha256:a7a37f3032733f851dfa1cc574c4d9d310e7507b20614b8d0744fdec99723d26';

function skopeoInspect(archive: string): { Digest: string; Layers: string[] } {
  return JSON.parse(execFileSync('skopeo', ['inspect', `docker-archive:${archive}`], { encoding: 'utf8' })) as { Digest: string; Layers: string[] };
}

function configDigestOf(dockerArchivePath: string): string {
  const manifest = JSON.parse(execFileSync('tar', ['-xOf', dockerArchivePath, './manifest.json'], { encoding: 'utf8' })) as Array<{ Config: string }>;
  return 'sha256:' + manifest[0]!.Config.replace(/\.json$/, '');
}

describe('image store', () => {
  let dir: string;
  let snap: LayerSnapshotter;
  let store: ImageStore;
  let images: ReturnType<typeof busyboxImage>;
  let dockerId: string;
  let ociId: string;

  const open = async (sub: string) => {
    const s = await openSnapshotter({ root: path.join(dir, sub, 'snap'), driver: 'overlay' });
    return { snap: s, store: await ImageStore.open({ root: path.join(dir, sub, 'images'), snapshotter: s }) };
  };

  before(async () => {
    assert.equal(process.getuid?.(), 0, 'needs root');
    dir = scratchDir('imgstore');
    images = busyboxImage();
    ({ snap, store } = await open('main'));
  });
  after(async () => {
    for (const s of snap?.snapshots() ?? []) await snap.remove(s.key);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('loads the docker-save archive, verifying digests, with per-layer progress', async () => {
    const progress: string[] = [];
    const res = await store.load(fs.createReadStream(images.dockerArchive), (p) => progress.push(`${p.id} ${p.status}`));
    assert.deepEqual(res.tags, ['busybox:latest']);
    const img = res.images[0]!;
    dockerId = img.id;
    assert.equal(img.id, configDigestOf(images.dockerArchive), 'image id = config digest');
    assert.deepEqual(img.config.rootfs.diff_ids, [BUSYBOX_DIFF]);
    assert.deepEqual(img.chainIds, [BUSYBOX_DIFF]);
    assert.deepEqual(img.repoTags, ['busybox:latest']);
    assert.ok(img.size > 1_000_000);
    assert.ok(progress.includes('a7a37f303273 Loaded layer'), progress.join('\n'));
    assert.ok(snap.hasLayer(BUSYBOX_DIFF));
  });

  it('loads the OCI archive: same diffIDs and layer snapshot, its own config digest', async () => {
    const progress: string[] = [];
    const res = await store.load(fs.createReadStream(images.ociArchive), (p) => progress.push(p.status));
    const img = res.images[0]!;
    ociId = img.id;
    assert.deepEqual(res.tags, ['busybox:latest']);
    assert.deepEqual(img.config.rootfs.diff_ids, [BUSYBOX_DIFF]);
    assert.deepEqual(img.chainIds, [BUSYBOX_DIFF]);
    // skopeo re-serializes the config when it converts to OCI (key order changes), so the config
    // digest — the image id — differs from the docker-save one although the content is the same.
    const readOci = (name: string) => JSON.parse(execFileSync('tar', ['-xOf', images.ociArchive, name], { encoding: 'utf8' }));
    const manifestDigest: string = readOci('index.json').manifests[0].digest;
    const configDigest: string = readOci(`blobs/sha256/${manifestDigest.slice(7)}`).config.digest;
    assert.equal(img.id, configDigest, 'image id = the OCI config digest');
    assert.equal(img.manifestDigest, manifestDigest, 'the OCI manifest is kept byte for byte');
    assert.notEqual(img.id, dockerId);
    assert.deepEqual(img.config, store.resolve(dockerId).config, 'same config content');
    assert.ok(progress.includes('Layer already exists'), 'the shared layer is verified, not unpacked twice');
    assert.equal(snap.list().length, 1, 'one layer snapshot for both images');
    // The tag moved to the image loaded last; the first stays, untagged.
    assert.equal(store.resolve('busybox').id, ociId);
    assert.deepEqual(store.resolve(dockerId).repoTags, []);
  });

  it('resolves names, normalized names, ids and id prefixes', async () => {
    await store.tag(dockerId, 'localhost:5000/team/bb:1.0');
    for (const ref of ['busybox', 'busybox:latest', 'docker.io/library/busybox:latest', 'library/busybox', 'index.docker.io/library/busybox']) {
      assert.equal(store.resolve(ref).id, ociId, ref);
    }
    assert.equal(store.resolve('localhost:5000/team/bb:1.0').id, dockerId);
    assert.equal(store.resolve(dockerId.slice(7, 19)).id, dockerId);
    assert.equal(store.resolve(dockerId).id, dockerId);
    assert.equal(store.resolve(dockerId.slice(7)).id, dockerId);
    assert.throws(() => store.resolve('busybox:nope'), (err: Error & { code?: string }) => err.code === 'NotFound' && err.message === 'image "busybox:nope" not found');
    assert.throws(() => store.resolve('Bad/Name'), { code: 'InvalidArgument' });
    assert.deepEqual(store.resolve(dockerId).repoTags, ['localhost:5000/team/bb:1.0']);
  });

  it('saves a docker-save archive skopeo reads with the original digests, and round-trips the id', async () => {
    const out = path.join(dir, 'saved.tar');
    await store.save(['localhost:5000/team/bb:1.0'], fs.createWriteStream(out));
    const original = skopeoInspect(images.dockerArchive);
    const saved = skopeoInspect(out);
    assert.equal(saved.Digest, original.Digest);
    assert.deepEqual(saved.Layers, original.Layers);
    const manifest = JSON.parse(execFileSync('tar', ['-xOf', out, 'manifest.json'], { encoding: 'utf8' })) as Array<{ RepoTags: string[] }>;
    assert.deepEqual(manifest[0]!.RepoTags, ['localhost:5000/team/bb:1.0']);

    const fresh = await open('roundtrip');
    const res = await fresh.store.load(fs.createReadStream(out));
    assert.equal(res.images[0]!.id, dockerId);
    assert.deepEqual(res.tags, ['localhost:5000/team/bb:1.0']);
    // `docker load` also takes gzip-compressed archives.
    const gz = await open('roundtrip-gz');
    const again = await gz.store.load(Readable.from([zlib.gzipSync(fs.readFileSync(out))]));
    assert.equal(again.images[0]!.id, dockerId);
  });

  it('saves an OCI-loaded (gzip layer) image with the uncompressed layer', async () => {
    const out = path.join(dir, 'saved-oci.tar');
    await store.save(['busybox'], fs.createWriteStream(out));
    const saved = skopeoInspect(out);
    assert.deepEqual(saved.Layers, [BUSYBOX_DIFF]);
    const fresh = await open('roundtrip2');
    assert.equal((await fresh.store.load(fs.createReadStream(out))).images[0]!.id, ociId);
  });

  it('shows history rows from the config, empty layers as size 0', async () => {
    const l1 = await buildTar([{ name: 'a', data: 'aaaa' }]);
    const l2 = await buildTar([{ name: 'b', data: 'bbbbbbbb' }]);
    const config = Buffer.from(JSON.stringify({
      architecture: 'amd64', os: 'linux', created: '2024-01-02T00:00:00Z',
      rootfs: { type: 'layers', diff_ids: [sha256(l1), sha256(l2)] },
      history: [
        { created: '2024-01-01T00:00:00Z', created_by: 'ADD a' },
        { created: '2024-01-01T00:00:01Z', created_by: 'ENV X=1', empty_layer: true },
        { created: '2024-01-01T00:00:02Z', created_by: 'ADD b', comment: 'two' },
      ],
    }));
    const { archive, configDigest } = await dockerArchive([l1, l2], ['hist:1'], { config });
    await store.load(Readable.from([archive]));
    const rows = store.history('hist:1');
    assert.deepEqual(rows.map((r) => [r.CreatedBy, r.Size]), [['ADD b', 8], ['ENV X=1', 0], ['ADD a', 4]]);
    assert.equal(rows[0]!.Id, configDigest);
    assert.deepEqual(rows[0]!.Tags, ['hist:1']);
    assert.equal(rows[1]!.Id, '<missing>');
    assert.equal(rows[2]!.Created, Date.parse('2024-01-01T00:00:00Z') / 1000);
  });

  it('stacks a multi-layer image with whiteouts and an opaque dir into a container rootfs', async () => {
    const l1 = await buildTar([
      { name: 'etc/', type: 'directory' },
      { name: 'etc/keep', data: 'keep\n' },
      { name: 'etc/secret', data: 'secret\n' },
      { name: 'cache/', type: 'directory' },
      { name: 'cache/a', data: 'a\n' },
      { name: 'cache/b', data: 'b\n' },
    ]);
    const l2 = await buildTar([{ name: 'etc/.wh.secret' }, { name: 'cache/', type: 'directory' }, { name: 'cache/.wh..wh..opq' }, { name: 'cache/fresh', data: 'fresh\n' }]);
    const gz = zlib.gzipSync(l2);
    // Layer 2 gzip-compressed inside a docker-save archive: detected by its magic bytes.
    const { archive } = await dockerArchive([l1, gz], ['multi:1'], { config: imageConfig([sha256(l1), sha256(l2)]) });
    const res = await store.load(Readable.from([archive]));
    const img = res.images[0]!;
    assert.deepEqual(img.chainIds, chainIds([sha256(l1), sha256(l2)]));
    const rootfs = await snap.prepare('multi-ctr', img.chainIds);
    assert.equal(fs.readFileSync(path.join(rootfs.path, 'etc/keep'), 'utf8'), 'keep\n');
    assert.equal(fs.existsSync(path.join(rootfs.path, 'etc/secret')), false);
    assert.deepEqual(fs.readdirSync(path.join(rootfs.path, 'cache')), ['fresh']);
    await snap.remove('multi-ctr');
  });

  it('refuses a docker-save archive whose layer does not match the config diff_id, storing nothing', async () => {
    const l1 = await buildTar([{ name: 'x', data: 'x' }]);
    const other = await buildTar([{ name: 'y', data: 'y' }]);
    const config = imageConfig([sha256(other)]);
    const { archive, configDigest } = await dockerArchive([l1], ['bad:1'], { config, layerNames: ['l/layer.tar'] });
    const before = store.list().length;
    await assert.rejects(store.load(Readable.from([archive])), (err: Error & { code?: string }) => err.code === 'InvalidArgument' && /layer l\/layer\.tar: digest mismatch/.test(err.message));
    assert.equal(store.list().length, before);
    assert.equal(store.content.has(configDigest), false, 'nothing committed');
    assert.deepEqual(fs.readdirSync(path.join(store.content.root, 'ingest')), [], 'ingest area cleaned');
  });

  it('refuses a gzip layer whose content does not match its diff_id, leaving no layer', async () => {
    const l1 = await buildTar([{ name: 'x', data: 'x' }]);
    const other = await buildTar([{ name: 'y', data: 'y' }]);
    const config = imageConfig([sha256(other)]);
    const { archive } = await dockerArchive([zlib.gzipSync(l1)], ['bad:2'], { config });
    await assert.rejects(store.load(Readable.from([archive])), /diffID mismatch/);
    assert.equal(snap.hasLayer(sha256(other)), false);
    assert.throws(() => store.resolve('bad:2'), { code: 'NotFound' });
  });

  it('refuses zstd layers with NotImplemented and archives that are not images', async () => {
    const l1 = await buildTar([{ name: 'x', data: 'x' }]);
    const fakeZstd = Buffer.concat([Buffer.from([0x28, 0xb5, 0x2f, 0xfd]), l1]);
    const { archive } = await ociArchive([{ mediaType: 'application/vnd.oci.image.layer.v1.tar+zstd', data: fakeZstd, diffId: sha256(l1) }], 'zstd:1');
    await assert.rejects(store.load(Readable.from([archive])), (err: Error & { code?: string }) => err.code === 'NotImplemented' && /zstd/.test(err.message));
    await assert.rejects(store.load(Readable.from([await buildTar([{ name: 'hello', data: 'x' }])])), { code: 'InvalidArgument' });
    await assert.rejects(store.load(Readable.from([Buffer.from('not a tar at all'.repeat(64))])), { code: 'InvalidArgument' });
  });

  it('loads old docker-save archives whose duplicate layers are symlinks', async () => {
    const l = await buildTar([{ name: 'shared', data: 's' }]);
    const top = await buildTar([{ name: 'top', data: 't' }]);
    const c1 = imageConfig([sha256(l)]);
    const c2 = imageConfig([sha256(l), sha256(top)]);
    const archive = await buildTar([
      { name: 'aaa/', type: 'directory' },
      { name: 'aaa/layer.tar', data: l },
      { name: 'bbb/', type: 'directory' },
      { name: 'bbb/layer.tar', type: 'symlink', linkname: '../aaa/layer.tar' },
      { name: 'ccc/layer.tar', data: top },
      { name: sha256(c1).slice(7) + '.json', data: c1 },
      { name: sha256(c2).slice(7) + '.json', data: c2 },
      { name: 'manifest.json', data: JSON.stringify([
        { Config: sha256(c1).slice(7) + '.json', RepoTags: ['old:1'], Layers: ['aaa/layer.tar'] },
        { Config: sha256(c2).slice(7) + '.json', RepoTags: ['old:2'], Layers: ['bbb/layer.tar', 'ccc/layer.tar'] },
      ]) },
    ]);
    const res = await store.load(Readable.from([archive]));
    assert.deepEqual(res.tags, ['old:1', 'old:2']);
    assert.deepEqual(res.images.map((i) => i.id), [sha256(c1), sha256(c2)]);
    assert.equal(store.resolve('old:2').chainIds[0], sha256(l));
  });

  it('picks this platform from a multi-platform OCI index', async () => {
    const amd = await buildTar([{ name: 'arch', data: 'amd64' }]);
    const arm = await buildTar([{ name: 'arch', data: 'arm64' }]);
    const blobs: Array<{ name: string; data: Buffer }> = [];
    const add = (data: Buffer) => {
      blobs.push({ name: 'blobs/sha256/' + sha256(data).slice(7), data });
      return { digest: sha256(data), size: data.length };
    };
    const manifestFor = (layer: Buffer, arch: string) => {
      const config = Buffer.from(JSON.stringify({ architecture: arch, os: 'linux', rootfs: { type: 'layers', diff_ids: [sha256(layer)] } }));
      return Buffer.from(JSON.stringify({
        schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...add(config) },
        layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', ...add(zlib.gzipSync(layer)) }],
      }));
    };
    const host = process.arch === 'arm64' ? 'arm64' : 'amd64';
    const nested = Buffer.from(JSON.stringify({
      schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: [
        { mediaType: 'application/vnd.oci.image.manifest.v1+json', ...add(manifestFor(arm, 'arm64')), platform: { os: 'linux', architecture: 'arm64' } },
        { mediaType: 'application/vnd.oci.image.manifest.v1+json', ...add(manifestFor(amd, 'amd64')), platform: { os: 'linux', architecture: 'amd64' } },
      ],
    }));
    const index = { schemaVersion: 2, manifests: [{ mediaType: 'application/vnd.oci.image.index.v1+json', ...add(nested), annotations: { 'io.containerd.image.name': 'docker.io/library/multi-arch:1' } }] };
    const archive = await buildTar([{ name: 'oci-layout', data: '{"imageLayoutVersion":"1.0.0"}' }, { name: 'index.json', data: JSON.stringify(index) }, ...blobs]);
    const res = await store.load(Readable.from([archive]));
    assert.deepEqual(res.tags, ['multi-arch:1']);
    assert.equal(res.images[0]!.config.architecture, host);
    assert.deepEqual(res.images[0]!.chainIds, [sha256(host === 'amd64' ? amd : arm)]);
  });

  it('loads a plain OCI archive with a full reference name', async () => {
    const l1 = await buildTar([{ name: 'oci-file', data: 'hi' }]);
    const { archive, configDigest } = await ociArchive([{ mediaType: 'application/vnd.oci.image.layer.v1.tar', data: l1, diffId: sha256(l1) }], 'example.com/a/b:2');
    const res = await store.load(Readable.from([archive]));
    assert.deepEqual(res.tags, ['example.com/a/b:2']);
    assert.equal(res.images[0]!.id, configDigest);
  });

  it('untags, refuses to remove an image in use, and deletes the last reference', async () => {
    await store.tag('multi:1', 'multi:2');
    assert.deepEqual(await store.remove('multi:2', { inUse: new Map() }), [{ Untagged: 'multi:2' }]);
    const id = store.resolve('multi:1').id;
    const stopped = 'a'.repeat(64);
    const running = 'b'.repeat(64);
    const inUse = new Map([[id, [{ id: stopped, running: false }]]]);
    // Docker's conflict messages: by name, by id with a stopped user, by id with a running one (even forced).
    await assert.rejects(store.remove('multi:1', { inUse }), (err: Error & { code?: string }) => err.code === 'FailedPrecondition' && err.message === `conflict: unable to remove repository reference "multi:1" (must force) - container ${stopped.slice(0, 12)} is using its referenced image ${id.slice(7, 19)}`);
    await assert.rejects(store.remove(id, { inUse }), (err: Error) => err.message === `conflict: unable to delete ${id.slice(7, 19)} (must be forced) - image is being used by stopped container ${stopped.slice(0, 12)}`);
    const busy = new Map([[id, [{ id: stopped, running: false }, { id: running, running: true }]]]);
    await assert.rejects(store.remove(id, { inUse: busy, force: true }), (err: Error) => err.message === `conflict: unable to delete ${id.slice(7, 19)} (cannot be forced) - image is being used by running container ${running.slice(0, 12)}`);
    assert.equal(store.resolve('multi:1').id, id, 'still there');
    const chains = store.resolve(id).chainIds;
    const res = await store.remove('multi:1', { inUse: new Map() });
    assert.deepEqual(res, [{ Untagged: 'multi:1' }, { Deleted: id }, ...chains.map((c) => ({ Deleted: c }))]);
    assert.throws(() => store.resolve(id), { code: 'NotFound' });
    for (const c of chains) assert.equal(snap.hasLayer(c), false);
  });

  it('needs force to delete by id an image with several tags, then untags them all', async () => {
    const l = await buildTar([{ name: 'multi-tag', data: 'm' }]);
    const { archive } = await dockerArchive([l], ['mt:1', 'mt:2']);
    const id = (await store.load(Readable.from([archive]))).images[0]!.id;
    const manifestDigest = store.resolve(id).manifestDigest!;
    assert.equal(store.resolve(`mt@${manifestDigest}`).id, id, 'name@manifest-digest resolves');
    await assert.rejects(store.remove(id.slice(7, 19), { inUse: new Map() }), (err: Error & { code?: string }) => err.code === 'FailedPrecondition' && /referenced in multiple repositories \(mt:1, mt:2\)/.test(err.message));
    const res = await store.remove(id.slice(7, 19), { force: true, inUse: new Map() });
    assert.deepEqual(res, [{ Untagged: 'mt:1' }, { Untagged: 'mt:2' }, { Deleted: id }, { Deleted: sha256(l) }]);
  });

  it('keeps an in-use image when forced, only untagging it', async () => {
    const id = store.resolve('hist:1').id;
    const res = await store.remove('hist:1', { force: true, inUse: new Map([[id, [{ id: 'c'.repeat(64), running: true }]]]) });
    assert.deepEqual(res, [{ Untagged: 'hist:1' }]);
    assert.equal(store.resolve(id).id, id);
  });

  it('garbage-collects unreferenced blobs and layers and keeps used ones', async () => {
    const stray = await store.content.put(Buffer.from('orphan blob'));
    const t = await buildTar([{ name: 'orphan', data: 'o' }]);
    await snap.applyLayer({ chainId: sha256(t), diffId: sha256(t), tar: Readable.from([t]) });
    // A layer only a container snapshot uses survives gc too.
    const pinned = await buildTar([{ name: 'pinned', data: 'p' }]);
    await snap.applyLayer({ chainId: sha256(pinned), diffId: sha256(pinned), tar: Readable.from([pinned]) });
    await snap.prepare('pinned-ctr', [sha256(pinned)]);
    const r = await store.gc(new Set());
    assert.ok(r.blobsRemoved >= 1);
    assert.equal(r.layersRemoved, 1);
    assert.ok(r.bytesFreed > 0);
    assert.equal(store.content.has(stray.digest), false);
    assert.equal(snap.hasLayer(sha256(t)), false);
    assert.equal(snap.hasLayer(sha256(pinned)), true);
    for (const img of store.list()) {
      assert.ok(store.content.has(img.id));
      for (const c of img.chainIds) assert.ok(snap.hasLayer(c));
    }
    assert.ok(snap.hasLayer(BUSYBOX_DIFF));
    const again = await store.gc(new Set());
    assert.deepEqual(again, { blobsRemoved: 0, layersRemoved: 0, bytesFreed: 0 });
    await snap.remove('pinned-ctr');
  });

  it('persists metadata across a reopen', async () => {
    const reopened = await ImageStore.open({ root: store.root, snapshotter: snap });
    assert.deepEqual(reopened.list().map((i) => [i.id, i.repoTags]).sort(), store.list().map((i) => [i.id, i.repoTags]).sort());
    assert.equal(reopened.resolve('busybox').id, ociId);
  });
});
