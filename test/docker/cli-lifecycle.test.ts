/**
 * Container lifecycle through the real docker CLI: create, start [-a], attach, stop, kill [-s],
 * restart, rm [-f] [-v], pause/unpause, wait, top.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, test } from 'node:test';
import { teardown, type Daemon } from '../cli/harness.js';
import { docker, dockerEnv, dockerOk, eventually, lines } from './docker-cli.js';
import { startWithBusybox } from '../helpers/busybox-daemon.js';

let d: Daemon;
before(async () => {
  d = await startWithBusybox('docker-cli-life');
});
after(async () => {
  await docker(d, ['rm', '-f', ...(await docker(d, ['ps', '-aq'])).stdout.split('\n').filter(Boolean)]);
  await teardown(d);
});

const status = async (name: string) => (await dockerOk(d, ['inspect', '-f', '{{.State.Status}}', name])).trim();

test('create then start -a: output and exit code; start of a running container is a no-op', async () => {
  const id = (await dockerOk(d, ['create', '--name', 'c1', 'busybox', 'sh', '-c', 'echo created-out; echo created-err >&2; exit 4'])).trim();
  assert.match(id, /^[0-9a-f]{64}$/);
  assert.equal(await status('c1'), 'created');
  const r = await docker(d, ['start', '-a', 'c1']);
  assert.deepEqual([r.code, r.stdout, r.stderr], [4, 'created-out\n', 'created-err\n']);
  assert.equal(await dockerOk(d, ['inspect', '-f', '{{.State.Status}} {{.State.ExitCode}}', 'c1']), 'exited 4\n');
  await dockerOk(d, ['create', '--name', 'c2', 'busybox', 'sleep', '300']);
  assert.equal(await dockerOk(d, ['start', 'c2']), 'c2\n');
  assert.equal(await dockerOk(d, ['start', 'c2']), 'c2\n');
  assert.equal(await status('c2'), 'running');
  await dockerOk(d, ['rm', '-f', 'c1', 'c2']);
});

test('stop sends the stop signal then SIGKILL after -t; kill -s delivers a named signal; exit codes recorded', async () => {
  await dockerOk(d, ['run', '-d', '--name', 'stoppable', 'busybox', 'sh', '-c', 'trap "exit 7" TERM; while true; do sleep 0.1; done']);
  assert.equal(await dockerOk(d, ['stop', 'stoppable']), 'stoppable\n');
  assert.equal(await dockerOk(d, ['inspect', '-f', '{{.State.Status}} {{.State.ExitCode}}', 'stoppable']), 'exited 7\n');
  // A process that ignores TERM is killed after the timeout (137 = 128 + SIGKILL).
  await dockerOk(d, ['run', '-d', '--name', 'stubborn', 'busybox', 'sh', '-c', 'trap "" TERM; while true; do sleep 0.1; done']);
  const t0 = Date.now();
  await dockerOk(d, ['stop', '-t', '1', 'stubborn']);
  assert.ok(Date.now() - t0 < 8000);
  assert.equal(await dockerOk(d, ['inspect', '-f', '{{.State.ExitCode}}', 'stubborn']), '137\n');
  await dockerOk(d, ['run', '-d', '--name', 'killme', 'busybox', 'sh', '-c', 'trap "exit 10" USR1; while true; do sleep 0.1; done']);
  assert.equal(await dockerOk(d, ['kill', '-s', 'USR1', 'killme']), 'killme\n');
  await eventually(async () => (await status('killme')) === 'exited', 'killme to exit');
  assert.equal(await dockerOk(d, ['inspect', '-f', '{{.State.ExitCode}}', 'killme']), '10\n');
  const notRunning = await docker(d, ['kill', 'killme']);
  assert.equal(notRunning.code, 1);
  assert.match(notRunning.stderr, /is not running/);
  await dockerOk(d, ['rm', 'stoppable', 'stubborn', 'killme']);
});

test('restart gives a new process; pause/unpause freeze it; top lists it', async () => {
  await dockerOk(d, ['run', '-d', '--name', 'r1', 'busybox', 'sleep', '300']);
  const started = (await dockerOk(d, ['inspect', '-f', '{{.State.StartedAt}}', 'r1'])).trim();
  assert.equal(await dockerOk(d, ['restart', '-t', '1', 'r1']), 'r1\n');
  assert.equal(await status('r1'), 'running');
  assert.notEqual((await dockerOk(d, ['inspect', '-f', '{{.State.StartedAt}}', 'r1'])).trim(), started);
  assert.equal(await dockerOk(d, ['pause', 'r1']), 'r1\n');
  assert.equal(await dockerOk(d, ['inspect', '-f', '{{.State.Status}} {{.State.Paused}}', 'r1']), 'paused true\n');
  assert.match(await dockerOk(d, ['ps', '--format', '{{.Names}} {{.Status}}']), /^r1 Up .*\(Paused\)\n$/);
  const rmPaused = await docker(d, ['rm', 'r1']);
  assert.equal(rmPaused.code, 1);
  assert.equal(await dockerOk(d, ['unpause', 'r1']), 'r1\n');
  assert.equal(await status('r1'), 'running');
  const top = await dockerOk(d, ['top', 'r1']);
  assert.match(top.split('\n')[0]!, /^UID\s+PID\s+PPID\s+C\s+STIME\s+TTY\s+TIME\s+CMD$/);
  assert.match(top, /sleep 300/);
  // Other ps options run the host's ps, as Docker does: host PIDs, the asked-for columns.
  const pid = (await dockerOk(d, ['inspect', '-f', '{{.State.Pid}}', 'r1'])).trim();
  assert.match(await dockerOk(d, ['top', 'r1', '-o', 'pid,args']), new RegExp(`^PID\\s+COMMAND\\n${pid}\\s+sleep 300\\n$`));
  const renamed = await docker(d, ['top', 'r1', '-o', 'user=PID']);
  assert.equal(renamed.code, 1);
  assert.match(renamed.stderr, /specifying "user=PID" is not allowed/);
  await dockerOk(d, ['rm', '-f', 'r1']);
});

test('wait prints the exit code; rm refuses a running container, -f removes it; rm -v removes anonymous volumes', async () => {
  await dockerOk(d, ['run', '-d', '--name', 'w1', 'busybox', 'sh', '-c', 'sleep 0.5; exit 9']);
  assert.equal(await dockerOk(d, ['wait', 'w1']), '9\n');
  await dockerOk(d, ['run', '-d', '--name', 'busy', 'busybox', 'sleep', '300']);
  const refused = await docker(d, ['rm', 'busy']);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /^Error response from daemon: cannot remove container "\/busy": container is running: stop the container before removing or force remove\n$/);
  assert.equal(await dockerOk(d, ['rm', '-f', 'busy']), 'busy\n');
  await dockerOk(d, ['create', '--name', 'anon', '-v', '/anon-data', 'busybox', 'true']);
  const vol = (await dockerOk(d, ['inspect', '-f', '{{range .Mounts}}{{if eq .Destination "/anon-data"}}{{.Name}}{{end}}{{end}}', 'anon'])).trim();
  assert.match(vol, /^[0-9a-f]{64}$/);
  assert.equal(await dockerOk(d, ['rm', '-v', 'anon', 'w1']), 'anon\nw1\n');
  assert.equal((await docker(d, ['volume', 'inspect', vol])).code, 1);
  const gone = await docker(d, ['rm', 'nope']);
  assert.equal(gone.code, 1);
  assert.match(gone.stderr, /Error response from daemon: No such container: nope/);
});

test('attach to a running container streams its output; detaching the client leaves it running', async () => {
  await dockerOk(d, ['run', '-d', '--name', 'talker', 'busybox', 'sh', '-c', 'i=0; while true; do echo tick$i; i=$((i+1)); sleep 0.2; done']);
  const child = spawn('docker', ['attach', '--no-stdin', '--sig-proxy=false', 'talker'], { env: dockerEnv(d) });
  let out = '';
  child.stdout.on('data', (b) => (out += b));
  await eventually(async () => /tick\d+\n.*tick\d+/s.test(out), 'attached output');
  // The client going away (here: killed) detaches it; the container keeps running.
  child.kill('SIGKILL');
  await new Promise((r) => child.once('close', r));
  assert.equal(await status('talker'), 'running');
  // --sig-proxy=false: a SIGTERM to the client is not sent on (the docker CLI stays attached, as
  // against dockerd); the container gets no signal and keeps running.
  const quiet = spawn('docker', ['attach', '--no-stdin', '--sig-proxy=false', 'talker'], { env: dockerEnv(d) });
  let quietOut = '';
  quiet.stdout.on('data', (b) => (quietOut += b));
  await eventually(async () => /tick\d+/.test(quietOut), 'attached output (sig-proxy=false)');
  quiet.kill('SIGTERM');
  const before = quietOut.length;
  await eventually(async () => quietOut.length > before, 'output still streams after the SIGTERM');
  const quietClosed = new Promise((r) => quiet.once('close', r));
  quiet.kill('SIGKILL');
  await quietClosed;
  const kills = await dockerOk(d, ['events', '--since', '0', '--until', String(Math.floor(Date.now() / 1000) + 1), '--filter', 'container=talker', '--filter', 'event=kill', '--format', '{{.Action}}']);
  assert.equal(kills, '', 'no signal was sent to the container');
  assert.equal(await status('talker'), 'running');
  // attach with stdin: what is typed reaches the process, and its exit ends attach with its code.
  await dockerOk(d, ['run', '-d', '-i', '--name', 'reader', 'busybox', 'sh', '-c', 'read line; echo got:$line; exit 3']);
  const r = await docker(d, ['attach', 'reader'], { input: 'hello\n' });
  assert.deepEqual([r.code, r.stdout], [3, 'got:hello\n']);
  await dockerOk(d, ['rm', '-f', 'talker', 'reader']);
});

test('rename: the new name works everywhere; a taken, invalid or unchanged name is refused', async () => {
  const id = (await dockerOk(d, ['create', '--name', 'rn-a', 'busybox', 'true'])).trim();
  await dockerOk(d, ['create', '--name', 'rn-b', 'busybox', 'true']);
  assert.equal(await dockerOk(d, ['rename', 'rn-a', 'rn-c']), '');
  assert.equal((await dockerOk(d, ['inspect', '-f', '{{.Name}} {{.Id}}', 'rn-c'])).trim(), `/rn-c ${id}`);
  assert.deepEqual(lines(await dockerOk(d, ['ps', '-a', '--filter', 'name=rn-', '--format', '{{.Names}}'])).sort(), ['rn-b', 'rn-c']);
  assert.equal((await docker(d, ['inspect', 'rn-a'])).code, 1);
  const taken = await docker(d, ['rename', 'rn-c', 'rn-b']);
  assert.equal(taken.code, 1);
  assert.match(taken.stderr, /Error response from daemon: Conflict\. The container name "\/rn-b" is already in use by container "[0-9a-f]{64}"/);
  assert.match(taken.stderr, /Error: failed to rename container named rn-c/);
  const bad = await docker(d, ['rename', 'rn-c', 'no/slash']);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /invalid container name "no\/slash"/);
  const same = await docker(d, ['rename', 'rn-c', 'rn-c']);
  assert.equal(same.code, 1);
  assert.match(same.stderr, /Renaming a container with the same name as its current name/);
  const events = await dockerOk(d, ['events', '--since', '0', '--until', String(Math.floor(Date.now() / 1000) + 1), '--filter', 'event=rename', '--format', '{{.Actor.Attributes.oldName}} {{.Actor.Attributes.name}}']);
  assert.equal(events, '/rn-a rn-c\n');
  await dockerOk(d, ['rm', 'rn-b', 'rn-c']);
});
