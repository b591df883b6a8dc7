/**
 * One conformance suite for every snapshot driver (overlay and copy): the same layers and the
 * same expectations about what a container sees, only the sharing checks differ by driver.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { native } from '../../src/base/native.js';
import { chainIds } from '../../src/engine/images/index.js';
import { openSnapshotter, type LayerSnapshotter } from '../../src/engine/snapshots/index.js';
import { scratchDir } from '../helpers/test-image.js';
import { buildTar, sha256, type TarEntry } from './tar-builder.js';

// vfs_cap_data v2 for cap_net_bind_service, effective (all bytes < 0x80).
export const capValue = Buffer.from([0x01, 0, 0, 0x02, 0x00, 0x04, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);

const base: TarEntry[] = [
  { name: './', type: 'directory', mode: 0o755 },
  { name: 'bin/', type: 'directory' },
  { name: 'bin/tool', data: 'tool v1\n', mode: 0o4755, uid: 0, gid: 0 },
  { name: 'bin/tool-link', type: 'link', linkname: 'bin/tool' },
  { name: 'bin/sym', type: 'symlink', linkname: 'tool', uid: 1000, gid: 1000 },
  // user.* xattrs cannot live on symlinks: skipped, as Docker does, without failing the layer.
  { name: 'bin/sym-x', type: 'symlink', linkname: 'tool', pax: { 'SCHILY.xattr.user.x': 'y' } },
  { name: 'bin/capped', data: 'cap\n', mode: 0o755, pax: { 'SCHILY.xattr.security.capability': capValue.toString('latin1'), 'SCHILY.xattr.user.note': 'hello' } },
  { name: 'home/', type: 'directory' },
  { name: 'home/u/', type: 'directory', mode: 0o700, uid: 1000, gid: 1001, mtime: new Date(1_500_000_000_000) },
  { name: 'home/u/file', data: 'mine\n', mode: 0o600, uid: 1000, gid: 1001 },
  { name: 'run/', type: 'directory' },
  { name: 'run/pipe', type: 'fifo', mode: 0o620 },
  { name: 'gone.txt', data: 'deleted by layer 2\n' },
  { name: 'opaque/', type: 'directory' },
  { name: 'opaque/old1', data: 'old\n' },
  { name: 'opaque/old2', data: 'old\n' },
  { name: 'kept/', type: 'directory' },
  { name: 'kept/k', data: 'kept\n' },
];
const top: TarEntry[] = [
  { name: '.wh.gone.txt' },
  { name: 'opaque/', type: 'directory' },
  { name: 'opaque/.wh..wh..opq' },
  { name: 'opaque/new', data: 'new\n' },
  { name: 'bin/tool', data: 'tool v2\n', mode: 0o755 },
];

export function snapshotSuite(driver: 'overlay' | 'copy'): void {
  describe(`snapshotter (${driver})`, () => {
    let dir: string;
    let snap: LayerSnapshotter;
    let baseTar: Buffer;
    let topTar: Buffer;
    let chains: string[];

    before(async () => {
      assert.equal(process.getuid?.(), 0, 'snapshot tests need root');
      dir = scratchDir(`snap-${driver}`);
      snap = await openSnapshotter({ root: path.join(dir, 'root'), driver });
      baseTar = await buildTar(base);
      topTar = await buildTar(top);
      chains = chainIds([sha256(baseTar), sha256(topTar)]);
      await snap.applyLayer({ chainId: chains[0]!, diffId: sha256(baseTar), tar: Readable.from([baseTar]) });
      await snap.applyLayer({ chainId: chains[1]!, diffId: sha256(topTar), tar: Readable.from([topTar]) });
    });
    after(async () => {
      for (const s of snap?.snapshots() ?? []) await snap.remove(s.key);
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('opens the requested driver', () => {
      assert.equal(snap.driver, driver);
    });

    it('records layer sizes and keeps one directory per layer', () => {
      const infos = snap.list().map((l) => l.chainId).sort();
      assert.deepEqual(infos, [...chains].sort());
      assert.equal(snap.getLayer(chains[0]!).tarSize, baseTar.length);
      assert.ok(snap.getLayer(chains[0]!).size > 0);
    });

    it('shows the image files in the rootfs, with whiteouts and opaque dirs applied', async () => {
      const r = await snap.prepare('c-view', chains);
      assert.equal(r.kind, driver);
      assert.equal(fs.readFileSync(path.join(r.path, 'bin/tool'), 'utf8'), 'tool v2\n');
      assert.equal(fs.existsSync(path.join(r.path, 'gone.txt')), false, 'whiteout hides gone.txt');
      assert.deepEqual(fs.readdirSync(path.join(r.path, 'opaque')), ['new'], 'opaque dir hides lower entries');
      assert.equal(fs.readFileSync(path.join(r.path, 'kept/k'), 'utf8'), 'kept\n');
      // No whiteout devices leak into the container's view.
      assert.equal(fs.readdirSync(r.path).some((n) => n.startsWith('.wh.')), false);
    });

    it('preserves modes, owners, mtimes, links, fifos and xattrs', async () => {
      const r = await snap.prepare('c-meta', chains.slice(0, 1));
      const tool = fs.statSync(path.join(r.path, 'bin/tool'));
      assert.equal(tool.mode & 0o7777, 0o4755, 'setuid kept');
      assert.equal(fs.statSync(path.join(r.path, 'bin/tool-link')).ino, tool.ino, 'hardlink shares the inode');
      assert.equal(fs.readlinkSync(path.join(r.path, 'bin/sym')), 'tool');
      assert.equal(fs.readlinkSync(path.join(r.path, 'bin/sym-x')), 'tool');
      const sym = fs.lstatSync(path.join(r.path, 'bin/sym'));
      assert.deepEqual([sym.uid, sym.gid], [1000, 1000]);
      const home = fs.statSync(path.join(r.path, 'home/u'));
      assert.deepEqual([home.uid, home.gid, home.mode & 0o7777], [1000, 1001, 0o700]);
      assert.equal(home.mtimeMs, 1_500_000_000_000);
      assert.ok(fs.statSync(path.join(r.path, 'run/pipe')).isFIFO());
      assert.deepEqual(native().lgetxattr(path.join(r.path, 'bin/capped'), 'security.capability'), capValue);
      assert.equal(native().lgetxattr(path.join(r.path, 'bin/capped'), 'user.note')?.toString(), 'hello');
    });

    it('keeps container writes out of the shared layers', async () => {
      const r = await snap.prepare('c-write', chains);
      fs.writeFileSync(path.join(r.path, 'kept/k'), 'changed\n');
      fs.writeFileSync(path.join(r.path, 'fresh'), 'new file\n');
      assert.equal(fs.readFileSync(path.join(snap.layerPath(chains[0]!), 'kept/k'), 'utf8'), 'kept\n');
      assert.equal(fs.existsSync(path.join(snap.layerPath(chains[1]!), 'fresh')), false);
      if (driver === 'overlay') {
        const upper = path.join(snap.root, 'snapshots', 'c-write', 'upper');
        assert.equal(fs.readFileSync(path.join(upper, 'kept/k'), 'utf8'), 'changed\n', 'the write lands in upper');
        assert.ok(fs.existsSync(path.join(upper, 'fresh')));
      }
      const other = await snap.prepare('c-other', chains);
      assert.equal(fs.readFileSync(path.join(other.path, 'kept/k'), 'utf8'), 'kept\n', 'another container does not see it');
    });

    it('shares each layer between containers', async () => {
      const a = await snap.prepare('c-share-a', chains);
      const b = await snap.prepare('c-share-b', chains);
      const layerFile = fs.statSync(path.join(snap.layerPath(chains[0]!), 'kept/k'));
      const sa = fs.statSync(path.join(a.path, 'kept/k'));
      const sb = fs.statSync(path.join(b.path, 'kept/k'));
      if (driver === 'overlay') {
        assert.equal(sa.ino, layerFile.ino, 'container a reads the layer file itself');
        assert.equal(sb.ino, layerFile.ino, 'container b reads the same inode');
      } else {
        assert.notEqual(sa.ino, sb.ino, 'copy driver gives each container its own copy');
      }
      assert.equal(snap.list().length, 2, 'layers are stored once');
    });

    it('unmounts, remounts with the writable layer kept, and removes idempotently', async () => {
      const r = await snap.prepare('c-life', chains);
      fs.writeFileSync(path.join(r.path, 'state'), 'survives\n');
      await snap.unmount('c-life');
      await snap.unmount('c-life');
      if (driver === 'overlay') assert.equal(fs.existsSync(path.join(r.path, 'state')), false, 'merged is empty when unmounted');
      const again = await snap.mount('c-life');
      assert.equal(await snap.mount('c-life').then((x) => x.path), again.path);
      assert.equal(fs.readFileSync(path.join(again.path, 'state'), 'utf8'), 'survives\n');
      await assert.rejects(snap.prepare('c-life', chains), { code: 'AlreadyExists' });
      await snap.remove('c-life');
      await snap.remove('c-life');
      assert.equal(fs.existsSync(path.join(snap.root, 'snapshots', 'c-life')), false);
      await assert.rejects(snap.mount('c-life'), { code: 'NotFound' });
    });

    it('refuses to remove a layer a snapshot uses, and to prepare on missing layers', async () => {
      await snap.prepare('c-pin', chains);
      await assert.rejects(snap.removeLayer(chains[0]!), (err: Error & { code?: string }) => err.code === 'FailedPrecondition' && /c-pin/.test(err.message));
      await assert.rejects(snap.prepare('c-missing', ['sha256:' + 'e'.repeat(64)]), { code: 'NotFound' });
      assert.equal(fs.existsSync(path.join(snap.root, 'snapshots', 'c-missing')), false);
      await assert.rejects(snap.prepare('../evil', chains), { code: 'InvalidArgument' });
    });

    it('prepares a rootfs for an image without layers', async () => {
      const r = await snap.prepare('c-empty', []);
      assert.deepEqual(fs.readdirSync(r.path), []);
      fs.writeFileSync(path.join(r.path, 'hello'), 'x');
      assert.equal(fs.readFileSync(path.join(r.path, 'hello'), 'utf8'), 'x');
      await snap.remove('c-empty');
    });

    it('applies the same layer concurrently once', async () => {
      const t = await buildTar([{ name: 'same', data: 'same\n' }]);
      const req = () => snap.applyLayer({ chainId: sha256(t), diffId: sha256(t), tar: Readable.from([t]) });
      const [a, b, c] = await Promise.all([req(), req(), req()]);
      assert.equal(a.chainId, b.chainId);
      assert.equal(b.chainId, c.chainId);
      assert.deepEqual(fs.readdirSync(path.join(snap.root, 'layers')).filter((n) => n.startsWith('.tmp-')), []);
      assert.equal(fs.readFileSync(path.join(snap.layerPath(sha256(t)), 'same'), 'utf8'), 'same\n');
      assert.equal(await snap.removeLayer(sha256(t)), true);
      assert.equal(await snap.removeLayer(sha256(t)), false);
    });

    it('mounts a deep stack whose overlay options exceed a page', async () => {
      const layers: string[] = [];
      const diffs: string[] = [];
      for (let i = 0; i < 45; i++) {
        const t = await buildTar([{ name: `f${i}`, data: `${i}\n` }]);
        diffs.push(sha256(t));
        const c = chainIds(diffs).at(-1)!;
        await snap.applyLayer({ chainId: c, diffId: sha256(t), tar: Readable.from([t]) });
        layers.push(c);
      }
      const r = await snap.prepare('c-deep', layers);
      assert.equal(fs.readFileSync(path.join(r.path, 'f0'), 'utf8'), '0\n');
      assert.equal(fs.readFileSync(path.join(r.path, 'f44'), 'utf8'), '44\n');
      await snap.remove('c-deep');
      for (const c of layers) assert.equal(await snap.removeLayer(c), true);
    });
  });
}
