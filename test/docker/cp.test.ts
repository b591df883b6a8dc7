/** `docker cp` both ways against berth: directories with symlinks, volumes, stopped containers, hostile tars. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { after, before, test } from 'node:test';
import tar from 'tar-stream';
import { teardown, type Daemon } from '../cli/harness.js';
import { dockerFor } from './docker-cli.js';
import { startWithBusybox } from '../helpers/busybox-daemon.js';

let d: Daemon;
let docker: ReturnType<typeof dockerFor>;
before(async () => {
  d = await startWithBusybox('docker-cp');
  docker = dockerFor(d);
  assert.equal((await docker(['run', '-d', '--name', 'cpbox', '-v', 'cpvol:/vol', 'busybox', 'sleep', '300'])).code, 0);
});
after(() => teardown(d));

test('a directory with a symlink goes in and comes back out unchanged', async () => {
  const src = path.join(d.dir, 'tree');
  fs.mkdirSync(path.join(src, 'sub'), { recursive: true });
  fs.writeFileSync(path.join(src, 'sub', 'file.txt'), 'hello cp\n');
  fs.chmodSync(path.join(src, 'sub', 'file.txt'), 0o640);
  fs.symlinkSync('sub/file.txt', path.join(src, 'link'));
  const put = await docker(['cp', src, 'cpbox:/tmp/']);
  assert.equal(put.code, 0, put.stderr);
  const inside = await docker(['exec', 'cpbox', 'sh', '-c', 'cat /tmp/tree/link; readlink /tmp/tree/link; stat -c "%a %u" /tmp/tree/sub/file.txt']);
  assert.equal(inside.stdout, 'hello cp\nsub/file.txt\n640 0\n');
  const back = path.join(d.dir, 'back');
  fs.mkdirSync(back);
  const get = await docker(['cp', 'cpbox:/tmp/tree', back]);
  assert.equal(get.code, 0, get.stderr);
  assert.equal(fs.readFileSync(path.join(back, 'tree', 'sub', 'file.txt'), 'utf8'), 'hello cp\n');
  assert.equal(fs.readlinkSync(path.join(back, 'tree', 'link')), 'sub/file.txt');
  // A single file to a new name, and to stdout as a tar.
  assert.equal((await docker(['cp', 'cpbox:/etc/passwd', path.join(d.dir, 'pw')])).code, 0);
  assert.match(fs.readFileSync(path.join(d.dir, 'pw'), 'utf8'), /^root:/);
  const ev = await docker(['events', '--since', String(Math.floor(Date.now() / 1000) - 60), '--until', (Date.now() / 1000 + 0.01).toFixed(3), '--filter', 'container=cpbox', '--filter', 'event=archive-path', '--filter', 'event=extract-to-dir', '--format', '{{.Action}}']);
  assert.deepEqual(ev.stdout.split('\n').filter(Boolean), ['extract-to-dir', 'archive-path', 'archive-path']);
  const missing = await docker(['cp', 'cpbox:/no/such/file', d.dir]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /Could not find the file \/no\/such\/file in container cpbox/);
});

test('cp -a keeps the owner from the tar; without it files belong to root', async () => {
  const f = path.join(d.dir, 'owned.txt');
  fs.writeFileSync(f, 'owned\n');
  fs.chownSync(f, 1234, 2345);
  assert.equal((await docker(['cp', '-a', f, 'cpbox:/tmp/keep.txt'])).code, 0);
  assert.equal((await docker(['cp', f, 'cpbox:/tmp/root.txt'])).code, 0);
  assert.equal((await docker(['exec', 'cpbox', 'stat', '-c', '%u:%g', '/tmp/keep.txt', '/tmp/root.txt'])).stdout, '1234:2345\n0:0\n');
});

test('copies into a volume land in the volume; a stopped container is reachable too', async () => {
  const f = path.join(d.dir, 'to-vol.txt');
  fs.writeFileSync(f, 'in the volume\n');
  assert.equal((await docker(['cp', f, 'cpbox:/vol/'])).code, 0);
  assert.equal((await docker(['run', '--rm', '-v', 'cpvol:/v', 'busybox', 'cat', '/v/to-vol.txt'])).stdout, 'in the volume\n');
  assert.equal((await docker(['create', '--name', 'stopped', '-v', 'cpvol:/data2', 'busybox', 'true'])).code, 0);
  assert.equal((await docker(['cp', f, 'stopped:/etc/new.txt'])).code, 0);
  assert.equal((await docker(['cp', 'stopped:/data2/to-vol.txt', path.join(d.dir, 'from-stopped')])).code, 0);
  assert.equal(fs.readFileSync(path.join(d.dir, 'from-stopped'), 'utf8'), 'in the volume\n');
  assert.equal((await docker(['start', '-a', 'stopped'])).code, 0);
  const seen = await docker(['run', '--rm', '--volumes-from', 'stopped', 'busybox', 'ls', '/data2']);
  assert.match(seen.stdout, /to-vol.txt/);
});

function putTar(container: string, dest: string, entries: Array<{ name: string; type?: 'file' | 'symlink' | 'link' | 'directory'; linkname?: string; body?: string }>): Promise<{ status: number; body: string }> {
  const pack = tar.pack();
  for (const e of entries) pack.entry({ name: e.name, type: e.type ?? 'file', linkname: e.linkname, mode: 0o644 }, e.body ?? '');
  pack.finalize();
  return new Promise((resolve, reject) => {
    const req = http.request({ socketPath: d.socket, method: 'PUT', path: `/v1.50/containers/${container}/archive?path=${encodeURIComponent(dest)}`, headers: { 'Content-Type': 'application/x-tar' } }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.once('error', reject);
    pack.pipe(req);
  });
}

test('hostile tars write nothing outside the container', async () => {
  const marker = path.join(d.dir, 'escaped');
  const dotdot = await putTar('cpbox', '/tmp', [{ name: `../../../../../../..${marker}`, body: 'x' }]);
  assert.equal(dotdot.status, 400, dotdot.body);
  assert.match(dotdot.body, /would leave the destination/);
  const absolute = await putTar('cpbox', '/tmp', [{ name: marker, body: 'x' }]);
  assert.equal(absolute.status, 400, absolute.body);
  assert.match(absolute.body, /absolute names are not allowed/);
  // A symlink to the host path, then a file through it: resolved inside the container's root.
  const viaLink = await putTar('cpbox', '/tmp', [{ name: 'esc', type: 'symlink', linkname: d.dir }, { name: 'esc/escaped', body: 'x' }]);
  assert.equal(viaLink.status, 200, viaLink.body);
  const hard = await putTar('cpbox', '/tmp', [{ name: 'hl', type: 'link', linkname: `../../..${marker}` }]);
  assert.equal(hard.status, 400, hard.body);
  const garbage = await new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = http.request({ socketPath: d.socket, method: 'PUT', path: '/v1.50/containers/cpbox/archive?path=/tmp' }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.once('error', reject);
    req.end(Buffer.alloc(1024, 'not a tar '));
  });
  assert.equal(garbage.status, 400, garbage.body);
  assert.match(garbage.body, /invalid tar archive/);
  assert.equal(fs.existsSync(marker), false, 'nothing was written on the host');
  assert.equal((await docker(['exec', 'cpbox', 'cat', `${d.dir}/escaped`])).stdout, 'x', 'the link was followed inside the container');
});

test('berth cp copies both ways, to stdout as a tar and from a stdin tar', async () => {
  const src = path.join(d.dir, 'btree');
  fs.mkdirSync(path.join(src, 'in'), { recursive: true });
  fs.writeFileSync(path.join(src, 'in', 'f'), 'berth cp\n');
  fs.symlinkSync('in/f', path.join(src, 'l'));
  const put = await d.berth(['cp', src, 'cpbox:/tmp/']);
  assert.equal(put.code, 0, put.stderr);
  assert.equal((await docker(['exec', 'cpbox', 'cat', '/tmp/btree/l'])).stdout, 'berth cp\n');
  const renamed = await d.berth(['cp', src, 'cpbox:/tmp/renamed']);
  assert.equal(renamed.code, 0, renamed.stderr);
  assert.equal((await docker(['exec', 'cpbox', 'cat', '/tmp/renamed/in/f'])).stdout, 'berth cp\n');
  const back = path.join(d.dir, 'bback');
  assert.equal((await d.berth(['cp', 'cpbox:/tmp/btree', back])).code, 0);
  assert.equal(fs.readlinkSync(path.join(back, 'l')), 'in/f');
  assert.equal(fs.readFileSync(path.join(back, 'in', 'f'), 'utf8'), 'berth cp\n');
  const out = await d.berth(['container', 'cp', 'cpbox:/tmp/btree/in/f', '-']);
  assert.equal(out.code, 0, out.stderr);
  assert.match(out.stdout, /^f\0/, 'a tar whose first entry is the file');
  const pack = tar.pack();
  pack.entry({ name: 'from-stdin.txt', mode: 0o644 }, 'piped\n');
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const c of pack) chunks.push(c as Buffer);
  const fromStdin = await d.berth(['cp', '-', 'cpbox:/tmp'], { input: Buffer.concat(chunks) });
  assert.equal(fromStdin.code, 0, fromStdin.stderr);
  assert.equal((await docker(['exec', 'cpbox', 'cat', '/tmp/from-stdin.txt'])).stdout, 'piped\n');
  const bad = await d.berth(['cp', 'a', 'b']);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /must specify at least one container source/);
});

test('copying into a read-only rootfs or read-only volume is refused', async () => {
  assert.equal((await docker(['create', '--name', 'ro', '--read-only', '-v', 'rovol:/ro:ro', '-v', 'rwvol:/rw', 'busybox', 'true'])).code, 0);
  const f = path.join(d.dir, 'ro.txt');
  fs.writeFileSync(f, 'x');
  const root = await docker(['cp', f, 'ro:/tmp/']);
  assert.equal(root.code, 1);
  assert.match(root.stderr, /container rootfs is marked read-only/);
  const vol = await docker(['cp', f, 'ro:/ro/']);
  assert.equal(vol.code, 1);
  assert.match(vol.stderr, /mounted volume is marked read-only/);
  assert.equal((await docker(['cp', f, 'ro:/rw/'])).code, 0);
  assert.equal((await docker(['rm', 'ro'])).code, 0);
});
