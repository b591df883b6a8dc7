/** CLI end to end: run/create/start/exec exit codes, --rm, detached lifecycle, ps/inspect/stats/top, pause. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, test } from 'node:test';
import { busyboxImage } from '../helpers/test-image.js';
import { NODE_ARGS, runBerth, startDaemon, teardown, type Daemon } from './harness.js';

let d: Daemon;
before(async () => {
  d = await startDaemon('cli-run');
  const r = await d.berth(['load', '-i', busyboxImage().dockerArchive]);
  assert.equal(r.code, 0, r.stderr);
});
after(() => teardown(d));

test('run exit codes: 0, the command\'s own, 127 missing command, 126 not executable, 125 berth errors', async () => {
  const ok = await d.berth(['run', '--rm', 'busybox', 'echo', 'hello']);
  assert.deepEqual([ok.code, ok.stdout], [0, 'hello\n']);
  const three = await d.berth(['run', '--rm', 'busybox', 'sh', '-c', 'echo out; echo err >&2; exit 3']);
  assert.deepEqual([three.code, three.stdout, three.stderr], [3, 'out\n', 'err\n']);
  const missing = await d.berth(['run', '--rm', 'busybox', 'no-such-command']);
  assert.equal(missing.code, 127, missing.stderr);
  assert.match(missing.stderr, /no-such-command/);
  const notExec = await d.berth(['run', '--rm', 'busybox', '/etc']);
  assert.equal(notExec.code, 126, notExec.stderr);
  const badFlag = await d.berth(['run', '--no-such-flag', 'busybox', 'true']);
  assert.equal(badFlag.code, 125);
  assert.match(badFlag.stderr, /unknown flag: --no-such-flag/);
  const badImage = await d.berth(['run', '--rm', 'nosuchimage:1', 'true']);
  assert.equal(badImage.code, 125);
  assert.match(badImage.stderr, /nosuchimage/);
  const badRestart = await d.berth(['run', '--restart', 'sometimes', 'busybox', 'true']);
  assert.equal(badRestart.code, 125);
  assert.match(badRestart.stderr, /restart policy/);
  // --rm leaves nothing behind, even when the command was missing.
  assert.equal((await d.berth(['ps', '-aq'])).stdout, '');
});

test('flags after the image belong to the container; -e -w -u --hostname reach the process', async () => {
  const r = await d.berth(['run', '--rm', '-e', 'GREETING=hi there', '-w', '/tmp', '-u', '1000:1000', '--hostname', 'boxy', 'busybox', 'sh', '-c', 'echo "$GREETING|$(pwd)|$(id -u):$(id -g)|$(hostname)" -n']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'hi there|/tmp|1000:1000|boxy -n\n');
});

test('run -i pipes stdin and half-closes at EOF', async () => {
  const r = await d.berth(['run', '--rm', '-i', 'busybox', 'sh', '-c', 'tr a-z A-Z; echo done'], { input: 'hello stdin\n' });
  assert.deepEqual([r.code, r.stdout], [0, 'HELLO STDIN\ndone\n']);
});

test('detached: run -d, logs, ps, inspect, top, stats, pause/unpause, exec, stop, rm', async () => {
  const run = await d.berth(['run', '-d', '--name', 'ticker', '--restart', 'on-failure:2', '--memory', '64m', 'busybox', 'sh', '-c', 'echo started; echo warn >&2; while true; do sleep 0.2; done']);
  assert.equal(run.code, 0, run.stderr);
  const id = run.stdout.trim();
  assert.match(id, /^[0-9a-f]{64}$/);

  const ps = await d.berth(['ps']);
  assert.match(ps.stdout.split('\n')[0]!, /^CONTAINER ID\s+IMAGE\s+COMMAND\s+CREATED\s+STATUS\s+PORTS\s+NAMES$/);
  assert.match(ps.stdout, new RegExp(`^${id.slice(0, 12)}\\s+busybox\\s+"sh -c 'echo started…"\\s+.+\\s+Up .+ticker$`, 'm'));
  const psJson = await d.berth(['ps', '--format', 'json']);
  const row = JSON.parse(psJson.stdout.trim()) as { ID: string; Names: string; State: string };
  assert.deepEqual([row.ID, row.Names, row.State], [id.slice(0, 12), 'ticker', 'running']);

  await waitFor(async () => (await d.berth(['logs', 'ticker'])).stdout === 'started\n');
  const logs = await d.berth(['logs', '-t', 'ticker']);
  assert.match(logs.stdout, /^\d{4}-\d\d-\d\dT\S+ started\n$/);
  assert.match(logs.stderr, /^\d{4}-\d\d-\d\dT\S+ warn\n$/);

  const status = await d.berth(['inspect', '-f', '{{.State.Status}} {{.State.Running}} {{.HostConfig.RestartPolicy.Name}}:{{.HostConfig.RestartPolicy.MaximumRetryCount}} {{.HostConfig.Memory}} {{.Name}}', 'ticker']);
  assert.equal(status.stdout, 'running true on-failure:2 67108864 /ticker\n');
  const full = JSON.parse((await d.berth(['inspect', id])).stdout) as Array<{ Id: string; State: { Pid: number }; Config: { Cmd: string[] } }>;
  assert.equal(full[0]!.Id, id);
  assert.ok(full[0]!.State.Pid > 0);
  assert.deepEqual(full[0]!.Config.Cmd, ['sh', '-c', 'echo started; echo warn >&2; while true; do sleep 0.2; done']);

  const top = await d.berth(['top', 'ticker']);
  assert.equal(top.code, 0, top.stderr);
  assert.match(top.stdout, /PID/);
  assert.match(top.stdout, /while true/);

  const stats = await d.berth(['stats', '--no-stream', 'ticker']);
  assert.equal(stats.code, 0, stats.stderr);
  assert.match(stats.stdout.split('\n')[0]!, /^CONTAINER ID\s+NAME\s+CPU %\s+MEM USAGE \/ LIMIT\s+MEM %\s+NET I\/O\s+BLOCK I\/O\s+PIDS$/);
  assert.match(stats.stdout, new RegExp(`^${id.slice(0, 12)}\\s+ticker\\s+\\d+\\.\\d\\d%\\s+\\S+ / 64MiB\\s`, 'm'));

  const exec = await d.berth(['exec', '-e', 'X=1', '-w', '/etc', 'ticker', 'sh', '-c', 'echo "x=$X in $(pwd)"; echo oops >&2; exit 4']);
  assert.deepEqual([exec.code, exec.stdout, exec.stderr], [4, 'x=1 in /etc\n', 'oops\n']);
  const execMissing = await d.berth(['exec', 'ticker', 'no-such-binary']);
  assert.ok(execMissing.code === 126 || execMissing.code === 127, `exit ${execMissing.code}: ${execMissing.stderr}`);
  const execIn = await d.berth(['exec', '-i', 'ticker', 'cat'], { input: 'piped\n' });
  assert.deepEqual([execIn.code, execIn.stdout], [0, 'piped\n']);

  assert.equal((await d.berth(['pause', 'ticker'])).code, 0);
  assert.match((await d.berth(['ps', '--format', '{{.Status}}'])).stdout, /\(Paused\)/);
  assert.equal((await d.berth(['inspect', '-f', '{{.State.Status}}', 'ticker'])).stdout, 'paused\n');
  assert.equal((await d.berth(['unpause', 'ticker'])).code, 0);
  assert.equal((await d.berth(['inspect', '-f', '{{.State.Status}}', 'ticker'])).stdout, 'running\n');

  const rmRunning = await d.berth(['rm', 'ticker']);
  assert.equal(rmRunning.code, 1);
  assert.match(rmRunning.stderr, /ticker/);

  const stop = await d.berth(['stop', '-t', '1', 'ticker']);
  assert.deepEqual([stop.code, stop.stdout], [0, 'ticker\n']);
  assert.match((await d.berth(['inspect', '-f', '{{.State.Status}} {{.State.ExitCode}}', 'ticker'])).stdout, /^exited \d+\n$/);
  assert.match((await d.berth(['ps', '-a', '--format', '{{.Status}}'])).stdout, /^Exited \(\d+\) .* ago$/m);
  assert.equal((await d.berth(['ps', '-q'])).stdout, '');
  const rm = await d.berth(['rm', 'ticker']);
  assert.deepEqual([rm.code, rm.stdout], [0, 'ticker\n']);
  assert.equal((await d.berth(['ps', '-aq'])).stdout, '');
});

test('create + start -a, wait, kill -s and restart', async () => {
  const created = await d.berth(['create', '--name', 'later', 'busybox', 'sh', '-c', 'echo from-later; exit 7']);
  assert.equal(created.code, 0, created.stderr);
  assert.equal((await d.berth(['ps', '-a', '--filter', 'status=created', '--format', '{{.Names}}'])).stdout, 'later\n');
  const start = await d.berth(['start', '-a', 'later']);
  assert.deepEqual([start.code, start.stdout], [7, 'from-later\n']);
  const wait = await d.berth(['wait', 'later']);
  assert.deepEqual([wait.code, wait.stdout], [0, '7\n']);
  // Docker lets `start -a` run an exited container again, with its output attached.
  const again = await d.berth(['start', '-a', 'later']);
  assert.deepEqual([again.code, again.stdout], [7, 'from-later\n']);
  assert.equal((await d.berth(['rm', 'later'])).code, 0);

  assert.equal((await d.berth(['run', '-d', '--name', 'sleeper', 'busybox', 'sleep', '300'])).code, 0);
  const pid1 = (await d.berth(['inspect', '-f', '{{.State.Pid}}', 'sleeper'])).stdout;
  assert.equal((await d.berth(['restart', '-t', '0', 'sleeper'])).code, 0);
  const pid2 = (await d.berth(['inspect', '-f', '{{.State.Pid}} {{.State.Status}}', 'sleeper'])).stdout;
  assert.notEqual(pid2.split(' ')[0], pid1.trim());
  assert.match(pid2, / running\n$/);
  const kill = await d.berth(['kill', '-s', 'KILL', 'sleeper']);
  assert.equal(kill.code, 0, kill.stderr);
  const code = await d.berth(['wait', 'sleeper']);
  assert.equal(code.stdout, '137\n');
  assert.equal((await d.berth(['rm', 'sleeper'])).code, 0);
  const unknown = await d.berth(['stop', 'nosuch']);
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /nosuch/);
});

test('help and usage errors', async () => {
  const help = await d.berth(['run', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /^Usage:  berth run \[OPTIONS\] IMAGE \[COMMAND\] \[ARG\.\.\.\]/);
  assert.match(help.stdout, /--memory bytes/);
  const top = await d.berth(['--help']);
  assert.match(top.stdout, /Commands:/);
  const unknown = await d.berth(['frobnicate']);
  assert.equal(unknown.code, 125);
  assert.match(unknown.stderr, /'frobnicate' is not a berth command/);
  const missingArg = await d.berth(['logs']);
  assert.equal(missingArg.code, 125);
  assert.match(missingArg.stderr, /requires at least 1 argument/);
});

async function waitFor(cond: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('OOM kill exits 137; SIGTERM to a foreground run is passed to the container', async () => {
  const oom = await d.berth(['run', '--rm', '--memory', '8m', '--memory-swap', '8m', 'busybox', 'sh', '-c', 'a=$(head -c 100000000 /dev/zero | tr "\\0" a); echo ${#a}']);
  assert.equal(oom.code, 137, oom.stderr);

  const child = spawn(process.execPath, [...NODE_ARGS, 'run', '--rm', 'busybox', 'sh', '-c', 'trap "echo got-term; exit 42" TERM; echo ready; while true; do sleep 0.1; done'], {
    env: { ...process.env, BERTH_HOST: d.host },
  });
  let out = '';
  child.stdout.on('data', (c) => {
    out += c;
    if (out.includes('ready')) child.kill('SIGTERM');
  });
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  assert.equal(out, 'ready\ngot-term\n');
  assert.equal(code, 42);
});

test('logs -f follows until the container stops; exec -d; -H picks the daemon', async () => {
  assert.equal((await d.berth(['run', '-d', '--name', 'counter', 'busybox', 'sh', '-c', 'for i in 1 2 3; do echo line$i; sleep 0.3; done'])).code, 0);
  const follow = await d.berth(['logs', '-f', '--tail', '2', 'counter'], { timeoutMs: 20_000 });
  assert.equal(follow.code, 0, follow.stderr);
  assert.match(follow.stdout, /line3\n$/);
  const tail = await d.berth(['logs', '--tail', '1', 'counter']);
  assert.equal(tail.stdout, 'line3\n');

  assert.equal((await d.berth(['run', '-d', '--name', 'bg', 'busybox', 'sleep', '300'])).code, 0);
  const detached = await d.berth(['exec', '-d', 'bg', 'sh', '-c', 'echo made > /tmp/marker']);
  assert.deepEqual([detached.code, detached.stdout], [0, '']);
  await new Promise((r) => setTimeout(r, 300));
  assert.equal((await d.berth(['exec', 'bg', 'cat', '/tmp/marker'])).stdout, 'made\n');

  const viaFlag = await runBerth('unix:///nonexistent.sock', ['-H', d.host, 'ps', '-q']);
  assert.equal(viaFlag.code, 0, viaFlag.stderr);
  const noDaemon = await runBerth('unix:///nonexistent.sock', ['ps']);
  assert.equal(noDaemon.code, 1);
  assert.match(noDaemon.stderr, /Cannot connect to the berth daemon at unix:\/\/\/nonexistent.sock/);
  assert.equal((await d.berth(['rm', '-f', 'bg', 'counter'])).code, 0);
});

test('--network none|host|bridge; unknown networks are refused clearly; --env-file', async () => {
  const none = await d.berth(['run', '--rm', '--network', 'none', 'busybox', 'sh', '-c', 'ls /sys/class/net']);
  assert.deepEqual([none.code, none.stdout], [0, 'lo\n']);
  const host = await d.berth(['run', '--rm', '--network', 'host', 'busybox', 'sh', '-c', 'ls /sys/class/net | wc -l']);
  assert.equal(host.code, 0, host.stderr);
  assert.ok(Number(host.stdout.trim()) >= 1);
  const bridge = await d.berth(['run', '--rm', '--network', 'bridge', 'busybox', 'sh', '-c', 'ls /sys/class/net']);
  assert.deepEqual([bridge.code, bridge.stdout], [0, 'eth0\nlo\n'], bridge.stderr);
  const unknown = await d.berth(['run', '--rm', '--network', 'no-such-net', 'busybox', 'true']);
  assert.equal(unknown.code, 125);
  assert.match(unknown.stderr, /network no-such-net not found/);
  const envFile = `${d.dir}/env.list`;
  (await import('node:fs')).writeFileSync(envFile, '# comment\nFROM_FILE=yes\n');
  const env = await d.berth(['run', '--rm', '--env-file', envFile, 'busybox', 'sh', '-c', 'echo $FROM_FILE']);
  assert.deepEqual([env.code, env.stdout], [0, 'yes\n']);
});
