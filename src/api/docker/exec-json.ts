/** Exec records → Docker's `POST /containers/{id}/exec` body parsing and `GET /exec/{id}/json`. */
import { invalidArgument } from '../../base/errors.js';
import type { ExecView } from './domain.js';
import { asObject, optBool, optCommand, optConsoleSize, optString, optStringArray } from './validate.js';

export interface ExecSpec { cmd: string[]; env?: string[]; workingDir?: string; user?: string; tty?: boolean; consoleSize?: [number, number]; attachStdin?: boolean; attachStdout?: boolean; attachStderr?: boolean; privileged?: boolean }

export function parseExecRequest(body: unknown): ExecSpec {
  const o = asObject(body, 'request body');
  const cmd = optCommand(o.Cmd, 'Cmd');
  if (!cmd || cmd.length === 0) throw invalidArgument('no exec command specified');
  const spec: ExecSpec = { cmd };
  const env = optStringArray(o.Env, 'Env');
  if (env) spec.env = env;
  const wd = optString(o.WorkingDir, 'WorkingDir');
  if (wd) {
    if (!wd.startsWith('/')) throw invalidArgument(`working directory "${wd}" is not an absolute path`);
    spec.workingDir = wd;
  }
  const user = optString(o.User, 'User');
  if (user) spec.user = user;
  spec.tty = optBool(o.Tty, 'Tty') ?? false;
  const size = optConsoleSize(o.ConsoleSize, 'ConsoleSize');
  if (size && spec.tty) spec.consoleSize = size;
  spec.attachStdin = optBool(o.AttachStdin, 'AttachStdin') ?? false;
  spec.attachStdout = optBool(o.AttachStdout, 'AttachStdout') ?? false;
  spec.attachStderr = optBool(o.AttachStderr, 'AttachStderr') ?? false;
  spec.privileged = optBool(o.Privileged, 'Privileged') ?? false;
  return spec;
}

export function execInspectJson(e: ExecView): Record<string, unknown> {
  return {
    ID: e.id,
    ContainerID: e.containerId,
    Running: e.running,
    ExitCode: e.exitCode,
    Pid: e.pid,
    ProcessConfig: { entrypoint: e.options.cmd[0], arguments: e.options.cmd.slice(1), tty: e.options.tty ?? false, privileged: e.options.privileged ?? false, user: e.options.user ?? '' },
    OpenStdin: e.options.attachStdin ?? false,
    OpenStdout: e.options.attachStdout ?? false,
    OpenStderr: e.options.attachStderr ?? false,
    CanRemove: !e.running,
    DetachKeys: '',
  };
}
