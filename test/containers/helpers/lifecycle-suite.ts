/**
 * The core lifecycle suite, run once per OCI runtime (crun and runc): one shared function so both
 * runtimes are held to the same behaviour.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { isBerthError } from '../../../src/base/errors.js';
import type { ContainerEvent, ContainerManager, LogEntry } from '../../../src/engine/containers/index.js';
import { collect, newEnv, openManager, sleep, until } from './fixtures.js';

async function allLogs(m: ContainerManager, ref: string, opts: Parameters<ContainerManager['logs']>[1] = {}): Promise<LogEntry[]> {
  const out: LogEntry[] = [];
  for await (const e of m.logs(ref, opts)) out.push(e);
  return out;
}

const text = (entries: LogEntry[], stream?: 'stdout' | 'stderr') => entries.filter((e) => !stream || e.stream === stream).map((e) => e.data.toString()).join('');

export function lifecycleSuite(runtime: 'crun' | 'runc'): void {
  describe(`container lifecycle on ${runtime}`, () => {
    let m: ContainerManager;
    const events: ContainerEvent[] = [];
    before(async () => {
      m = await openManager(newEnv(`life-${runtime}`), runtime);
      m.events.on('event', (e: ContainerEvent) => events.push(e));
    });
    after(async () => {
      for (const c of m.list({ all: true })) await m.remove(c.id, { force: true }).catch(() => undefined);
      await m.close();
    });

    async function run(cmd: string[], extra: Record<string, unknown> = {}) {
      const c = await m.create({ image: 'busybox', cmd, runtime, ...extra });
      await m.start(c.id);
      return c;
    }

    test('a process exit code reaches wait, inspect and the die event', async () => {
      const c = await m.create({ image: 'busybox', cmd: ['sh', '-c', 'exit 3'], runtime });
      assert.equal(c.state.status, 'created');
      assert.equal(c.runtime, runtime);
      const waited = m.wait(c.id, 'next-exit');
      await m.start(c.id);
      assert.deepEqual(await waited, { exitCode: 3 });
      const info = m.inspect(c.name);
      assert.equal(info.state.status, 'exited');
      assert.equal(info.state.exitCode, 3);
      assert.equal(info.state.pid, 0);
      assert.notEqual(info.state.finishedAt, '0001-01-01T00:00:00Z');
      assert.deepEqual(await m.wait(c.id), { exitCode: 3 }, 'not-running resolves at once for an exited container');
      const die = events.find((e) => e.id === c.id && e.action === 'die');
      assert.equal(die?.attributes.exitCode, '3');
      assert.deepEqual(events.filter((e) => e.id === c.id).map((e) => e.action).slice(0, 3), ['create', 'start', 'die']);
    });

    test('logs keep stdout and stderr apart, with tail, since, until and timestamps', async () => {
      const c = await run(['sh', '-c', 'echo one; echo two >&2; echo three; printf partial']);
      await m.wait(c.id, 'not-running');
      await until('exit', () => m.inspect(c.id).state.status === 'exited');
      const entries = await allLogs(m, c.id);
      assert.equal(text(entries, 'stdout'), 'one\nthree\npartial');
      assert.equal(text(entries, 'stderr'), 'two\n');
      assert.equal(text(await allLogs(m, c.id, { stderr: false })), 'one\nthree\npartial');
      assert.equal(text(await allLogs(m, c.id, { tail: 1 })), 'partial');
      assert.equal(text(await allLogs(m, c.id, { tail: 0 })), '');
      for (const e of entries) assert.match(e.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/);
      const first = Date.parse(entries[0]!.time) / 1000;
      assert.equal((await allLogs(m, c.id, { since: first + 3600 })).length, 0);
      assert.equal((await allLogs(m, c.id, { since: first - 1 })).length, 4);
      assert.equal((await allLogs(m, c.id, { until: first - 1 })).length, 0);
      await assert.rejects(async () => allLogs(m, c.id, { tail: Number.NaN }), (e) => isBerthError(e, 'InvalidArgument'));
    });

    test('logs follow a running container and end when it stops', async () => {
      const c = await run(['sh', '-c', 'for i in 1 2 3; do echo line$i; sleep 0.3; done']);
      const seen: string[] = [];
      const started = Date.now();
      for await (const e of m.logs(c.id, { follow: true })) seen.push(e.data.toString().trim());
      assert.deepEqual(seen, ['line1', 'line2', 'line3']);
      assert.ok(Date.now() - started >= 500, 'follow waited for the later lines');
      assert.equal(m.inspect(c.id).state.status, 'exited');
    });

    test('stop: a process that traps TERM exits by itself', async () => {
      const c = await run(['sh', '-c', 'trap "echo got-term; exit 7" TERM; while :; do sleep 0.1; done']);
      await sleep(300);
      const t0 = Date.now();
      await m.stop(c.id, 5);
      assert.ok(Date.now() - t0 < 4000, `stopped in ${Date.now() - t0} ms`);
      const info = m.inspect(c.id);
      assert.equal(info.state.status, 'exited');
      assert.equal(info.state.exitCode, 7);
      assert.match(text(await allLogs(m, c.id)), /got-term/);
      assert.ok(events.some((e) => e.id === c.id && e.action === 'stop'));
    });

    test('stop: a process that ignores TERM is killed after the grace period', async () => {
      const c = await run(['sh', '-c', 'trap "" TERM; while :; do sleep 0.1; done']);
      await sleep(200);
      const t0 = Date.now();
      await m.stop(c.id, 1);
      const took = Date.now() - t0;
      assert.ok(took >= 900 && took < 5000, `took ${took} ms`);
      assert.equal(m.inspect(c.id).state.exitCode, 137);
      await m.stop(c.id, 1); // stopping a stopped container is a no-op
    });

    test('kill sends the named signal; kill of a stopped container fails', async () => {
      const c = await run(['sh', '-c', 'trap "echo usr1" USR1; while :; do sleep 0.1; done']);
      await sleep(300);
      await m.kill(c.id, 'USR1');
      await until('usr1 in logs', async () => text(await allLogs(m, c.id)).includes('usr1'));
      assert.equal(m.inspect(c.id).state.status, 'running');
      await m.kill(c.id, '9');
      assert.deepEqual(await m.wait(c.id), { exitCode: 137 });
      await assert.rejects(m.kill(c.id, 'KILL'), (e) => isBerthError(e, 'FailedPrecondition') && /not running/.test(e.message));
      await assert.rejects(m.kill(c.id, 'SIGNOPE'), (e) => isBerthError(e, 'InvalidArgument'));
    });

    test('pause freezes the processes and unpause thaws them', async () => {
      const c = await run(['sh', '-c', 'i=0; while :; do i=$((i+1)); echo $i > /tmp/counter; sleep 0.05; done']);
      const counter = path.join(c.rootfs, 'tmp/counter');
      const read = () => Number(fs.readFileSync(counter, 'utf8').trim() || 0);
      await until('counter', () => fs.existsSync(counter) && read() > 2);
      await m.pause(c.id);
      assert.equal(m.inspect(c.id).state.status, 'paused');
      assert.equal(m.inspect(c.id).state.paused, true);
      await sleep(100);
      const frozen = read();
      await sleep(500);
      assert.equal(read(), frozen, 'counter stopped while paused');
      await assert.rejects(m.pause(c.id), (e) => isBerthError(e, 'FailedPrecondition'));
      await m.unpause(c.id);
      await until('counter advancing', () => read() > frozen + 2);
      await m.pause(c.id);
      await m.stop(c.id, 1); // stopping a paused container works too
      assert.equal(m.inspect(c.id).state.status, 'exited');
    });

    test('exec returns the exit code and separated output', async () => {
      const c = await run(['sleep', '60']);
      const ex = await m.execCreate(c.id, { cmd: ['sh', '-c', 'echo out-$((40+2)); echo err >&2; exit 5'], attachStdout: true, attachStderr: true });
      assert.equal(ex.running, false);
      const s = await m.execStart(ex.id);
      assert.ok(s);
      assert.deepEqual(await collect(s.output), { stdout: 'out-42\n', stderr: 'err\n' });
      const info = m.execInspect(ex.id);
      assert.equal(info.exitCode, 5);
      assert.equal(info.running, false);
      await assert.rejects(m.execStart(ex.id), (e) => isBerthError(e, 'Conflict'));
      // detached exec: exit code still recorded
      const bg = await m.execCreate(c.id, { cmd: ['sh', '-c', 'touch /tmp/bg; exit 4'] });
      assert.equal(await m.execStart(bg.id, { detach: true }), null);
      await until('detached exec exit', () => m.execInspect(bg.id).exitCode === 4);
      assert.ok(fs.existsSync(path.join(c.rootfs, 'tmp/bg')));
      await assert.rejects(m.execCreate(c.id, { cmd: [] }), (e) => isBerthError(e, 'InvalidArgument'));
      const missing = await m.execCreate(c.id, { cmd: ['/no/such/tool'], attachStdout: true });
      await assert.rejects(m.execStart(missing.id), (e) => isBerthError(e, 'InvalidArgument') && /no\/such\/tool/.test(e.message));
      assert.equal(m.execInspect(missing.id).exitCode, 127);
      assert.throws(() => m.execInspect('nope'), (e) => isBerthError(e, 'NotFound'));
      await m.remove(c.id, { force: true });
    });

    test('attach with stdin: cat echoes what is written, then ends with stdin', async () => {
      const c = await m.create({ image: 'busybox', cmd: ['cat'], openStdin: true, stdinOnce: true, runtime });
      const s = await m.attach(c.id, { stdin: true, stdout: true, stderr: true });
      await m.start(c.id);
      const got = collect(s.output);
      s.stdin!.write('hello berth\n');
      await sleep(200);
      s.stdin!.end();
      assert.deepEqual(await got, { stdout: 'hello berth\n', stderr: '' });
      assert.deepEqual(await m.wait(c.id), { exitCode: 0 });
      assert.equal(text(await allLogs(m, c.id)), 'hello berth\n', 'attached output is logged too');
    });

    test('exec with a tty: a pseudo-terminal that can be resized', async () => {
      const c = await run(['sleep', '60']);
      const ex = await m.execCreate(c.id, { cmd: ['sh', '-c', 'tty; sleep 0.5; stty size'], tty: true, attachStdout: true });
      const s = await m.execStart(ex.id);
      assert.ok(s && s.tty);
      await sleep(150);
      await m.execResize(ex.id, 33, 101);
      const { stdout } = await collect(s.output);
      assert.match(stdout, /\/dev\/pts\/\d+\r?\n/);
      assert.match(stdout, /33 101/);
      assert.equal(m.execInspect(ex.id).exitCode, 0);
      await m.remove(c.id, { force: true });
    });

    test('inspect, top and stats of a running container; remove needs force', async () => {
      const c = await run(['sleep', '60'], { name: `top-${runtime}` });
      const info = m.inspect(`/top-${runtime}`);
      assert.ok(info.state.pid > 0);
      assert.match(info.namespaces.pid ?? '', /^pid:\[\d+\]$/);
      assert.equal(info.cgroupPath, `/berth/${c.id}`);
      assert.ok(info.mounts.some((mt) => mt.destination === '/etc/hosts'));
      assert.ok(info.ociSpec);
      // runc's start returns once its init was told to exec: for a moment ps may still show "runc init".
      let top = await m.top(c.id);
      for (let i = 0; i < 50 && !top.processes.some((p) => p[7] === 'sleep 60'); i++) {
        await new Promise((r) => setTimeout(r, 100));
        top = await m.top(c.id);
      }
      assert.deepEqual(top.titles, ['UID', 'PID', 'PPID', 'C', 'STIME', 'TTY', 'TIME', 'CMD']);
      assert.ok(top.processes.some((p) => p[7] === 'sleep 60' && p[1] === String(info.state.pid)), JSON.stringify(top.processes));
      const st = await m.stats(c.id);
      assert.ok(st.pids.current >= 1);
      assert.ok(st.memory.usage > 0);
      assert.ok(m.list().some((x) => x.id === c.id));
      await assert.rejects(m.remove(c.id), (e) => isBerthError(e, 'FailedPrecondition') && e.message.includes(`top-${runtime}`));
      await assert.rejects(m.create({ image: 'busybox', cmd: ['true'], name: `top-${runtime}` }), (e) => isBerthError(e, 'AlreadyExists'));
      const w = m.wait(c.id, 'removed');
      await m.remove(c.id, { force: true });
      assert.equal((await w).exitCode, 137);
      assert.throws(() => m.inspect(c.id), (e) => isBerthError(e, 'NotFound') && e.message === `container "${c.id}" not found`);
      assert.ok(events.some((e) => e.id === c.id && e.action === 'destroy'));
    });

    test('concurrent starts share one start', async () => {
      const c = await m.create({ image: 'busybox', cmd: ['sleep', '60'], runtime });
      await Promise.all([m.start(c.id), m.start(c.id), m.start(c.id)]);
      const info = m.inspect(c.id);
      assert.equal(info.state.status, 'running');
      assert.equal(events.filter((e) => e.id === c.id && e.action === 'start').length, 1);
      await m.remove(c.id, { force: true });
    });

    test('restart stops and starts again', async () => {
      const c = await run(['sh', '-c', 'echo started; trap "exit 0" TERM; while :; do sleep 0.1; done']);
      await until('first start logged', async () => text(await allLogs(m, c.id)) === 'started\n');
      const pid1 = m.inspect(c.id).state.pid;
      await m.restart(c.id, 2);
      const info = m.inspect(c.id);
      assert.equal(info.state.status, 'running');
      assert.notEqual(info.state.pid, pid1);
      await until('second start logged', async () => text(await allLogs(m, c.id)) === 'started\nstarted\n');
      assert.ok(events.some((e) => e.id === c.id && e.action === 'restart'));
      await m.remove(c.id, { force: true });
    });
  });
}
