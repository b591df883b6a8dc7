/**
 * Shared by tests: the reproducible busybox test image (scripts/make-test-image.sh) and a scratch
 * directory per test file. Tests never use /var/lib/berth or /run/berth.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Root for all test scratch dirs; scripts/test.sh sets BERTH_TEST_ROOT and removes it afterwards. */
export function testRoot(): string {
  const root = process.env.BERTH_TEST_ROOT ?? path.join(os.tmpdir(), 'berth-test-dev');
  fs.mkdirSync(root, { recursive: true });
  return root;
}

/** A fresh, unique scratch dir (short path: unix socket paths are limited to 108 bytes). */
export function scratchDir(label: string): string {
  return fs.mkdtempSync(path.join(testRoot(), `${label.slice(0, 12)}-`));
}

/** Paths of the busybox test image archives, built on first use. */
export function busyboxImage(): { dockerArchive: string; ociArchive: string } {
  const dir = path.join(testRoot(), 'images');
  execFileSync('bash', [path.join(repoRoot, 'scripts/make-test-image.sh'), dir], { stdio: ['ignore', 'ignore', 'inherit'] });
  return { dockerArchive: path.join(dir, 'busybox.tar'), ociArchive: path.join(dir, 'busybox-oci.tar') };
}

/** Unpacks the busybox image's single layer into a plain directory (for runtime tests without the image store). */
export function busyboxRootfs(dest: string): string {
  const { dockerArchive } = busyboxImage();
  const tmp = fs.mkdtempSync(path.join(testRoot(), 'unpack-'));
  execFileSync('tar', ['-xf', dockerArchive, '-C', tmp]);
  const manifest = JSON.parse(fs.readFileSync(path.join(tmp, 'manifest.json'), 'utf8')) as Array<{ Layers: string[] }>;
  fs.mkdirSync(dest, { recursive: true });
  for (const layer of manifest[0]!.Layers) execFileSync('tar', ['-xf', path.join(tmp, layer), '-C', dest]);
  fs.rmSync(tmp, { recursive: true, force: true });
  return dest;
}
