/**
 * Restart policies, auto-remove, --init, resource limits (OOM, pids) and bad input, on crun with
 * real conmon and cgroups.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { isBerthError } from '../../src/base/errors.js';
import type { ContainerEvent, ContainerManager } from '../../src/engine/containers/index.js';
import { newEnv, openManager, sleep, until } from './helpers/fixtures.js';

/** Processes in the container's cgroup with their state letter, read from /proc. */
function processStates(id: string): Array<{ pid: number; state: string; name: string }> {
  const out: Array<{ pid: number; state: string; name: string }> = [];
  for (const p of fs.readdirSync('/proc').filter((x) => /^\d+$/.test(x))) {
    try {
      if (!fs.readFileSync(`/proc/${p}/cgroup`, 'utf8').includes(`/berth/${id}`)) continue;
      const st = fs.readFileSync(`/proc/${p}/status`, 'utf8');
      out.push({ pid: Number(p), state: /^State:\s+(\S)/m.exec(st)![1]!, name: /^Name:\s+(.*)$/m.exec(st)![1]! });
    } catch {
      /* exited while we looked */
    }
  }
  return out;
}

describe('restart policies, auto-remove, init and limits', () => {
  let m: ContainerManager;
  const events: ContainerEvent[] = [];
  before(async () => {
    m = await openManager(newEnv('policies'));
    m.events.on('event', (e: ContainerEvent) => events.push(e));
  });
  after(async () => {
    for (const c of m.list({ all: true })) await m.remove(c.id, { force: true }).catch(() => undefined);
    await m.close();
  });

  test('on-failure:2 restarts a failing container twice, then leaves it exited', async () => {
    const c = await m.create({ image: 'busybox', cmd: ['sh', '-c', 'exit 2'], restartPolicy: { name: 'on-failure', maximumRetryCount: 2 } });
    await m.start(c.id);
    await until('two restarts and a final exit', () => {
      const i = m.inspect(c.id);
      return i.restartCount === 2 && i.state.status === 'exited';
    });
    await sleep(800); // longer than the third backoff step: no further restart
    const info = m.inspect(c.id);
    assert.equal(info.restartCount, 2);
    assert.equal(info.state.status, 'exited');
    assert.equal(info.state.exitCode, 2);
    assert.equal(events.filter((e) => e.id === c.id && e.action === 'die').length, 3);
  });

  test('on-failure does not restart a clean exit; no never restarts', async () => {
    const a = await m.create({ image: 'busybox', cmd: ['true'], restartPolicy: { name: 'on-failure' } });
    const b = await m.create({ image: 'busybox', cmd: ['false'], restartPolicy: { name: 'no' } });
    await m.start(a.id);
    await m.start(b.id);
    await until('both exited', () => m.inspect(a.id).state.status === 'exited' && m.inspect(b.id).state.status === 'exited');
    await sleep(500);
    assert.equal(m.inspect(a.id).restartCount, 0);
    assert.equal(m.inspect(b.id).restartCount, 0);
    assert.equal(m.inspect(b.id).state.exitCode, 1);
  });

  test('always restarts even clean exits, with growing backoff, until stopped', async () => {
    const c = await m.create({ image: 'busybox', cmd: ['true'], restartPolicy: { name: 'always' } });
    await m.start(c.id);
    await until('three restarts', () => m.inspect(c.id).restartCount >= 3, 15_000);
    await m.stop(c.id, 1);
    const count = m.inspect(c.id).restartCount;
    await sleep(1000);
    assert.equal(m.inspect(c.id).restartCount, count, 'an explicit stop ends the restarts');
    assert.equal(m.inspect(c.id).state.status, 'exited');
  });

  test('autoRemove removes the container after it exits', async () => {
    const c = await m.create({ image: 'busybox', cmd: ['sh', '-c', 'exit 4'], autoRemove: true });
    const removed = m.wait(c.id, 'removed');
    await m.start(c.id);
    assert.equal((await removed).exitCode, 4);
    assert.throws(() => m.inspect(c.id), (e) => isBerthError(e, 'NotFound'));
    assert.ok(!m.list({ all: true }).some((x) => x.id === c.id));
    await assert.rejects(m.create({ image: 'busybox', cmd: ['true'], autoRemove: true, restartPolicy: { name: 'always' } }), (e) => isBerthError(e, 'InvalidArgument'));
  });

  test('without --init an orphan stays a zombie; with --init (catatonit) it is reaped', async () => {
    const cmd = ['sh', '-c', '(sleep 0.1 &) ; exec sleep 60'];
    const plain = await m.create({ image: 'busybox', cmd });
    const withInit = await m.create({ image: 'busybox', cmd, init: true });
    await m.start(plain.id);
    await m.start(withInit.id);
    await sleep(700);
    assert.ok(processStates(plain.id).some((p) => p.state === 'Z'), 'control: the orphan is a zombie without init');
    const procs = processStates(withInit.id);
    assert.ok(procs.length >= 2, JSON.stringify(procs));
    assert.ok(!procs.some((p) => p.state === 'Z'), `no zombie with init: ${JSON.stringify(procs)}`);
    await m.remove(plain.id, { force: true });
    await m.remove(withInit.id, { force: true });
  });

  test('--init forwards SIGTERM to the command', async () => {
    const c = await m.create({ image: 'busybox', init: true, cmd: ['sh', '-c', 'trap "exit 9" TERM; while :; do sleep 0.1; done'] });
    await m.start(c.id);
    await sleep(300);
    const t0 = Date.now();
    await m.stop(c.id, 5);
    assert.ok(Date.now() - t0 < 4000);
    assert.equal(m.inspect(c.id).state.exitCode, 9);
  });

  test('a memory hog over a 16 MiB limit is OOM-killed: exit 137, oomKilled', async () => {
    const c = await m.create({ image: 'busybox', cmd: ['sh', '-c', 'head -c 100m /dev/zero | tail'], memory: 16 << 20, memorySwap: 16 << 20 });
    await m.start(c.id);
    const { exitCode } = await m.wait(c.id);
    assert.equal(exitCode, 137);
    await until('exit recorded', () => m.inspect(c.id).state.status === 'exited');
    assert.equal(m.inspect(c.id).state.oomKilled, true);
    assert.ok(events.some((e) => e.id === c.id && e.action === 'oom'));
  });

  test('the pids limit caps the number of processes', async () => {
    const c = await m.create({ image: 'busybox', pidsLimit: 8, cmd: ['sh', '-c', 'for i in 1 2 3 4 5; do sleep 30 & done; exec sleep 30'] });
    await m.start(c.id);
    await until('six processes', async () => (await m.stats(c.id)).pids.current === 6);
    const ex = await m.execCreate(c.id, { cmd: ['sh', '-c', 'sleep 30 & sleep 30 & sleep 30 & wait'], attachStderr: true, attachStdout: true });
    const s = await m.execStart(ex.id);
    let err = '';
    for await (const chunk of s!.output as AsyncIterable<{ data: Buffer }>) err += chunk.data.toString();
    assert.match(err, /can't fork|Resource temporarily unavailable/);
    assert.notEqual(m.execInspect(ex.id).exitCode, 0);
    const st = await m.stats(c.id);
    assert.equal(st.pids.limit, 8);
    assert.ok(st.pids.current <= 8, `current ${st.pids.current}`);
    await m.remove(c.id, { force: true });
  });

  test('bad input gets clear errors and changes nothing', async () => {
    const before = m.list({ all: true }).length;
    await assert.rejects(m.create({ image: 'nope:1', cmd: ['true'] }), (e) => isBerthError(e, 'NotFound') && /nope:1/.test(e.message));
    await assert.rejects(m.create({ image: 'busybox', cmd: ['true'], name: 'bad name!' }), (e) => isBerthError(e, 'InvalidArgument'));
    await assert.rejects(m.create({ image: 'busybox', cmd: ['true'], restartPolicy: { name: 'sometimes' as never } }), (e) => isBerthError(e, 'InvalidArgument'));
    await assert.rejects(m.create({ image: 'busybox', cmd: ['true'], runtime: 'kata' as never }), (e) => isBerthError(e, 'InvalidArgument'));
    await assert.rejects(m.create({ image: 'busybox', cmd: ['true'], stopSignal: 'SIGWHAT' }), (e) => isBerthError(e, 'InvalidArgument'));
    await assert.rejects(m.create({ image: 'busybox', cmd: [], entrypoint: [] }), (e) => isBerthError(e, 'InvalidArgument'));
    await assert.rejects(m.create({ image: 'busybox', cmd: ['true'], memory: -5 }), (e) => isBerthError(e));
    assert.equal(m.list({ all: true }).length, before);
    assert.throws(() => m.inspect('doesnotexist'), (e) => isBerthError(e, 'NotFound') && e.message === 'container "doesnotexist" not found');
    await assert.rejects(m.start('doesnotexist'), (e) => isBerthError(e, 'NotFound'));
    await assert.rejects(m.wait('doesnotexist'), (e) => isBerthError(e, 'NotFound'));
    // a command that does not exist: start fails with a message, the container is left exited
    const c = await m.create({ image: 'busybox', cmd: ['/no/such/binary'] });
    await assert.rejects(m.start(c.id), (e) => isBerthError(e) && e.message.includes(c.name));
    assert.equal(m.inspect(c.id).state.status, 'exited');
    assert.equal(m.inspect(c.id).state.exitCode, 127);
    assert.notEqual(m.inspect(c.id).state.error, '');
    await m.remove(c.id);
  });

  test('a tty container: attached output, resize through conmon, logged as stdout', async () => {
    const c = await m.create({ image: 'busybox', tty: true, openStdin: true, cmd: ['sh', '-c', 'sleep 0.6; stty size; tty'] });
    const s = await m.attach(c.id, { stdin: true, stdout: true, stderr: true });
    assert.equal(s.tty, true);
    await m.start(c.id);
    await sleep(200);
    await m.resize(c.id, 40, 120);
    let out = '';
    for await (const chunk of s.output as AsyncIterable<{ stream: string; data: Buffer }>) {
      assert.equal(chunk.stream, 'stdout');
      out += chunk.data.toString();
    }
    assert.match(out, /40 120\r?\n/);
    assert.match(out, /\/dev\/pts\/\d+/);
    assert.deepEqual(await m.wait(c.id), { exitCode: 0 });
    await assert.rejects(m.resize(c.id, 1, 1), (e) => isBerthError(e, 'FailedPrecondition'));
  });

  test('rename changes the name, emits rename and refuses a taken name', async () => {
    const a = await m.create({ image: 'busybox', cmd: ['true'], name: 'first-name' });
    await m.create({ image: 'busybox', cmd: ['true'], name: 'taken-name' });
    await m.rename('first-name', 'second-name');
    assert.equal(m.inspect('second-name').id, a.id);
    assert.throws(() => m.inspect('first-name'), (e) => isBerthError(e, 'NotFound'));
    assert.ok(events.some((e) => e.id === a.id && e.action === 'rename' && e.attributes.oldName === '/first-name'));
    await assert.rejects(m.rename(a.id, 'taken-name'), (e) => isBerthError(e, 'AlreadyExists'));
    await assert.rejects(m.rename(a.id, '!'), (e) => isBerthError(e, 'InvalidArgument'));
  });
});
