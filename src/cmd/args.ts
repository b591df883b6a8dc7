/**
 * A small docker-style flag parser (no dependencies, so the CLI starts fast): long `--name value`
 * and `--name=value`, short `-e value`, `-eVALUE`, bundled booleans `-it`, `--` to end flags, and
 * for commands like `run` parsing stops at the first positional (the image) so the container's own
 * arguments pass through untouched.
 */
export type FlagType = 'bool' | 'string' | 'list' | 'int';

export interface FlagSpec {
  name: string; // long name without dashes
  short?: string; // one letter
  type: FlagType;
  help: string;
  value?: string; // placeholder in --help, e.g. "string", "list"
  default?: string | number | boolean;
}

export interface CommandSpec {
  name: string; // "run", "image ls"
  usage: string; // "[OPTIONS] IMAGE [COMMAND] [ARG...]"
  summary: string;
  flags: FlagSpec[];
  /** Stop parsing flags at the first positional argument (run, create, exec). */
  stopAtFirstArg?: boolean;
  minArgs?: number;
  maxArgs?: number;
  aliases?: string[];
}

export type FlagValues = Record<string, string | number | boolean | string[] | undefined>;

export class UsageError extends Error {
  constructor(message: string, readonly command: string) {
    super(message);
  }
}

export interface Parsed { flags: FlagValues; args: string[]; help: boolean }

export function parseArgs(spec: CommandSpec, argv: string[]): Parsed {
  const flags: FlagValues = {};
  for (const f of spec.flags) if (f.type === 'list') flags[f.name] = [];
  const args: string[] = [];
  const byLong = new Map(spec.flags.map((f) => [f.name, f]));
  const byShort = new Map(spec.flags.filter((f) => f.short).map((f) => [f.short!, f]));
  let help = false;
  const set = (f: FlagSpec, raw: string | undefined, shown: string): void => {
    if (f.type === 'bool') {
      if (raw === undefined || raw === 'true' || raw === '1') flags[f.name] = true;
      else if (raw === 'false' || raw === '0') flags[f.name] = false;
      else throw new UsageError(`invalid argument "${raw}" for "${shown}" flag: expected true or false`, spec.name);
      return;
    }
    if (raw === undefined) throw new UsageError(`flag needs an argument: ${shown}`, spec.name);
    if (f.type === 'int') {
      if (!/^-?\d+$/.test(raw)) throw new UsageError(`invalid argument "${raw}" for "${shown}" flag: not an integer`, spec.name);
      flags[f.name] = Number(raw);
    } else if (f.type === 'list') (flags[f.name] as string[]).push(raw);
    else flags[f.name] = raw;
  };
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      i++;
      break;
    }
    if (a === '--help' || a === '-h') {
      help = true;
      continue;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = a.slice(2, eq < 0 ? undefined : eq);
      const f = byLong.get(name);
      if (!f) throw new UsageError(`unknown flag: --${name}`, spec.name);
      let raw = eq < 0 ? undefined : a.slice(eq + 1);
      if (raw === undefined && f.type !== 'bool') raw = argv[++i];
      set(f, raw, `--${name}`);
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      // -it, -dit, -eFOO=1, -e FOO=1, -t=false
      for (let j = 1; j < a.length; j++) {
        const f = byShort.get(a[j]!);
        if (!f) throw new UsageError(`unknown shorthand flag: '${a[j]}' in ${a}`, spec.name);
        if (f.type === 'bool') {
          if (a[j + 1] === '=') {
            set(f, a.slice(j + 2), `-${a[j]}`);
            break;
          }
          set(f, undefined, `-${a[j]}`);
          continue;
        }
        let raw = a.slice(j + 1);
        if (raw.startsWith('=')) raw = raw.slice(1);
        set(f, raw !== '' ? raw : argv[++i], `-${a[j]}`);
        break;
      }
      continue;
    }
    if (spec.stopAtFirstArg) break;
    args.push(a);
  }
  args.push(...argv.slice(i));
  if (!help) {
    if (spec.minArgs !== undefined && args.length < spec.minArgs) {
      throw new UsageError(`"berth ${spec.name}" requires ${spec.minArgs === 1 ? 'at least 1 argument' : `at least ${spec.minArgs} arguments`}.`, spec.name);
    }
    if (spec.maxArgs !== undefined && args.length > spec.maxArgs) {
      throw new UsageError(`"berth ${spec.name}" accepts at most ${spec.maxArgs} argument${spec.maxArgs === 1 ? '' : 's'}.`, spec.name);
    }
  }
  return { flags, args, help };
}

/** Docker-like usage text for `--help`. */
export function usageText(spec: CommandSpec): string {
  const lines = [`Usage:  berth ${spec.name} ${spec.usage}`, '', spec.summary];
  if (spec.aliases?.length) lines.push('', 'Aliases:', `  berth ${[spec.name, ...spec.aliases].join(', berth ')}`);
  if (spec.flags.length) {
    lines.push('', 'Options:');
    const left = spec.flags.map((f) => {
      const short = f.short ? `-${f.short}, ` : '    ';
      const val = f.type === 'bool' ? '' : ` ${f.value ?? (f.type === 'list' ? 'list' : f.type === 'int' ? 'int' : 'string')}`;
      return `  ${short}--${f.name}${val}`;
    });
    const width = Math.max(...left.map((l) => l.length)) + 3;
    spec.flags.forEach((f, k) => {
      const dflt = f.default !== undefined && f.default !== false ? ` (default ${typeof f.default === 'string' ? `"${f.default}"` : f.default})` : '';
      lines.push(`${left[k]!.padEnd(width)}${f.help}${dflt}`);
    });
  }
  lines.push('      --help   Print usage');
  return `${lines.join('\n')}\n`;
}
