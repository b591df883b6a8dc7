/**
 * The process of an exec (`crun exec --process`, conmon --exec-process-spec): it joins the
 * container, so it inherits the container's environment, cwd, user, capabilities, rlimits and
 * no-new-privileges unless the exec options say otherwise (moby daemon/exec_linux.go).
 */
import path from 'node:path';
import { invalidArgument } from '../../../base/errors.js';
import type { OciProcess, OciSpec } from '../../../api/oci/runtime-spec.js';
import type { ExecOptions } from '../../containers/types.js';
import { capabilitySets } from './build.js';
import { replaceOrAppendEnv, validateEnv } from './env.js';
import { hostFacts } from './host-facts.js';
import { resolveUser } from './user.js';

/**
 * `allCapabilities` is what a privileged exec gets (Docker: every capability; berth: every one
 * the daemon holds, see capabilities.ts); defaults to this machine's.
 */
export function buildExecProcess(spec: OciSpec, exec: ExecOptions, rootfs: string, allCapabilities?: readonly string[]): OciProcess {
  if (!Array.isArray(exec.cmd) || exec.cmd.length === 0) throw invalidArgument('no exec command specified');
  for (const a of exec.cmd) if (typeof a !== 'string' || a.includes('\0')) throw invalidArgument(`invalid exec argument ${JSON.stringify(a)}`);
  validateEnv(exec.env ?? []);
  const base = spec.process;
  let env = replaceOrAppendEnv(base.env, exec.env ?? []);
  if (exec.tty && !env.some((e) => e.startsWith('TERM='))) env = [...env, 'TERM=xterm'];
  const cwd = exec.workingDir || base.cwd;
  if (!cwd.startsWith('/')) throw invalidArgument(`the working directory '${cwd}' is invalid, it needs to be an absolute path`);
  const user = exec.user ? resolveUser(rootfs, exec.user) : { uid: base.user.uid, gid: base.user.gid, additionalGids: base.user.additionalGids ?? [] };
  const caps = spec.process.capabilities?.bounding ?? [];
  const all = exec.privileged ? [...(allCapabilities ?? hostFacts().capabilities)] : [];
  const proc: OciProcess = {
    terminal: exec.tty === true,
    // The client's terminal size from the start (docker exec -it sends it at create).
    ...(exec.tty && exec.consoleSize ? { consoleSize: { height: exec.consoleSize[0], width: exec.consoleSize[1] } } : {}),
    user: { uid: user.uid, gid: user.gid, ...(user.additionalGids.length > 0 ? { additionalGids: user.additionalGids } : {}) },
    args: [...exec.cmd],
    env,
    cwd: path.posix.normalize(cwd),
    capabilities: exec.privileged ? { bounding: all, effective: [...all], permitted: [...all] } : capabilitySets(caps, user.uid),
    noNewPrivileges: base.noNewPrivileges === true,
  };
  if (base.rlimits) proc.rlimits = base.rlimits.map((r) => ({ ...r }));
  if (base.apparmorProfile) proc.apparmorProfile = base.apparmorProfile;
  return proc;
}
