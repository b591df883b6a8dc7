/**
 * dockerode (the npm Docker Engine client, unmodified) against berth: container inspect fields,
 * stats fields (cpu, memory, pids, networks from the container's netns, blkio from its cgroup),
 * hijacked attach and exec streams with stdcopy framing (docker-modem's demuxStream), exec inspect
 * ExitCode.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, test } from 'node:test';
import { PassThrough, type Duplex } from 'node:stream';
import Docker from 'dockerode';
import { teardown, type Daemon } from '../cli/harness.js';
import { startWithBusybox } from '../helpers/busybox-daemon.js';

let d: Daemon;
let docker: Docker;
before(async () => {
  d = await startWithBusybox('dockerode');
  docker = new Docker({ socketPath: d.socket });
});
after(async () => {
  for (const c of await docker.listContainers({ all: true })) await docker.getContainer(c.Id).remove({ force: true });
  await teardown(d);
});

function collect(stream: NodeJS.ReadableStream): { text: () => string } {
  let s = '';
  stream.on('data', (b: Buffer) => (s += b.toString()));
  return { text: () => s };
}

/** Demuxes a hijacked non-TTY stream into stdout/stderr text; resolves when the server closes it. */
async function demuxed(stream: NodeJS.ReadableStream): Promise<{ stdout: string; stderr: string }> {
  const out = new PassThrough();
  const err = new PassThrough();
  const o = collect(out);
  const e = collect(err);
  docker.modem.demuxStream(stream, out, err);
  await new Promise<void>((resolve, reject) => {
    stream.once('end', resolve);
    stream.once('close', resolve);
    stream.once('error', reject);
  });
  return { stdout: o.text(), stderr: e.text() };
}

test('ping, version and info through dockerode', async () => {
  assert.equal(String(await docker.ping()), 'OK');
  const v = await docker.version();
  assert.equal(v.ApiVersion, '1.51');
  assert.equal(v.MinAPIVersion, '1.24');
  const info = await docker.info();
  assert.equal(info.Images, 1);
  assert.equal(typeof info.NCPU, 'number');
});

test('container create/start/inspect: the fields clients read', async () => {
  const c = await docker.createContainer({
    Image: 'busybox', name: 'dode', Cmd: ['sleep', '300'], Env: ['A=1'], Labels: { app: 'x' },
    HostConfig: { Memory: 32 * 1024 * 1024, RestartPolicy: { Name: 'no' }, Binds: ['dode-data:/data'] },
  });
  await c.start();
  const i = await c.inspect();
  assert.match(i.Id, /^[0-9a-f]{64}$/);
  assert.equal(i.Name, '/dode');
  assert.equal(i.Path, 'sleep');
  assert.deepEqual(i.Args, ['300']);
  assert.equal(i.State.Status, 'running');
  assert.equal(i.State.Running, true);
  assert.ok(i.State.Pid > 0);
  assert.match(i.State.StartedAt, /^\d{4}-\d\d-\d\dT/);
  assert.equal(i.State.FinishedAt, '0001-01-01T00:00:00Z');
  assert.match(i.Image, /^sha256:[0-9a-f]{64}$/);
  assert.equal(i.Config.Image, 'busybox');
  assert.ok(i.Config.Env.includes('A=1'));
  assert.equal(i.Config.Labels.app, 'x');
  assert.equal(i.HostConfig.Memory, 32 * 1024 * 1024);
  assert.equal(i.HostConfig.RestartPolicy?.Name, 'no');
  assert.equal(i.RestartCount, 0);
  assert.equal(typeof i.Driver, 'string');
  const bridge = i.NetworkSettings.Networks.bridge!;
  assert.match(bridge.IPAddress, /^\d+\.\d+\.\d+\.\d+$/);
  assert.match(bridge.Gateway, /^\d+\.\d+\.\d+\.\d+$/);
  assert.ok(bridge.IPPrefixLen > 0);
  assert.match(bridge.MacAddress, /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
  assert.match(bridge.NetworkID, /^[0-9a-f]{64}$/);
  const listed = (await docker.listContainers({ filters: { name: ['dode'] } }))[0]!;
  assert.deepEqual([listed.Id, listed.Names, listed.State, listed.Labels.app], [i.Id, ['/dode'], 'running', 'x']);
});

/**
 * Kernels since 5.x count v1 blkio.throttle.* bytes only for devices with a throttle rule on the
 * cgroup (what --device-write-bps would set; berth does not offer it yet): give the container's
 * cgroup a rule far above any real rate for the disk holding berth's data dir, so its writes show.
 */
function throttleRuleForDataDisk(pid: number): void {
  const line = fs.readFileSync(`/proc/${pid}/cgroup`, 'utf8').split('\n').find((l) => l.split(':')[1]?.split(',').includes('blkio'));
  assert.ok(line, 'this host keeps blkio on cgroup v1 (host-facts.md)');
  const dev = fs.statSync(d.dataDir).dev;
  let majMin = `${Math.floor(dev / 256) & 0xfff}:${(dev & 0xff) | ((Math.floor(dev / 4096)) & 0xfff00)}`;
  const sysDev = `/sys/dev/block/${majMin}`;
  // A partition's rule belongs on its disk.
  if (fs.existsSync(`${sysDev}/partition`)) majMin = fs.readFileSync(`${fs.realpathSync(sysDev)}/../dev`, 'utf8').trim();
  fs.writeFileSync(`/sys/fs/cgroup/blkio${line.split(':')[2]}/blkio.throttle.write_bps_device`, `${majMin} 100000000000`);
}

test('stats: cpu, precpu, memory, pids, networks from the netns, blkio from the cgroup', async () => {
  const c = docker.getContainer('dode');
  throttleRuleForDataDisk((await c.inspect()).State.Pid);
  // Traffic and disk writes the counters must show (direct I/O on a volume: cgroup v1 counts only
  // what the task itself submits, not later writeback).
  const exec = await c.exec({ Cmd: ['sh', '-c', 'ping -c 2 -W 1 $(ip route | awk "/default/ {print \\$3}") >/dev/null 2>&1; dd if=/dev/zero of=/data/blk bs=64k count=16 oflag=direct; true'], AttachStdout: true, AttachStderr: true });
  const io = await demuxed(await exec.start({ hijack: true, stdin: false }) as unknown as Duplex);
  assert.match(io.stderr, /16\+0 records out/);
  const s = (await c.stats({ stream: false })) as unknown as Record<string, any>;
  assert.equal(s.id.length, 64);
  assert.equal(s.name, '/dode');
  assert.match(s.read, /^\d{4}-\d\d-\d\dT/);
  assert.match(s.preread, /^\d{4}-\d\d-\d\dT/);
  assert.ok(s.cpu_stats.cpu_usage.total_usage > 0);
  assert.ok(s.cpu_stats.system_cpu_usage > 0);
  assert.ok(s.cpu_stats.online_cpus >= 1);
  assert.ok(s.precpu_stats.cpu_usage.total_usage > 0, 'stream=false samples twice, so precpu is filled');
  assert.ok(s.memory_stats.usage > 0);
  assert.equal(s.memory_stats.limit, 32 * 1024 * 1024);
  assert.equal(typeof s.memory_stats.stats.inactive_file, 'number');
  assert.equal(s.pids_stats.current, 1);
  assert.deepEqual(Object.keys(s.networks), ['eth0']);
  assert.ok(s.networks.eth0.tx_bytes > 0 && s.networks.eth0.tx_packets > 0, JSON.stringify(s.networks));
  for (const k of ['rx_bytes', 'rx_packets', 'rx_errors', 'rx_dropped', 'tx_errors', 'tx_dropped']) assert.equal(typeof s.networks.eth0[k], 'number', k);
  const written = (s.blkio_stats.io_service_bytes_recursive ?? []).filter((e: { op: string }) => /^w/i.test(e.op)).reduce((n: number, e: { value: number }) => n + e.value, 0);
  assert.ok(written >= 1024 * 1024, `blkio write bytes ${written}: ${JSON.stringify(s.blkio_stats)}`);
  // The streamed form: one JSON document per refresh.
  const stream = (await c.stats({ stream: true })) as unknown as NodeJS.ReadableStream & { destroy(): void };
  const docs = await new Promise<Array<Record<string, any>>>((resolve, reject) => {
    let buf = '';
    const got: Array<Record<string, any>> = [];
    stream.on('data', (b: Buffer) => {
      buf += b.toString();
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        got.push(JSON.parse(buf.slice(0, nl)));
        buf = buf.slice(nl + 1);
        if (got.length === 2) resolve(got);
      }
    });
    stream.once('error', reject);
  });
  stream.destroy();
  assert.equal(docs[1]!.preread, docs[0]!.read);
});

test('attach and exec: hijacked streams are stdcopy framed; exec inspect has the ExitCode', async () => {
  const c = await docker.createContainer({ Image: 'busybox', Cmd: ['sh', '-c', 'read x; echo "out:$x"; echo "err:$x" >&2; exit 7'], OpenStdin: true, StdinOnce: true, AttachStdin: true, AttachStdout: true, AttachStderr: true });
  const stream = (await c.attach({ stream: true, stdin: true, stdout: true, stderr: true, hijack: true })) as unknown as Duplex;
  const result = demuxed(stream);
  await c.start();
  stream.end('hello\n');
  assert.deepEqual(await result, { stdout: 'out:hello\n', stderr: 'err:hello\n' });
  assert.deepEqual(await c.wait(), { StatusCode: 7, Error: null });
  await c.remove();

  const dode = docker.getContainer('dode');
  const exec = await dode.exec({ Cmd: ['sh', '-c', 'cat; echo to-err >&2; exit 4'], AttachStdin: true, AttachStdout: true, AttachStderr: true });
  const es = (await exec.start({ hijack: true, stdin: true })) as unknown as Duplex;
  const eres = demuxed(es);
  es.end('piped-in\n');
  assert.deepEqual(await eres, { stdout: 'piped-in\n', stderr: 'to-err\n' });
  let info = await exec.inspect();
  for (let i = 0; i < 50 && info.Running; i++) info = await exec.inspect();
  assert.equal(info.Running, false);
  assert.equal(info.ExitCode, 4);
  assert.equal(info.ProcessConfig.entrypoint, 'sh');
  assert.match(info.ContainerID, /^[0-9a-f]{64}$/);

  const tty = await dode.exec({ Cmd: ['sh', '-c', 'tty; stty size'], Tty: true, AttachStdout: true, ConsoleSize: [12, 34] } as Docker.ExecCreateOptions);
  const ts = (await tty.start({ hijack: true, stdin: false, Tty: true } as Docker.ExecStartOptions)) as unknown as Duplex;
  const raw = collect(ts);
  await new Promise((r) => ts.once('end', r));
  assert.match(raw.text(), /^\/dev\/pts\/\d+\r\n/, 'a TTY stream is raw, not framed');
});

test('the event stream: container events with Docker\'s fields, filtered by type and container', async () => {
  const stream = (await docker.getEvents({ filters: { type: ['container'], container: ['evd'] } })) as unknown as NodeJS.ReadableStream & { destroy(): void };
  const events: Array<Record<string, any>> = [];
  let buf = '';
  stream.on('data', (b: Buffer) => {
    buf += b.toString();
    let nl;
    while ((nl = buf.indexOf('\n')) >= 0) {
      events.push(JSON.parse(buf.slice(0, nl)));
      buf = buf.slice(nl + 1);
    }
  });
  const c = await docker.createContainer({ Image: 'busybox', name: 'evd', Cmd: ['true'], Labels: { ev: '1' } });
  await c.start();
  await c.wait();
  await c.remove();
  const deadline = Date.now() + 10_000;
  while (!events.some((e) => e.Action === 'destroy') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  stream.destroy();
  assert.deepEqual(events.map((e) => e.Action).filter((a) => ['create', 'start', 'die', 'destroy'].includes(a)), ['create', 'start', 'die', 'destroy']);
  const create = events.find((e) => e.Action === 'create')!;
  assert.equal(create.Type, 'container');
  assert.equal(create.Actor.ID, c.id);
  assert.equal(create.Actor.Attributes.name, 'evd');
  assert.equal(create.Actor.Attributes.ev, '1');
  assert.equal(create.scope, 'local');
  assert.equal(typeof create.time, 'number');
  assert.equal(typeof create.timeNano, 'number');
  assert.equal(events.find((e) => e.Action === 'die')!.Actor.Attributes.exitCode, '0');
  assert.ok(events.every((e) => e.Type === 'container' && e.Actor.ID === c.id));
});

test('errors come back as Docker status codes that dockerode surfaces', async () => {
  await assert.rejects(docker.getContainer('ghost').inspect(), (e: { statusCode?: number; json?: { message?: string } }) => e.statusCode === 404 && e.json?.message === 'No such container: ghost');
  await assert.rejects(docker.createContainer({ Image: 'busybox', name: 'dode' }), (e: { statusCode?: number }) => e.statusCode === 409);
  await assert.rejects(docker.getContainer('dode').remove(), (e: { statusCode?: number }) => e.statusCode === 409);
  await assert.rejects(docker.createContainer({ Image: 'busybox', HostConfig: { Memory: 1 } }), (e: { statusCode?: number }) => e.statusCode === 400);
});
