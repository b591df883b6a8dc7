/** `berth inspect`: containers, then images, networks and volumes (docker's order); `-f` templates, `-o json|yaml`. */
import type { Parsed } from '../args.js';
import { DaemonError, type DaemonClient } from '../client.js';
import { CliError, str, structuredFormat, type Command } from '../command.js';
import { printStructured, renderTemplate } from '../output.js';

type Kind = 'container' | 'image' | 'network' | 'volume';
const KINDS: Kind[] = ['container', 'image', 'network', 'volume'];

/** Networks and volumes are inspected at /<kind>s/<ref>, containers and images at .../json. */
const inspectPath = (kind: Kind, ref: string) => `/${kind}s/${encodeURIComponent(ref)}${kind === 'container' || kind === 'image' ? '/json' : ''}`;

async function find(client: DaemonClient, ref: string, kinds: Kind[]): Promise<unknown | undefined> {
  for (const kind of kinds) {
    try {
      return await client.get(inspectPath(kind, ref));
    } catch (err) {
      if (err instanceof DaemonError && err.status === 404) continue;
      throw err;
    }
  }
  return undefined;
}

export async function inspectObjects(p: Parsed, client: DaemonClient, kinds: Kind[]): Promise<number> {
  const found: unknown[] = [];
  const missing: string[] = [];
  for (const ref of p.args) {
    const obj = await find(client, ref, kinds);
    if (obj === undefined) missing.push(ref);
    else found.push(obj);
  }
  const fmt = str(p, 'format');
  const structured = structuredFormat(p);
  if (fmt && fmt !== 'json') {
    for (const obj of found) {
      try {
        process.stdout.write(`${renderTemplate(fmt, obj)}\n`);
      } catch (err) {
        throw new CliError((err as Error).message);
      }
    }
  } else await printStructured(found, structured ?? 'json');
  for (const m of missing) process.stderr.write(`Error: No such ${kinds.length === 1 ? kinds[0] : 'object'}: ${m}\n`);
  return missing.length ? 1 : 0;
}

export const inspectFlags = [
  { name: 'format', short: 'f', type: 'string' as const, help: "Format output using a custom template: 'json' or a Go template such as '{{.State.Status}}'" },
  { name: 'output', short: 'o', type: 'string' as const, help: 'Output format: json or yaml' },
];

const inspect: Command = {
  spec: {
    name: 'inspect',
    usage: '[OPTIONS] NAME|ID [NAME|ID...]',
    summary: 'Return low-level information on berth objects',
    minArgs: 1,
    flags: [...inspectFlags, { name: 'type', type: 'string', help: 'Only inspect objects of the given type (container, image, network or volume)' }],
  },
  run(p, ctx) {
    const type = str(p, 'type');
    if (type && !KINDS.includes(type as Kind)) throw new CliError(`"${type}" is not a valid value for --type`);
    return inspectObjects(p, ctx.client(), type ? [type as Kind] : KINDS);
  },
};

export const commands: Record<string, Command> = { inspect };
