/**
 * `docker commit --change`: the Dockerfile instructions Docker accepts there (CMD, ENTRYPOINT,
 * ENV, EXPOSE, LABEL, ONBUILD is refused, USER, VOLUME, WORKDIR, STOPSIGNAL) applied to an image
 * config, in the exec (JSON array) or shell form as a Dockerfile would read them.
 */
import { invalidArgument } from '../../base/errors.js';
import type { ImageConfig } from '../oci/types.js';

export type RunConfig = NonNullable<ImageConfig['config']>;

const ALLOWED = ['CMD', 'ENTRYPOINT', 'ENV', 'EXPOSE', 'LABEL', 'USER', 'VOLUME', 'WORKDIR', 'STOPSIGNAL'];

/** A JSON array of strings, or the shell form wrapped in /bin/sh -c. */
function commandOf(rest: string): string[] {
  if (rest.startsWith('[')) {
    try {
      const v: unknown = JSON.parse(rest);
      if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
    } catch {
      // Not JSON after all: Docker then takes it as the shell form.
    }
  }
  return ['/bin/sh', '-c', rest];
}

function unquote(s: string): string {
  return s.length >= 2 && ((s.startsWith('"') && s.endsWith('"')) || (s.startsWith("'") && s.endsWith("'"))) ? s.slice(1, -1) : s;
}

/** `K=V K2="v 2"` pairs, or the legacy `K V with spaces` form. */
function pairsOf(instr: string, rest: string): Array<[string, string]> {
  const words = rest.match(/(?:[^\s"']+|"[^"]*"|'[^']*')+/g) ?? [];
  if (words.length > 0 && !words[0]!.includes('=')) {
    const sp = rest.search(/\s/);
    if (sp < 0) throw invalidArgument(`${instr} requires a value: "${instr} ${rest}"`);
    return [[rest.slice(0, sp), rest.slice(sp).trim()]];
  }
  return words.map((w) => {
    const eq = w.indexOf('=');
    if (eq <= 0) throw invalidArgument(`${instr} names must be followed by "=value": "${w}"`);
    return [w.slice(0, eq), unquote(w.slice(eq + 1))];
  });
}

export function applyChanges(base: RunConfig, changes: string[]): RunConfig {
  const c: RunConfig = { ...base, Env: [...(base.Env ?? [])], Labels: { ...(base.Labels ?? {}) }, ExposedPorts: { ...(base.ExposedPorts ?? {}) }, Volumes: { ...(base.Volumes ?? {}) } };
  for (const raw of changes) {
    const line = raw.trim();
    if (line === '') continue;
    const m = /^(\S+)\s*(.*)$/s.exec(line)!;
    const instr = m[1]!.toUpperCase();
    const rest = m[2]!.trim();
    if (!ALLOWED.includes(instr)) throw invalidArgument(`${instr} is not a valid change command`);
    if (rest === '' && instr !== 'CMD' && instr !== 'ENTRYPOINT') throw invalidArgument(`${instr} requires at least one argument`);
    switch (instr) {
      case 'CMD':
        c.Cmd = commandOf(rest);
        break;
      case 'ENTRYPOINT':
        c.Entrypoint = rest === '' ? null : commandOf(rest);
        // As in a Dockerfile, a new ENTRYPOINT resets an inherited CMD.
        if (!changes.some((x) => /^\s*cmd\b/i.test(x))) c.Cmd = null;
        break;
      case 'ENV':
        for (const [k, v] of pairsOf(instr, rest)) c.Env = [...c.Env!.filter((e) => !e.startsWith(`${k}=`)), `${k}=${v}`];
        break;
      case 'LABEL':
        for (const [k, v] of pairsOf(instr, rest)) c.Labels![unquote(k)] = v;
        break;
      case 'EXPOSE':
        for (const p of rest.split(/\s+/)) {
          if (!/^\d{1,5}(-\d{1,5})?(\/(tcp|udp|sctp))?$/i.test(p)) throw invalidArgument(`invalid EXPOSE port "${p}"`);
          c.ExposedPorts![p.includes('/') ? p.toLowerCase() : `${p}/tcp`] = {};
        }
        break;
      case 'VOLUME': {
        const list = rest.startsWith('[') ? commandOf(rest) : rest.split(/\s+/);
        if (list[0] === '/bin/sh' && rest.startsWith('[')) throw invalidArgument(`invalid VOLUME list ${rest}`);
        for (const v of list) c.Volumes![v] = {};
        break;
      }
      case 'USER':
        c.User = rest;
        break;
      case 'WORKDIR':
        c.WorkingDir = rest.startsWith('/') ? rest : `${c.WorkingDir ?? '/'}/${rest}`.replace(/\/+/g, '/');
        break;
      case 'STOPSIGNAL':
        c.StopSignal = rest;
        break;
    }
  }
  return c;
}
