// Builds a one-layer busybox image as a docker-save archive with fixed metadata, so its digests
// are the same on every run with the same /bin/busybox. Plain Node + GNU tar, no berth code:
// the test image must not depend on the code it tests.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const out = process.argv[2];
const busybox = '/bin/busybox';
const sha = (buf) => createHash('sha256').update(buf).digest('hex');
const stamp = sha(fs.readFileSync(busybox)) + ':v1';
if (fs.existsSync(path.join(out, 'busybox.tar')) && fs.readFileSync(path.join(out, '.stamp'), 'utf8').trim() === stamp) process.exit(0);

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-img-'));
const rootfs = path.join(work, 'rootfs');
for (const d of ['bin', 'etc', 'tmp', 'root', 'home/berth', 'proc', 'sys', 'dev', 'var/www', 'data']) fs.mkdirSync(path.join(rootfs, d), { recursive: true });
fs.copyFileSync(busybox, path.join(rootfs, 'bin/busybox'));
fs.chmodSync(path.join(rootfs, 'bin/busybox'), 0o755);
fs.chmodSync(path.join(rootfs, 'tmp'), 0o1777);
const applets = execFileSync(busybox, ['--list'], { encoding: 'utf8' }).split('\n').filter((a) => a && a !== 'busybox');
for (const a of applets) fs.symlinkSync('busybox', path.join(rootfs, 'bin', a));
fs.writeFileSync(path.join(rootfs, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\nberth:x:1000:1000:berth test user:/home/berth:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n');
fs.writeFileSync(path.join(rootfs, 'etc/group'), 'root:x:0:\nberth:x:1000:\nstaff:x:50:berth\nnogroup:x:65534:\n');
fs.writeFileSync(path.join(rootfs, 'var/www/index.html'), 'hello from berth\n');
fs.writeFileSync(path.join(rootfs, 'data/seed.txt'), 'seeded by the image\n');

const layerTar = path.join(work, 'layer.tar');
execFileSync('tar', ['--sort=name', '--mtime=@0', '--owner=0', '--group=0', '--numeric-owner', '--format=posix',
  '--pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime', '-C', rootfs, '-cf', layerTar, '.']);
const layer = fs.readFileSync(layerTar);
const diffId = 'sha256:' + sha(layer);
const created = '1970-01-01T00:00:00Z';
const config = {
  architecture: process.arch === 'arm64' ? 'arm64' : 'amd64',
  os: 'linux',
  created,
  config: {
    Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
    Cmd: ['sh'],
    WorkingDir: '/',
    Labels: { 'org.opencontainers.image.title': 'berth test busybox' },
    ExposedPorts: { '80/tcp': {} },
    Volumes: { '/data': {} },
  },
  rootfs: { type: 'layers', diff_ids: [diffId] },
  history: [{ created, created_by: 'berth scripts/make-test-image.mjs: busybox-static rootfs' }],
};
const configJson = Buffer.from(JSON.stringify(config));
const configName = sha(configJson) + '.json';
const layerDir = sha(layer);
const arch = path.join(work, 'archive');
fs.mkdirSync(path.join(arch, layerDir), { recursive: true });
fs.writeFileSync(path.join(arch, configName), configJson);
fs.copyFileSync(layerTar, path.join(arch, layerDir, 'layer.tar'));
fs.writeFileSync(path.join(arch, 'manifest.json'), JSON.stringify([{ Config: configName, RepoTags: ['busybox:latest'], Layers: [layerDir + '/layer.tar'] }]));
fs.writeFileSync(path.join(arch, 'repositories'), JSON.stringify({ busybox: { latest: layerDir } }));
const tmpOut = path.join(out, 'busybox.tar.tmp');
execFileSync('tar', ['--sort=name', '--mtime=@0', '--owner=0', '--group=0', '--numeric-owner', '-C', arch, '-cf', tmpOut, '.']);
fs.renameSync(tmpOut, path.join(out, 'busybox.tar'));
fs.writeFileSync(path.join(out, '.stamp'), stamp + '\n');
fs.rmSync(work, { recursive: true, force: true });
