/**
 * A container's environment, built like Docker's CreateDaemonEnvironment: PATH (default),
 * HOSTNAME and TERM=xterm (with a tty) first, then the image's Env, then the user's env; a later
 * KEY=VALUE replaces an earlier KEY, and a bare KEY (no "=") removes it.
 */
import { invalidArgument } from '../../../base/errors.js';

export const DefaultPathEnv = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

const keyOf = (entry: string): string => {
  const i = entry.indexOf('=');
  return i < 0 ? entry : entry.slice(0, i);
};

export function validateEnv(entries: readonly string[]): void {
  for (const e of entries) {
    if (typeof e !== 'string' || keyOf(e) === '' || e.includes('\0')) throw invalidArgument(`invalid environment variable: ${JSON.stringify(e)}`);
  }
}

/** moby's ReplaceOrAppendEnvValues. */
export function replaceOrAppendEnv(defaults: readonly string[], overrides: readonly string[]): string[] {
  const out = [...defaults];
  for (const o of overrides) {
    const key = keyOf(o);
    const at = out.findIndex((d) => keyOf(d) === key);
    if (!o.includes('=')) {
      if (at >= 0) out.splice(at, 1);
      continue;
    }
    if (at >= 0) out[at] = o;
    else out.push(o);
  }
  return out;
}

export function containerEnv(input: { imageEnv?: readonly string[]; env?: readonly string[]; hostname: string; tty: boolean }): string[] {
  const imageEnv = input.imageEnv ?? [];
  const env = input.env ?? [];
  validateEnv(env);
  const base = [DefaultPathEnv, `HOSTNAME=${input.hostname}`];
  if (input.tty) base.push('TERM=xterm');
  return replaceOrAppendEnv(replaceOrAppendEnv(base, imageEnv.filter((e) => keyOf(e) !== '')), env);
}
