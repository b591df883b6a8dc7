/**
 * ps (filters, formats, -n/-l, --no-trunc), logs (-f --tail -t --since), exec (-d -e -w -u, exit
 * code), inspect (fall-through, -f, --type), stats (--no-stream, streamed, --format) through the real
 * docker CLI against berth.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, test } from 'node:test';
import { teardown, type Daemon } from '../cli/harness.js';
import { docker, dockerEnv, dockerOk, eventually, lines } from './docker-cli.js';
import { startWithBusybox } from '../helpers/busybox-daemon.js';

let d: Daemon;
let upId = '';
before(async () => {
  d = await startWithBusybox('docker-cli-ps');
  upId = (await dockerOk(d, ['run', '-d', '--name', 'up1', '--label', 'tier=web', 'busybox', 'sh', '-c', 'echo line1; echo line2 >&2; echo line3; sleep 300'])).trim();
  await dockerOk(d, ['run', '--name', 'done1', '--label', 'tier=batch', 'busybox', 'true']);
  await dockerOk(d, ['create', '--name', 'new1', 'busybox', 'true']);
});
after(async () => {
  await docker(d, ['rm', '-f', ...(await docker(d, ['ps', '-aq'])).stdout.split('\n').filter(Boolean)]);
  await teardown(d);
});


test('ps: running only by default, -a all, -q short ids, --no-trunc full ids, -n/-l latest', async () => {
  const table = lines(await dockerOk(d, ['ps']));
  assert.match(table[0]!, /^CONTAINER ID\s+IMAGE\s+COMMAND\s+CREATED\s+STATUS\s+PORTS\s+NAMES$/);
  assert.equal(table.length, 2);
  assert.match(table[1]!, new RegExp(`^${upId.slice(0, 12)}\\s+busybox\\s+"sh -c 'echo line1; …"\\s+.*ago\\s+Up .*\\s+up1$`));
  assert.deepEqual(lines(await dockerOk(d, ['ps', '-q'])), [upId.slice(0, 12)]);
  assert.equal(lines(await dockerOk(d, ['ps', '-aq'])).length, 3);
  assert.deepEqual(lines(await dockerOk(d, ['ps', '-q', '--no-trunc'])), [upId]);
  assert.deepEqual(lines(await dockerOk(d, ['ps', '-l', '--format', '{{.Names}}'])), ['new1']);
  assert.deepEqual(lines(await dockerOk(d, ['ps', '-n', '2', '--format', '{{.Names}}'])), ['new1', 'done1']);
  // -s / inspect -s: the writable layer's bytes, and with the image's ("virtual").
  await dockerOk(d, ['exec', 'up1', 'sh', '-c', 'head -c 5000 /dev/zero > /written']);
  assert.match(await dockerOk(d, ['ps', '-s', '--format', '{{.Size}}']), /^5kB \(virtual [\d.]+MB\)\n$/);
  const [rw, rootFs] = (await dockerOk(d, ['inspect', '-s', '-f', '{{.SizeRw}} {{.SizeRootFs}}', 'up1'])).trim().split(' ').map(Number);
  assert.ok(rw! >= 5000 && rootFs! > rw!, `${rw} ${rootFs}`);
  assert.equal(await dockerOk(d, ['inspect', '-f', '{{.SizeRw}}', 'up1']), '<nil>\n');
});

test('ps --filter status/label/name/ancestor/exited', async () => {
  const names = async (...f: string[]) => lines(await dockerOk(d, ['ps', '-a', '--format', '{{.Names}}', ...f.flatMap((x) => ['--filter', x])])).sort();
  assert.deepEqual(await names('status=running'), ['up1']);
  assert.deepEqual(await names('status=exited'), ['done1']);
  assert.deepEqual(await names('status=created'), ['new1']);
  assert.deepEqual(await names('label=tier'), ['done1', 'up1']);
  assert.deepEqual(await names('label=tier=web'), ['up1']);
  assert.deepEqual(await names('name=done'), ['done1']);
  assert.deepEqual(await names('ancestor=busybox'), ['done1', 'new1', 'up1']);
  assert.deepEqual(await names('exited=0'), ['done1']);
  assert.deepEqual(await names('status=running', 'label=tier=batch'), []);
  const bad = await docker(d, ['ps', '--filter', 'status=sleepy']);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /invalid filter 'status=sleepy'/);
});

test("ps --format '{{json .}}' gives the CLI's fields", async () => {
  const row = JSON.parse(lines(await dockerOk(d, ['ps', '--format', '{{json .}}']))[0]!) as Record<string, string>;
  assert.equal(row.ID, upId.slice(0, 12));
  assert.equal(row.Names, 'up1');
  assert.equal(row.Image, 'busybox');
  assert.equal(row.State, 'running');
  // The image's labels are the container's too, as in Docker.
  assert.match(row.Labels!, /(^|,)tier=web(,|$)/);
  assert.match(row.Status!, /^Up /);
  assert.match(row.CreatedAt!, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d{4} \w+$/);
  assert.equal(row.Networks, 'bridge');
  assert.equal(await dockerOk(d, ['ps', '--format', 'table {{.Names}}\t{{.State}}']), 'NAMES     STATE\nup1       running\n');
});

test('logs: both streams, --tail, -t timestamps, --since, -f follows until exit', async () => {
  const all = await docker(d, ['logs', 'up1']);
  assert.deepEqual([all.stdout, all.stderr], ['line1\nline3\n', 'line2\n']);
  // conmon may write stdout and stderr out of order: tail counts lines over both, whatever order.
  const tail = await docker(d, ['logs', '--tail', '1', 'up1']);
  assert.equal(lines(tail.stdout + tail.stderr).length, 1);
  assert.match((await docker(d, ['logs', '-t', 'up1'])).stdout, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z line1\n/);
  assert.equal((await docker(d, ['logs', '--since', '2099-01-01T00:00:00Z', 'up1'])).stdout, '');
  assert.equal((await docker(d, ['logs', '--since', '10m', 'up1'])).stdout, 'line1\nline3\n');
  await dockerOk(d, ['run', '-d', '--name', 'follow1', 'busybox', 'sh', '-c', 'echo a; sleep 1; echo b; exit 0']);
  const follow = await docker(d, ['logs', '-f', 'follow1'], { timeoutMs: 20_000 });
  assert.deepEqual([follow.code, follow.stdout], [0, 'a\nb\n']);
  const missing = await docker(d, ['logs', 'nope']);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /No such container: nope/);
});

test('exec: exit code, -e, -w, -u, -d, -i stdin; exec into a stopped container fails', async () => {
  const r = await docker(d, ['exec', '-e', 'X=1', '-w', '/tmp', '-u', '1000:1000', 'up1', 'sh', '-c', 'echo $X $(pwd) $(id -u):$(id -g); echo e >&2; exit 6']);
  assert.deepEqual([r.code, r.stdout, r.stderr], [6, '1 /tmp 1000:1000\n', 'e\n']);
  assert.equal(await dockerOk(d, ['exec', '-d', 'up1', 'sh', '-c', 'echo bg > /tmp/bg']), '');
  await eventually(async () => (await docker(d, ['exec', 'up1', 'cat', '/tmp/bg'])).stdout === 'bg\n', 'the detached exec to run');
  assert.equal(await dockerOk(d, ['exec', '-i', 'up1', 'sh', '-c', 'tr a-z A-Z'], { input: 'piped\n' }), 'PIPED\n');
  const notFound = await docker(d, ['exec', 'up1', 'no-such-binary']);
  assert.equal(notFound.code, 127);
  assert.match(notFound.stderr, /OCI runtime exec failed: .*no-such-binary/);
  assert.equal((await docker(d, ['exec', 'up1', '/etc'])).code, 126);
  const stopped = await docker(d, ['exec', 'done1', 'true']);
  assert.equal(stopped.code, 1);
  assert.match(stopped.stderr, /is not running/);
});

test('exec -it: a real TTY of the client terminal size; the exit code comes back', async () => {
  // A real pty (test/cli/pty-drive.py) of 21x66; the shell's answers show the TTY and its size.
  const driver = new URL('../cli/pty-drive.py', import.meta.url).pathname;
  const r = await new Promise<{ code: number | null; out: string }>((resolve) => {
    const child = spawn('python3', [driver, '21', '66', '# ', 'tty; stty size; exit 8\r', '--', 'docker', 'exec', '-it', 'up1', 'sh'], { env: dockerEnv(d) });
    let out = '';
    child.stdout.on('data', (b) => (out += b));
    child.stderr.on('data', (b) => (out += b));
    child.once('close', (code) => resolve({ code, out }));
  });
  assert.match(r.out, /\/dev\/pts\/\d+\r?\n/);
  assert.match(r.out, /\n21 66\r?\n/);
  assert.equal(r.code, 8, r.out);
});

test('inspect: containers → images → networks → volumes, -f, --type, several at once', async () => {
  await dockerOk(d, ['volume', 'create', 'insp-vol']);
  assert.equal(await dockerOk(d, ['inspect', '-f', '{{.Name}} {{.Config.Labels.tier}} {{.State.Running}}', 'up1']), '/up1 web true\n');
  assert.match(await dockerOk(d, ['inspect', '-f', '{{.Id}} {{.Os}}', 'busybox']), /^sha256:[0-9a-f]{64} linux\n$/);
  assert.equal(await dockerOk(d, ['inspect', '-f', '{{.Name}} {{.Driver}}', 'bridge']), 'bridge bridge\n');
  assert.equal(await dockerOk(d, ['inspect', '-f', '{{.Name}} {{.Driver}}', 'insp-vol']), 'insp-vol local\n');
  assert.equal(await dockerOk(d, ['inspect', '--type', 'volume', '-f', '{{.Scope}}', 'insp-vol']), 'local\n');
  const wrongType = await docker(d, ['inspect', '--type', 'container', 'insp-vol']);
  assert.equal(wrongType.code, 1);
  assert.match(wrongType.stderr, /No such container: insp-vol/);
  const both = JSON.parse(await dockerOk(d, ['inspect', 'up1', 'done1'])) as Array<{ Name: string; State: { ExitCode: number }; HostConfig: object; NetworkSettings: { Networks: Record<string, { IPAddress: string }> } }>;
  assert.deepEqual(both.map((c) => c.Name), ['/up1', '/done1']);
  assert.match(both[0]!.NetworkSettings.Networks.bridge!.IPAddress, /^\d+\.\d+\.\d+\.\d+$/);
  const partial = await docker(d, ['inspect', '-f', '{{.Name}}', 'up1', 'ghost']);
  assert.equal(partial.code, 1);
  assert.equal(partial.stdout, '/up1\n');
  assert.match(partial.stderr, /No such object: ghost/);
  await dockerOk(d, ['volume', 'rm', 'insp-vol']);
});

test('stats --no-stream and streamed; --format; top', async () => {
  const table = lines(await dockerOk(d, ['stats', '--no-stream', 'up1']));
  assert.match(table[0]!, /^CONTAINER ID\s+NAME\s+CPU %\s+MEM USAGE \/ LIMIT\s+MEM %\s+NET I\/O\s+BLOCK I\/O\s+PIDS$/);
  assert.match(table[1]!, new RegExp(`^${upId.slice(0, 12)}\\s+up1\\s+\\d+\\.\\d+%\\s+[\\d.]+[KMG]?i?B / [\\d.]+[KMGT]i?B\\s+[\\d.]+%\\s+[\\d.]+[kMG]?B / [\\d.]+[kMG]?B\\s+[\\d.]+[kMG]?B / [\\d.]+[kMG]?B\\s+\\d+$`));
  const json = JSON.parse(await dockerOk(d, ['stats', '--no-stream', '--format', '{{json .}}', 'up1'])) as Record<string, string>;
  assert.equal(json.Name, 'up1');
  // The sleep, plus any exec of an earlier test still winding down.
  assert.match(json.PIDs!, /^\d+$/);
  assert.match(json.MemUsage!, / \/ /);
  // Streamed: several refreshes arrive while the CLI keeps running.
  const child = spawn('docker', ['stats', '--format', '{{.Name}} {{.PIDs}}', 'up1'], { env: dockerEnv(d) });
  let out = '';
  child.stdout.on('data', (b) => (out += b));
  await eventually(async () => (out.match(/up1 \d+/g) ?? []).length >= 2, 'two stats refreshes', 10_000);
  child.kill('SIGKILL');
  await new Promise((r) => child.once('close', r));
});
