/** `berth datastore …`: handed to src/cmd/datastore-command.ts (written by the datastore work). */
import fs from 'node:fs';
import { CliError, type Command } from '../command.js';

const datastore: Command = {
  spec: { name: 'datastore', usage: 'COMMAND [ARGS...]', summary: "Manage berth's datastore (SQLite or etcd)", flags: [] },
  rawArgs: true,
  async run(p) {
    const exists = ['../datastore-command.js', '../datastore-command.ts'].some((f) => fs.existsSync(new URL(f, import.meta.url)));
    if (!exists) throw new CliError('berth was built without the datastore command');
    // A variable specifier: this file must build before (and without) the datastore command.
    const specifier = '../datastore-command.js';
    const mod = (await import(specifier)) as { runDatastoreCommand(argv: string[]): Promise<number> };
    return mod.runDatastoreCommand(p.args);
  },
};

export const commands: Record<string, Command> = { datastore };
