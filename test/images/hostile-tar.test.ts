/**
 * Hostile layers: each is refused with an error naming the bad entry, nothing is written outside
 * the snapshotter root (a canary dir beside it stays untouched), no temp dir is left behind and
 * the layer does not exist afterwards.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { openSnapshotter, type LayerSnapshotter } from '../../src/engine/snapshots/index.js';
import { scratchDir } from '../helpers/test-image.js';
import { buildTar, lyingSizeHeader, sha256, type TarEntry } from './tar-builder.js';

function listTree(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string, rel: string) => {
    for (const n of fs.readdirSync(d)) {
      const p = path.join(d, n);
      const st = fs.lstatSync(p);
      out.push(`${rel}${n}:${st.mode}:${st.size}:${st.mtimeMs}`);
      if (st.isDirectory()) walk(p, `${rel}${n}/`);
    }
  };
  walk(dir, '');
  return out.sort();
}

describe('hostile layer tars', () => {
  let dir: string;
  let canary: string;
  let snap: LayerSnapshotter;
  let small: LayerSnapshotter;
  let canaryBefore: string[];

  before(async () => {
    assert.equal(process.getuid?.(), 0, 'needs root');
    dir = scratchDir('hostile');
    canary = path.join(dir, 'canary');
    fs.mkdirSync(canary);
    fs.writeFileSync(path.join(canary, 'passwd'), 'root:x:0:0\n');
    canaryBefore = listTree(canary);
    snap = await openSnapshotter({ root: path.join(dir, 'root'), driver: 'auto' });
    small = await openSnapshotter({ root: path.join(dir, 'small'), driver: 'auto', limits: { maxEntryBytes: 1 << 20, maxTotalBytes: 3 << 20, maxEntries: 1000 } });
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function refuse(s: LayerSnapshotter, tar: Buffer, named: RegExp, diffId = sha256(tar)) {
    const chainId = sha256('chain of ' + diffId);
    await assert.rejects(s.applyLayer({ chainId, diffId, tar: Readable.from([tar]) }), (err: Error & { code?: string }) => {
      assert.equal(err.name, 'BerthError', `expected a BerthError, got ${err.stack}`);
      assert.match(err.message, named);
      return true;
    });
    assert.equal(s.hasLayer(chainId), false, 'no layer is left');
    const leftovers = fs.readdirSync(path.join(s.root, 'layers')).filter((n) => n.startsWith('.tmp-'));
    assert.deepEqual(leftovers, [], 'no temp dir is left');
    assert.deepEqual(listTree(canary), canaryBefore, 'the canary dir is untouched');
    const outside = fs.readdirSync(dir).sort();
    assert.deepEqual(outside, ['canary', 'root', 'small'], 'nothing new beside the roots');
  }

  const escape = '../../../../canary/pwned';
  const cases: Array<[string, TarEntry[], RegExp]> = [
    ['a ".." path', [{ name: escape, data: 'x' }], /canary\/pwned.*"\.\."/],
    ['a ".." in the middle', [{ name: 'a/../../b', data: 'x' }], /"a\/\.\.\/\.\.\/b" contains a "\.\."/],
    ['an absolute path', [{ name: '/tmp/berth-canary/abs', data: 'x' }], /berth-canary\/abs.* absolute path/],
    ['a write through a relative symlink', [{ name: 'link', type: 'symlink', linkname: '../../../../canary' }, { name: 'link/pwned', data: 'x' }], /"link\/pwned" would be written through the symlink "link"/],
    ['a write through an absolute symlink', [{ name: 'etc', type: 'symlink', linkname: '/etc' }, { name: 'etc/berth-pwned', data: 'x' }], /"etc\/berth-pwned" would be written through the symlink "etc"/],
    ['a write through a nested symlink', [{ name: 'd/', type: 'directory' }, { name: 'd/s', type: 'symlink', linkname: '/' }, { name: 'd/s/tmp/x', data: 'x' }], /"d\/s\/tmp\/x" would be written through the symlink "d\/s"/],
    ['a hardlink to a file outside', [{ name: 'h', type: 'link', linkname: '../../../../canary/passwd' }], /hardlink target of "h".*"\.\."/],
    ['a hardlink with an absolute target', [{ name: 'h', type: 'link', linkname: '/etc/passwd' }], /hardlink target of "h".*absolute path/],
    ['a hardlink to a missing file', [{ name: 'h', type: 'link', linkname: 'nothing/here' }], /"h" is a hardlink through "nothing"/],
    ['a hardlink to a missing file in the root', [{ name: 'h', type: 'link', linkname: 'nothere' }], /"h" is a hardlink to "nothere", which is not in the layer/],
    ['a hardlink through a symlink', [{ name: 's', type: 'symlink', linkname: '/etc' }, { name: 'h', type: 'link', linkname: 's/passwd' }], /"h" is a hardlink through "s"/],
    ['a character device', [{ name: 'dev/null', type: 'character-device', devmajor: 1, devminor: 3 }], /"dev\/null" is a character-device \(1:3\)/],
    ['a block device', [{ name: 'sda', type: 'block-device', devmajor: 8, devminor: 0 }], /"sda" is a block-device/],
    ['a NUL in a name', [{ name: 'nul', data: 'x', pax: { path: 'a\u0000b' } }], /contains a NUL byte/],
    ['a path longer than PATH_MAX', [{ name: 'd/'.repeat(2100) + 'f', data: 'x' }], /longer than 4096 bytes/],
    ['a component longer than 255 bytes', [{ name: 'x'.repeat(300), data: 'x' }], /component longer than 255 bytes/],
    ['a bad whiteout', [{ name: 'a/.wh...', data: '' }], /invalid whiteout/],
  ];
  for (const [what, entries, named] of cases) {
    it(`refuses ${what}`, async () => {
      await refuse(snap, await buildTar(entries), named);
      assert.equal(fs.existsSync('/etc/berth-pwned'), false);
    });
  }

  it('refuses an entry over the per-entry size cap', async () => {
    await refuse(small, await buildTar([{ name: 'big', data: Buffer.alloc(2 << 20) }]), /"big" is 2097152 bytes, over the 1048576-byte limit/);
  });

  it('refuses a layer over the total size cap', async () => {
    const entries = [0, 1, 2, 3].map((i) => ({ name: `part${i}`, data: Buffer.alloc(900 << 10) }));
    await refuse(small, await buildTar(entries), /"part3" takes the layer over the 3145728-byte limit/);
  });

  it('refuses a layer with too many entries', async () => {
    const entries = Array.from({ length: 1001 }, (_, i) => ({ name: `f${i}` }));
    await refuse(small, await buildTar(entries), /more than 1000 entries \(at "f1000"\)/);
  });

  it('refuses a header claiming an absurd size before reading any data', async () => {
    await refuse(snap, lyingSizeHeader('absurd', 100n * (1n << 30n)), /"absurd" is 107374182400 bytes, over the 68719476736-byte limit/);
  });

  it('refuses a layer whose content does not match its diffID', async () => {
    const tar = await buildTar([{ name: 'ok', data: 'fine' }]);
    await refuse(snap, tar, /diffID mismatch/, sha256('something else'));
  });

  it('refuses a truncated tar', async () => {
    const tar = await buildTar([{ name: 'cut', data: Buffer.alloc(10000, 1) }]);
    await refuse(snap, tar.subarray(0, 3000), /.+/, sha256(tar.subarray(0, 3000)));
  });

  it('still accepts a benign layer afterwards', async () => {
    const tar = await buildTar([{ name: 'etc/', type: 'directory' }, { name: 'etc/hosts', data: '127.0.0.1 localhost\n' }, { name: 'lnk', type: 'symlink', linkname: '/etc/hosts' }]);
    const info = await snap.applyLayer({ chainId: sha256(tar), diffId: sha256(tar), tar: Readable.from([tar]) });
    assert.equal(info.entries, 3);
    assert.equal(fs.readFileSync(path.join(snap.layerPath(info.chainId), 'etc/hosts'), 'utf8'), '127.0.0.1 localhost\n');
  });
});
