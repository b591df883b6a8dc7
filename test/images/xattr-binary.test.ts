/** Binary PAX xattr values (not valid UTF-8) reach the file byte for byte. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { after, it } from 'node:test';
import { native } from '../../src/base/native.js';
import { openSnapshotter } from '../../src/engine/snapshots/index.js';
import { scratchDir } from '../helpers/test-image.js';
import { buildTar, sha256 } from './tar-builder.js';

const dir = scratchDir('xattr');
after(() => fs.rmSync(dir, { recursive: true, force: true }));

it('keeps binary xattr values exact', async () => {
  assert.equal(process.getuid?.(), 0, 'needs root');
  const placeholder = 'QQQQQQ';
  const value = Buffer.from([0xff, 0x80, 0x00, 0xfe, 0xc3, 0x28]); // invalid UTF-8 on purpose
  const tar = await buildTar([{ name: 'bin', data: 'x', pax: { 'SCHILY.xattr.trusted.berth-test': placeholder } }]);
  // Same length, so the PAX record's length prefix stays right; the header checksum does not cover it.
  const at = tar.indexOf('trusted.berth-test=' + placeholder);
  assert.ok(at > 0);
  value.copy(tar, at + 'trusted.berth-test='.length);
  const snap = await openSnapshotter({ root: path.join(dir, 'root') });
  const info = await snap.applyLayer({ chainId: sha256(tar), diffId: sha256(tar), tar: Readable.from([tar]) });
  assert.deepEqual(native().lgetxattr(path.join(snap.layerPath(info.chainId), 'bin'), 'trusted.berth-test'), value);
  // The copy driver re-applies it from the layer record.
  const copy = await openSnapshotter({ root: path.join(dir, 'copy'), driver: 'copy' });
  await copy.applyLayer({ chainId: sha256(tar), diffId: sha256(tar), tar: Readable.from([tar]) });
  const r = await copy.prepare('x1', [sha256(tar)]);
  assert.deepEqual(native().lgetxattr(path.join(r.path, 'bin'), 'trusted.berth-test'), value);
  await copy.remove('x1');
  await snap.removeLayer(info.chainId);
});
