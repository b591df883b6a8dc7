/** What a CLI command is: its flag spec and its action. Commands return the process exit code. */
import type { CommandSpec, Parsed } from './args.js';
import type { DaemonClient } from './client.js';

export interface CliContext {
  host: string;
  client(): DaemonClient;
}

export interface Command {
  spec: CommandSpec;
  run(p: Parsed, ctx: CliContext): Promise<number>;
  /** Exit code for errors from the daemon or the CLI itself (docker: 125 for run/create/exec, 1 otherwise). */
  errorExit?: number;
  /** Hand every argument to run() unparsed (commands with their own sub-commands). */
  rawArgs?: boolean;
}

/** `DaemonClient` is passed in by the command modules' loader so node:http loads only when used. */
export function makeContext(host: string, Client: new (host: string) => DaemonClient): CliContext {
  let client: DaemonClient | undefined;
  return { host, client: () => (client ??= new Client(host)) };
}

/** A flag's value, typed. */
export const str = (p: Parsed, name: string): string | undefined => p.flags[name] as string | undefined;
export const bool = (p: Parsed, name: string): boolean => p.flags[name] === true;
export const list = (p: Parsed, name: string): string[] => (p.flags[name] as string[] | undefined) ?? [];
export const int = (p: Parsed, name: string): number | undefined => p.flags[name] as number | undefined;

/** A failure the CLI itself reports (bad flag values, local files): printed as `berth: <message>`. */
export class CliError extends Error {
  constructor(message: string, readonly exitCode?: number) {
    super(message);
  }
}

/** `-o json|yaml` or `--format json`: the structured output format asked for, if any. */
export function structuredFormat(p: Parsed): 'json' | 'yaml' | undefined {
  const o = str(p, 'output');
  if (o !== undefined && o !== 'json' && o !== 'yaml') throw new CliError(`invalid output format "${o}": use json or yaml`);
  if (o) return o;
  return str(p, 'format') === 'json' ? 'json' : undefined;
}
