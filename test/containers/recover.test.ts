/**
 * The crash test: a manager killed with SIGKILL leaves its containers running under conmon; a new
 * manager on the same dirs finds them: the running one is still supervised (stop, exec, logs work),
 * the one that exited meanwhile shows its exit code from conmon's exit file.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import type { ContainerManager } from '../../src/engine/containers/index.js';
import { collect, newEnv, openManager, sleep } from './helpers/fixtures.js';

const here = path.dirname(fileURLToPath(import.meta.url));

function runManagerA(env: ReturnType<typeof newEnv>, runtime: string): Promise<{ ids: { long: string; short: string }; kill: () => Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'helpers/crash-manager.ts'), env.root, env.runRoot, env.snapDir, runtime], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let buf = '';
    child.on('exit', (code, sig) => reject(new Error(`manager A exited early (${code ?? sig})`)));
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      const nl = buf.indexOf('\n');
      if (nl < 0) return;
      child.removeAllListeners('exit');
      const ids = JSON.parse(buf.slice(0, nl)) as { long: string; short: string };
      resolve({
        ids,
        kill: () => new Promise((done) => {
          child.on('exit', () => done());
          child.kill('SIGKILL');
        }),
      });
    });
  });
}

async function logText(m: ContainerManager, ref: string): Promise<string> {
  let s = '';
  for await (const e of m.logs(ref, {})) s += e.data.toString();
  return s;
}

test('containers survive a SIGKILLed manager and are adopted by the next one', async () => {
  const env = newEnv('crash');
  const a = await runManagerA(env, 'crun');
  await a.kill();
  await sleep(3000);

  const b = await openManager(env, 'crun');
  try {
    await b.recover();
    const long = b.inspect('survivor');
    assert.equal(long.id, a.ids.long);
    assert.equal(long.state.status, 'running');
    assert.ok(long.state.pid > 0);
    const short = b.inspect('quitter');
    assert.equal(short.state.status, 'exited');
    assert.equal(short.state.exitCode, 6);
    assert.equal(await logText(b, 'quitter'), 'bye\n');
    assert.equal(await logText(b, 'survivor'), 'alive\n');

    const ex = await b.execCreate('survivor', { cmd: ['sh', '-c', 'echo from-exec; exit 3'], attachStdout: true, attachStderr: true });
    const s = await b.execStart(ex.id);
    assert.equal((await collect(s!.output)).stdout, 'from-exec\n');
    assert.equal(b.execInspect(ex.id).exitCode, 3);

    await b.stop('survivor', 5);
    const stopped = b.inspect('survivor');
    assert.equal(stopped.state.status, 'exited');
    assert.equal(stopped.state.exitCode, 0);
    assert.equal(await logText(b, 'survivor'), 'alive\nterm\n');

    assert.equal(b.inspect('frozen').state.status, 'paused');
    await assert.rejects(b.execCreate('frozen', { cmd: ['true'] }), /paused/);
    await b.unpause('frozen');
    assert.equal(b.inspect('frozen').state.status, 'running');
    await b.remove('frozen', { force: true });

    await b.remove('survivor');
    await b.remove('quitter');
    assert.equal(b.list({ all: true }).length, 0);
  } finally {
    for (const c of b.list({ all: true })) await b.remove(c.id, { force: true }).catch(() => undefined);
    await b.close();
  }
});

test('a container that exits while no manager runs is recorded on recovery, then supervised again', async () => {
  const env = newEnv('crash2');
  const a = await runManagerA(env, 'runc');
  await a.kill();
  // What a daemon dying inside create() leaves: a container dir without a record.
  const unfinished = path.join(env.root, 'f'.repeat(64));
  fs.mkdirSync(path.join(unfinished, 'bundle'), { recursive: true });
  const b = await openManager(env, 'runc');
  try {
    await b.recover();
    assert.equal(fs.existsSync(unfinished), false, 'the unfinished container dir is cleaned up');
    // Still running at recovery; it exits later, under manager B's watch.
    assert.equal(b.inspect('quitter').state.status, 'running');
    assert.deepEqual(await b.wait('quitter'), { exitCode: 6 });
    assert.equal(b.inspect('survivor').state.status, 'running');
    await b.remove('survivor', { force: true });
  } finally {
    for (const c of b.list({ all: true })) await b.remove(c.id, { force: true }).catch(() => undefined);
    await b.close();
  }
});
