/**
 * Exec sessions: processes started inside a running container with `runtime exec` under conmon
 * (`--exec --exec-process-spec`). conmon reports the exec's pid and then its exit code on the sync
 * pipe, which makes the exit code reliable; attached sessions use conmon's attach socket, connected
 * before the process starts (--exec-attach) so no output is lost. Sessions live in memory only:
 * like Docker, execs do not survive a daemon restart.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { failedPrecondition, invalidArgument, notFound, conflict } from '../../base/errors.js';
import { conmonExec, connectAttach, resizeTerminal } from '../runtime/index.js';
import type { AttachConnection, OciRuntime, RuntimeName } from '../runtime/index.js';
import type { RuntimeKit, OciSpecShape } from './kit.js';
import { newId } from './names.js';
import type { AttachSession, ContainerInfo, ExecInfo, ExecOptions } from './types.js';

interface Session {
  info: ExecInfo;
  dir: string;
  started: boolean;
}

export interface ExecDeps {
  runRoot: string;
  kit: RuntimeKit;
  runtimeFor(name: RuntimeName): OciRuntime;
  emit(action: string, containerId: string, attrs: Record<string, string>): void;
  log(msg: string): void;
}

export class ExecSessions {
  private readonly sessions = new Map<string, Session>();

  constructor(private readonly d: ExecDeps) {}

  create(container: ContainerInfo, opts: ExecOptions): ExecInfo {
    if (!opts || !Array.isArray(opts.cmd) || opts.cmd.length === 0 || opts.cmd.some((a) => typeof a !== 'string')) {
      throw invalidArgument(`exec in container "${container.name}": cmd must be a non-empty list of strings`);
    }
    const id = newId();
    const info: ExecInfo = { id, containerId: container.id, running: false, exitCode: null, pid: 0, options: { ...opts } };
    this.sessions.set(id, { info, dir: path.join(this.d.runRoot, 'exec', id.slice(0, 16)), started: false });
    this.d.emit(`exec_create: ${opts.cmd.join(' ')}`, container.id, { execID: id });
    return { ...info };
  }

  private get(execId: string): Session {
    const s = this.sessions.get(execId);
    if (!s) throw notFound(`exec instance "${execId}" not found`);
    return s;
  }

  containerOf(execId: string): string {
    return this.get(execId).info.containerId;
  }

  inspect(execId: string): ExecInfo {
    const s = this.get(execId);
    return { ...s.info, options: { ...s.info.options } };
  }

  resize(execId: string, rows: number, cols: number): void {
    const s = this.get(execId);
    if (!s.info.options.tty) throw failedPrecondition(`exec instance "${execId}" has no terminal`);
    if (!s.info.running) throw failedPrecondition(`exec instance "${execId}" is not running`);
    resizeTerminal(s.dir, rows, cols);
  }

  async start(execId: string, container: ContainerInfo, opts: { detach?: boolean }): Promise<AttachSession | null> {
    const s = this.get(execId);
    if (s.started) throw conflict(`exec instance "${execId}" has already been started`);
    s.started = true;
    const o = s.info.options;
    fs.mkdirSync(s.dir, { recursive: true });
    const processSpec = await this.d.kit.buildExecProcess(container.ociSpec as OciSpecShape, o, container.rootfs);
    const specPath = path.join(s.dir, 'process.json');
    fs.writeFileSync(specPath, this.d.kit.processToJson(processSpec));
    const detach = !!opts.detach;
    const withStdin = !detach && !!o.attachStdin;
    let conn: AttachConnection | null = null;
    const common = {
      runtime: this.d.runtimeFor(container.runtime), containerId: container.id, cuuid: execId.slice(0, 12), name: container.name,
      bundle: s.dir, pidFile: path.join(s.dir, 'pid'), exitDir: path.join(s.dir, 'exit'),
      logPath: detach ? path.join(s.dir, 'output.log') : null, tty: !!o.tty, stdin: withStdin,
    };
    fs.mkdirSync(common.exitDir, { recursive: true });
    let exec;
    try {
      exec = await conmonExec(common, specPath, detach ? undefined : async () => {
        conn = connectAttach(s.dir, { stdout: o.attachStdout ?? true, stderr: o.attachStderr ?? true });
      });
    } catch (err) {
      (conn as AttachConnection | null)?.close();
      fs.rm(s.dir, { recursive: true, force: true }, () => undefined);
      const msg = (err as Error).message;
      // Docker's codes for a command that cannot be run: 127 not found, 126 not executable.
      const code = /not found|no such file/i.test(msg) ? 127 : /permission denied|operation not permitted|is a directory/i.test(msg) ? 126 : null;
      if (code === null) throw err;
      s.info.exitCode = code;
      this.d.emit('exec_die', container.id, { execID: execId, exitCode: String(code) });
      throw invalidArgument(msg);
    }
    s.info.pid = exec.pid;
    s.info.running = true;
    this.d.emit(`exec_start: ${o.cmd.join(' ')}`, container.id, { execID: execId });
    exec.exitCode.then((code) => {
      s.info.running = false;
      s.info.exitCode = code;
      s.info.pid = 0;
      this.d.emit('exec_die', container.id, { execID: execId, exitCode: String(code) });
      fs.rm(s.dir, { recursive: true, force: true }, () => undefined);
    }).catch((err: unknown) => this.d.log(`exec ${execId.slice(0, 12)}: ${String(err)}`));
    if (detach || !conn) return null;
    const c = conn as AttachConnection;
    // Output ends when conmon closed the socket AND the exit code is known, so a client that reads
    // to the end and then inspects the exec always sees its exit code.
    const output = new PassThrough({ objectMode: true });
    c.output.on('data', (chunk) => output.write(chunk));
    c.output.on('end', () => {
      exec.exitCode.finally(() => output.end());
    });
    if (!withStdin) c.stdin.destroy();
    return {
      tty: !!o.tty,
      output,
      stdin: withStdin ? c.stdin : null,
      resize: async (rows, cols) => resizeTerminal(s.dir, rows, cols),
      close: () => c.close(),
    };
  }

  /** The container's processes are gone: its exec sessions are over. */
  containerStopped(containerId: string): void {
    for (const [id, s] of this.sessions) {
      if (s.info.containerId !== containerId) continue;
      if (!s.info.running) this.sessions.delete(id);
    }
  }

  close(): void {
    this.sessions.clear();
  }
}
