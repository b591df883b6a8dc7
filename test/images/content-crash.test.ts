/** The content store under kill -9: acknowledged blobs survive intact, interrupted ones never appear. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { ContentStore } from '../../src/engine/content/index.js';
import { repoRoot, scratchDir } from '../helpers/test-image.js';

function runUntil(mode: string, root: string): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'test/images/crash-writer.ts'), mode, root], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.endsWith('\n')) {
        child.kill('SIGKILL');
        child.once('exit', () => resolve(out.trim()));
      }
    });
    child.once('exit', (code, sig) => {
      if (!out.endsWith('\n')) reject(new Error(`crash-writer exited early (${code ?? sig})`));
    });
  });
}

describe('content store under kill -9', () => {
  const dir = scratchDir('crash');
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('keeps a blob whose write was acknowledged', async () => {
    const root = path.join(dir, 'ack');
    const digest = await runUntil('ack', root);
    const store = await ContentStore.open(root);
    assert.ok(store.has(digest));
    assert.equal('sha256:' + createHash('sha256').update(store.read(digest)).digest('hex'), digest);
    assert.equal(store.size(digest), 4 << 20);
  });

  it('never shows a blob whose write was interrupted, and cleans its temp file', async () => {
    const root = path.join(dir, 'mid');
    assert.equal(await runUntil('mid', root), 'writing');
    assert.ok(fs.readdirSync(path.join(root, 'ingest')).length > 0, 'the partial write is in the ingest area');
    const store = await ContentStore.open(root);
    assert.deepEqual(store.list(), []);
    assert.deepEqual(fs.readdirSync(path.join(root, 'ingest')), []);
  });
});
