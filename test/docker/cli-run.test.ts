/**
 * `docker run` in its common forms, through the real docker CLI against berth: exit codes, demuxed
 * output, --rm, -p, -v, --mount, -e, --env-file, --network, --restart, resource flags, --init,
 * sig-proxy.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { after, before, test } from 'node:test';
import { teardown, type Daemon } from '../cli/harness.js';
import { docker, dockerEnv, dockerOk, eventually } from './docker-cli.js';
import { startWithBusybox } from '../helpers/busybox-daemon.js';

let d: Daemon;
before(async () => {
  d = await startWithBusybox('docker-cli-run');
});
after(async () => {
  await docker(d, ['rm', '-f', ...(await docker(d, ['ps', '-aq'])).stdout.split('\n').filter(Boolean)]);
  await teardown(d);
});

test('foreground run: stdout and stderr demultiplexed, exit codes 0/3/127/126 back to the shell, --rm leaves nothing', async () => {
  const r = await docker(d, ['run', '--rm', 'busybox', 'sh', '-c', 'echo out; echo err >&2; exit 3']);
  assert.deepEqual([r.code, r.stdout, r.stderr], [3, 'out\n', 'err\n']);
  assert.equal((await docker(d, ['run', '--rm', 'busybox', 'true'])).code, 0);
  const missing = await docker(d, ['run', '--rm', 'busybox', 'no-such-command']);
  assert.equal(missing.code, 127);
  assert.match(missing.stderr, /no-such-command/);
  assert.equal((await docker(d, ['run', '--rm', 'busybox', '/etc'])).code, 126);
  assert.equal(await dockerOk(d, ['ps', '-aq']), '');
});

test('run -d prints the full id; the container runs; --name names it', async () => {
  const id = (await dockerOk(d, ['run', '-d', '--name', 'rund', 'busybox', 'sleep', '300'])).trim();
  assert.match(id, /^[0-9a-f]{64}$/);
  assert.equal(await dockerOk(d, ['inspect', '-f', '{{.Id}} {{.Name}} {{.State.Running}}', 'rund']), `${id} /rund true\n`);
  const dup = await docker(d, ['run', '-d', '--name', 'rund', 'busybox', 'true']);
  assert.equal(dup.code, 125);
  assert.match(dup.stderr, /Conflict\. The container name "\/rund" is already in use/);
  await dockerOk(d, ['rm', '-f', 'rund']);
});

test('-e and --env-file reach the process environment', async () => {
  const envFile = `${d.dir}/run.env`;
  fs.writeFileSync(envFile, '# comment\nFROM_FILE=file-value\n\nBOTH=from-file\n');
  const out = await dockerOk(d, ['run', '--rm', '--env-file', envFile, '-e', 'BOTH=from-flag', '-e', 'PLAIN=p', 'busybox', 'sh', '-c', 'echo $FROM_FILE $BOTH $PLAIN']);
  assert.equal(out, 'file-value from-flag p\n');
});

test('-v named volume, -v host bind, --mount type=bind/volume/tmpfs', async () => {
  const hostDir = fs.mkdtempSync(`${d.dir}/bind-`);
  fs.writeFileSync(`${hostDir}/in.txt`, 'from-host');
  await dockerOk(d, ['run', '--rm', '-v', 'runvol:/data', 'busybox', 'sh', '-c', 'echo kept > /data/f']);
  assert.equal(await dockerOk(d, ['run', '--rm', '-v', 'runvol:/data', 'busybox', 'cat', '/data/f']), 'kept\n');
  assert.equal(await dockerOk(d, ['run', '--rm', '-v', `${hostDir}:/h`, 'busybox', 'sh', '-c', 'cat /h/in.txt; echo out > /h/out.txt']), 'from-host');
  assert.equal(fs.readFileSync(`${hostDir}/out.txt`, 'utf8'), 'out\n');
  const ro = await docker(d, ['run', '--rm', '--mount', `type=bind,source=${hostDir},target=/h,readonly`, 'busybox', 'sh', '-c', 'echo x > /h/y']);
  assert.notEqual(ro.code, 0);
  assert.match(ro.stderr, /Read-only file system/);
  assert.equal(await dockerOk(d, ['run', '--rm', '--mount', 'type=volume,source=runvol,target=/v', 'busybox', 'cat', '/v/f']), 'kept\n');
  assert.match(await dockerOk(d, ['run', '--rm', '--mount', 'type=tmpfs,target=/t', 'busybox', 'sh', '-c', 'grep " /t " /proc/mounts']), /^tmpfs \/t tmpfs /);
  const inspect = JSON.parse(await dockerOk(d, ['volume', 'inspect', 'runvol'])) as Array<{ Name: string; Driver: string }>;
  assert.equal(inspect[0]?.Driver, 'local');
  await dockerOk(d, ['volume', 'rm', 'runvol']);
});

function httpGet(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1');
    let data = '';
    s.on('data', (b) => (data += b));
    s.once('error', reject);
    s.once('close', () => resolve(data));
    s.end('GET /index.html HTTP/1.0\r\n\r\n');
  });
}

test('-p publishes a port on the host; docker port lists it; --network joins a user network', async () => {
  await dockerOk(d, ['network', 'create', 'runnet']);
  const port = 20000 + (process.pid % 20000);
  await dockerOk(d, ['run', '-d', '--name', 'web', '--network', 'runnet', '-p', `127.0.0.1:${port}:80`, 'busybox', 'sh', '-c', 'mkdir /www; echo hello-web > /www/index.html; httpd -f -p 80 -h /www']);
  await eventually(async () => (await httpGet(port).catch(() => '')).includes('hello-web'), 'the published port to answer');
  assert.equal(await dockerOk(d, ['port', 'web']), `80/tcp -> 127.0.0.1:${port}\n`);
  assert.equal(await dockerOk(d, ['port', 'web', '80']), `127.0.0.1:${port}\n`);
  const nets = await dockerOk(d, ['inspect', '-f', '{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{end}}', 'web']);
  assert.equal(nets, 'runnet \n');
  // Another container on the same user network reaches it by name.
  const viaName = await dockerOk(d, ['run', '--rm', '--network', 'runnet', 'busybox', 'wget', '-q', '-O', '-', 'http://web/index.html']);
  assert.equal(viaName, 'hello-web\n');
  await dockerOk(d, ['rm', '-f', 'web']);
  await dockerOk(d, ['network', 'rm', 'runnet']);
});

test('resource flags show in inspect HostConfig and in the container cgroup', async () => {
  await dockerOk(d, ['run', '-d', '--name', 'limited', '--memory', '64m', '--cpus', '0.5', '--pids-limit', '50', 'busybox', 'sleep', '300']);
  const hc = JSON.parse(await dockerOk(d, ['inspect', '-f', '{{json .HostConfig}}', 'limited'])) as { Memory: number; NanoCpus: number; PidsLimit: number };
  assert.deepEqual([hc.Memory, hc.NanoCpus, hc.PidsLimit], [64 * 1024 * 1024, 500_000_000, 50]);
  const pid = (await dockerOk(d, ['inspect', '-f', '{{.State.Pid}}', 'limited'])).trim();
  const cgroups = fs.readFileSync(`/proc/${pid}/cgroup`, 'utf8');
  const v1 = (controller: string) => cgroups.split('\n').find((l) => l.split(':')[1]?.split(',').includes(controller))?.split(':')[2];
  const memPath = v1('memory');
  if (memPath !== undefined) {
    assert.equal(fs.readFileSync(`/sys/fs/cgroup/memory${memPath}/memory.limit_in_bytes`, 'utf8').trim(), String(64 * 1024 * 1024));
    assert.equal(fs.readFileSync(`/sys/fs/cgroup/pids${v1('pids')}/pids.max`, 'utf8').trim(), '50');
    assert.equal(fs.readFileSync(`/sys/fs/cgroup/cpu${v1('cpu')}/cpu.cfs_quota_us`, 'utf8').trim(), '50000');
  } else {
    const unified = cgroups.split('\n').find((l) => l.startsWith('0::'))!.slice(3);
    assert.equal(fs.readFileSync(`/sys/fs/cgroup${unified}/memory.max`, 'utf8').trim(), String(64 * 1024 * 1024));
    assert.equal(fs.readFileSync(`/sys/fs/cgroup${unified}/pids.max`, 'utf8').trim(), '50');
  }
  await dockerOk(d, ['rm', '-f', 'limited']);
});

test('--init runs an init as PID 1 that reaps and forwards; without it the command is PID 1', async () => {
  const withInit = await dockerOk(d, ['run', '--rm', '--init', 'busybox', 'sh', '-c', 'cat /proc/1/comm; echo $$']);
  const [comm, shPid] = withInit.trim().split('\n');
  assert.notEqual(comm, 'sh');
  assert.notEqual(shPid, '1');
  assert.equal(await dockerOk(d, ['run', '--rm', 'busybox', 'sh', '-c', 'echo $$']), '1\n');
  const hc = await dockerOk(d, ['create', '--init', 'busybox', 'true']);
  assert.equal(await dockerOk(d, ['inspect', '-f', '{{.HostConfig.Init}}', hc.trim()]), 'true\n');
  await dockerOk(d, ['rm', hc.trim()]);
});

test('--restart on-failure restarts and counts; inspect shows the policy', async () => {
  await dockerOk(d, ['run', '-d', '--name', 'flaky', '--restart', 'on-failure:2', 'busybox', 'sh', '-c', 'exit 1']);
  assert.equal(await dockerOk(d, ['inspect', '-f', '{{.HostConfig.RestartPolicy.Name}}:{{.HostConfig.RestartPolicy.MaximumRetryCount}}', 'flaky']), 'on-failure:2\n');
  await eventually(async () => (await dockerOk(d, ['inspect', '-f', '{{.RestartCount}} {{.State.Status}}', 'flaky'])) === '2 exited\n', 'two restarts then exited', 30_000);
  await dockerOk(d, ['rm', '-f', 'flaky']);
});

test('-it: a real TTY, resize reaches the container, exit code comes back', async () => {
  // A real pty (test/cli/pty-drive.py) of 33x77; a non-interactive command must see that size at once.
  const driver = new URL('../cli/pty-drive.py', import.meta.url).pathname;
  const r = await new Promise<{ code: number | null; out: string }>((resolve) => {
    const child = spawn('python3', [driver, '33', '77', '', '', '--', 'docker', 'run', '--rm', '-it', 'busybox', 'sh', '-c', 'tty; stty size; exit 5'], { env: dockerEnv(d) });
    let out = '';
    child.stdout.on('data', (b) => (out += b));
    child.stderr.on('data', (b) => (out += b));
    child.once('close', (code) => resolve({ code, out }));
  });
  assert.match(r.out, /\/dev\/pts\/\d+/);
  assert.match(r.out, /33 77/);
  assert.equal(r.code, 5, r.out);
});

test('-it: resizing the client terminal resizes the container TTY', async () => {
  const script = new URL('./pty-resize.py', import.meta.url).pathname;
  const r = await new Promise<{ code: number | null; out: string }>((resolve) => {
    const child = spawn('python3', [script, 'docker', 'run', '--rm', '-it', 'busybox', 'sh'], { env: dockerEnv(d) });
    let out = '';
    child.stdout.on('data', (b) => (out += b));
    child.stderr.on('data', (b) => (out += b));
    child.once('close', (code) => resolve({ code, out }));
  });
  assert.match(r.out, /\n20 60\r?\n/);
  assert.match(r.out, /\n44 111\r?\n/);
  assert.equal(r.code, 3, r.out);
});

test('SIGTERM to the docker CLI is proxied to the container (sig-proxy)', async () => {
  const child = spawn('docker', ['run', '--rm', '--name', 'sigp', 'busybox', 'sh', '-c', 'trap "echo got-term; exit 42" TERM; echo ready; while true; do sleep 0.1; done'], { env: dockerEnv(d) });
  let out = '';
  child.stdout.on('data', (b) => (out += b));
  await eventually(async () => out.includes('ready'), 'the container to start');
  child.kill('SIGTERM');
  const code = await new Promise<number | null>((resolve) => child.once('close', (c) => resolve(c)));
  assert.match(out, /got-term/);
  assert.equal(code, 42);
});
