import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { native } from '../../base/native.js';
import { changesSize, containerChanges, inImage } from './diff.js';

function tree(root: string, files: Record<string, string | null>): void {
  for (const [rel, content] of Object.entries(files)) {
    const p = path.join(root, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    if (content === null) native().mknod(p, fs.constants.S_IFCHR, 0, 0); // an overlay whiteout
    else if (rel.endsWith('/')) fs.mkdirSync(p, { recursive: true });
    else fs.writeFileSync(p, content);
  }
}

test('overlay changes: added, changed, whited-out; a layer whiteout hides a lower file from the image', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-diff-'));
  try {
    const [base, top, upper] = ['base', 'top', 'upper'].map((n) => path.join(dir, n)) as [string, string, string];
    tree(base, { 'etc/passwd': 'root', 'etc/group': 'g', 'gone/f': 'x', 'old': 'o' });
    tree(top, { 'old': null });
    tree(upper, { 'etc/passwd': 'root2', 'etc/group': null, 'gone': null, 'new/deep/f': 'n', 'old': 'again', 'etc/hosts': '' });
    const lowerDirs = [top, base];
    assert.equal(inImage(lowerDirs, '/old'), undefined, 'hidden by the upper layer whiteout');
    assert.ok(inImage(lowerDirs, '/etc/group'));
    const got = containerChanges({ kind: 'overlay', rootfs: '/nonexistent', upperDir: upper, lowerDirs }).map((c) => `${'CAD'[c.kind]} ${c.path}`);
    assert.deepEqual(got, ['C /etc', 'D /etc/group', 'C /etc/passwd', 'D /gone', 'A /new', 'A /new/deep', 'A /new/deep/f', 'A /old']);
    assert.equal(changesSize({ kind: 'overlay', rootfs: '/nonexistent', upperDir: upper, lowerDirs }), 'root2'.length + 1 + 'again'.length);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('copy driver changes compare the rootfs with the image both ways', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-diff-'));
  try {
    const [base, rootfs] = ['base', 'rootfs'].map((n) => path.join(dir, n)) as [string, string];
    tree(base, { 'bin/sh': 'sh', 'etc/passwd': 'root', 'var/www/index.html': 'hi' });
    fs.cpSync(base, rootfs, { recursive: true, preserveTimestamps: true });
    fs.writeFileSync(path.join(rootfs, 'etc/passwd'), 'root-changed');
    fs.rmSync(path.join(rootfs, 'var/www'), { recursive: true });
    fs.mkdirSync(path.join(rootfs, 'new'));
    fs.writeFileSync(path.join(rootfs, 'new/f'), 'n');
    const got = containerChanges({ kind: 'copy', rootfs, lowerDirs: [base] }).map((c) => `${'CAD'[c.kind]} ${c.path}`);
    assert.ok(got.includes('C /etc/passwd'), got.join('\n'));
    assert.ok(got.includes('D /var/www'));
    assert.ok(got.includes('A /new') && got.includes('A /new/f'), got.join('\n'));
    assert.ok(!got.includes('C /bin/sh') && !got.includes('D /var/www/index.html'), got.join('\n'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
