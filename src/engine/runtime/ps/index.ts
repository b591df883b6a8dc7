/**
 * `docker top <c> <ps options>`: Docker runs the host's ps(1) with the user's options and keeps the
 * rows of the container's processes; berth does the same (ps's column set is too large to
 * re-implement, and users expect exactly ps's output). The rows are picked by the PID column.
 */
import { invalidArgument } from '../../../base/errors.js';
import { runProcessRaw } from '../../../base/process.js';

export interface PsTable { titles: string[]; processes: string[][] }

/** Docker's rule: a PID column may be renamed only as "pid=…", so the PID field stays findable. */
function validatePsArgs(psArgs: string): string[] {
  for (const m of psArgs.matchAll(/\s+([^\s]*)=\s*(PID[^\s]*)/g)) {
    if (m[1] !== 'pid') throw invalidArgument(`specifying "${m[1]}=${m[2]}" is not allowed`);
  }
  return psArgs.split(' ').filter(Boolean);
}

/** ps output → the rows of `pids`; the last column keeps its spaces (CMD, args). */
export function parsePsOutput(output: string, pids: number[]): PsTable {
  const lines = output.split('\n').filter((l) => l.trim() !== '');
  const titles = (lines[0] ?? '').trim().split(/\s+/);
  const pidIndex = titles.indexOf('PID');
  if (pidIndex < 0) throw invalidArgument("couldn't find PID field in ps output");
  const wanted = new Set(pids);
  const processes: string[][] = [];
  for (const line of lines.slice(1)) {
    const fields = line.trim().split(/\s+/);
    const pid = fields[pidIndex];
    if (pid === undefined || pid === '-' || !wanted.has(Number(pid))) continue;
    processes.push([...fields.slice(0, titles.length - 1), fields.slice(titles.length - 1).join(' ')]);
  }
  return { titles, processes };
}

async function runPs(args: string[]): Promise<string> {
  const r = await runProcessRaw('ps', args);
  if (r.code !== 0) throw invalidArgument(`ps ${args.join(' ')} failed: ${(r.stderr || `exit code ${r.code}`).trim()}`);
  return r.stdout;
}

/** Runs `ps <psArgs>` on the host and keeps the processes whose host PID is in `pids`. */
export async function psWithArgs(psArgs: string, pids: number[]): Promise<PsTable> {
  const args = validatePsArgs(psArgs);
  // procps' -q lists just these pids (fast on busy hosts); a ps without -q lists all and is filtered.
  const output = pids.length > 0 ? await runPs([...args, '-q', pids.join(',')]).catch(() => runPs(args)) : await runPs(args);
  return parsePsOutput(output, pids);
}
