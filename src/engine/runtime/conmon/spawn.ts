/**
 * Starts conmon (2.1.x, `--api-version 1`) for a container's `runtime create` or for an exec.
 * conmon double-forks, calls setsid and reopens its stdio on /dev/null, so the daemon can die
 * (even with kill -9) and the container keeps its monitor, its logs and its exit file.
 * We spawn it detached with only the sync/start/attach pipes attached; those pipes carry
 * conmon's JSON messages: `{"data": <pid>}` after the runtime created the process (or
 * `{"data": -1, "message": …}` on failure), and for an exec a second `{"data": <exit code>}`.
 */
import type { Readable, Writable } from 'node:stream';
import { BerthError } from '../../../base/errors.js';
import { spawnProcess, type Stdio } from '../../../base/process.js';
import type { OciRuntime } from '../oci-runtime/index.js';

export interface ConmonCommon {
  runtime: OciRuntime;
  containerId: string;
  /** Short unique id conmon uses for the attach-socket symlink; we pass --full-attach, so only a label. */
  cuuid: string;
  name: string;
  /** Where conmon puts attach socket, ctl and winsz fifos (the bundle for create, the exec dir for exec). */
  bundle: string;
  pidFile: string;
  exitDir: string;
  /** k8s-file log path, or null for no log (attached exec). */
  logPath: string | null;
  persistDir?: string;
  tty: boolean;
  stdin: boolean;
  leaveStdinOpen?: boolean;
  logLevel?: string;
}

const CONMON = '/usr/bin/conmon';

function baseArgs(o: ConmonCommon): string[] {
  const args = ['--api-version', '1', '-c', o.containerId, '-u', o.cuuid, '-n', o.name, '-r', o.runtime.binary,
    '-b', o.bundle, '-p', o.pidFile, '--exit-dir', o.exitDir, '--full-attach', '--log-level', o.logLevel ?? 'error'];
  for (const a of o.runtime.globalArgs()) args.push('--runtime-arg', a);
  args.push('-l', o.logPath ? `k8s-file:${o.logPath}` : 'none');
  if (o.persistDir) args.push('-0', o.persistDir);
  if (o.tty) args.push('-t');
  if (o.stdin) args.push('-i');
  if (o.stdin && o.leaveStdinOpen) args.push('--leave-stdin-open');
  return args;
}

/** Reads newline-separated JSON messages from one of conmon's pipes. */
class MessageReader {
  private buf = '';
  private queue: Array<{ data: number; message?: string }> = [];
  private waiters: Array<{ resolve: (m: { data: number; message?: string }) => void; reject: (e: Error) => void }> = [];
  private ended = false;

  constructor(private readonly stream: Readable, private readonly what: string) {
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      this.buf += chunk;
      let nl: number;
      while ((nl = this.buf.indexOf('\n')) >= 0) {
        const line = this.buf.slice(0, nl).trim();
        this.buf = this.buf.slice(nl + 1);
        if (!line) continue;
        try {
          this.push(JSON.parse(line) as { data: number; message?: string });
        } catch {
          this.push({ data: -1, message: `unparsable conmon message: ${line}` });
        }
      }
    });
    const end = () => {
      this.ended = true;
      for (const w of this.waiters.splice(0)) w.reject(new BerthError('Internal', `conmon closed its ${this.what} pipe early`));
    };
    stream.on('end', end);
    stream.on('close', end);
    stream.on('error', end);
  }

  private push(m: { data: number; message?: string }) {
    const w = this.waiters.shift();
    if (w) w.resolve(m);
    else this.queue.push(m);
  }

  next(): Promise<{ data: number; message?: string }> {
    const m = this.queue.shift();
    if (m) return Promise.resolve(m);
    if (this.ended) return Promise.reject(new BerthError('Internal', `conmon closed its ${this.what} pipe early`));
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  close() {
    this.stream.destroy();
  }
}

function launch(args: string[], pipes: number, cwd: string): { sync: MessageReader; extra: Array<Readable & Writable>; exited: Promise<number> } {
  const env: NodeJS.ProcessEnv = { ...process.env, _OCI_SYNCPIPE: '3' };
  if (pipes >= 2) env._OCI_STARTPIPE = '4';
  if (pipes >= 3) env._OCI_ATTACHPIPE = '5';
  const stdio: Stdio[] = ['ignore', 'ignore', 'ignore'];
  for (let i = 0; i < pipes; i++) stdio.push('pipe');
  // detached: own session and process group, so signals aimed at the daemon's group miss it.
  // cwd: conmon (cgroup v1) drops an "oom" marker file in its working directory.
  let child: ReturnType<typeof spawnProcess>;
  try {
    child = spawnProcess(CONMON, args, { stdio, env, detached: true, cwd });
  } catch (err) {
    throw new BerthError('Internal', `cannot run ${CONMON}: ${(err as Error).message}`, { cause: err });
  }
  const exited = child.exited.then((e) => e.code ?? -1);
  const sync = new MessageReader(child.stdio[3] as Readable, 'sync');
  const extra = child.stdio.slice(4, 3 + pipes) as Array<Readable & Writable>;
  return { sync, extra, exited };
}

async function firstPid(sync: MessageReader, exited: Promise<number>, what: string): Promise<number> {
  const first = await sync.next().catch(async (err: Error) => {
    const code = await exited;
    throw new BerthError('Internal', `${what}: conmon exited with ${code} before reporting a pid (${err.message})`);
  });
  if (first.data < 0) throw new BerthError('Internal', `${what}: ${(first.message ?? 'runtime failed').trim()}`);
  return first.data;
}

/** `runtime create` under conmon. Resolves with the container's init pid once it is created (not started). */
export async function conmonCreate(o: ConmonCommon): Promise<{ pid: number }> {
  const { sync, exited } = launch(baseArgs(o), 1, o.persistDir ?? o.bundle);
  try {
    return { pid: await firstPid(sync, exited, `create container "${o.name}"`) };
  } finally {
    sync.close();
  }
}

export interface ConmonExec {
  pid: number;
  /** Resolves with the exec's exit code (128+n when killed by signal n). */
  exitCode: Promise<number>;
}

/**
 * `runtime exec` under conmon. With `beforeStart`, conmon is run with --exec-attach: it creates the
 * attach socket and waits; we call beforeStart (which connects to the socket) and only then let the
 * process start, so no output is lost.
 */
export async function conmonExec(o: ConmonCommon, processSpecPath: string, beforeStart?: () => Promise<void>): Promise<ConmonExec> {
  const args = [...baseArgs(o), '--exec', '--exec-process-spec', processSpecPath];
  if (beforeStart) args.push('--exec-attach');
  const { sync, extra, exited } = launch(args, beforeStart ? 3 : 1, o.persistDir ?? o.bundle);
  const what = `exec in container "${o.name}"`;
  try {
    if (beforeStart) {
      const [start, attachPipe] = extra as unknown as [Writable, Readable];
      const attachReady = new MessageReader(attachPipe, 'attach');
      start.write('0'); // conmon blocks on a first start-pipe write before forking
      await attachReady.next();
      await beforeStart();
      start.end('1'); // the runtime child waits for this one before `runtime exec`
      attachReady.close();
    }
    const pid = await firstPid(sync, exited, what);
    const exitCode = sync.next().then(
      (m) => m.data,
      () => -1,
    ).finally(() => sync.close());
    return { pid, exitCode };
  } catch (err) {
    sync.close();
    for (const s of extra) s.destroy();
    throw err;
  }
}
