/**
 * `berth datastore snapshot|restore`: backup and restore of the orchestrator's datastore
 * (src/storage). SQLite snapshots use SQLite's online backup and work while the server runs;
 * restoring SQLite replaces `<data-dir>/state.db` and needs the server stopped. etcd snapshots use
 * etcd's maintenance API; restoring one makes a new etcd data dir with `etcdctl snapshot restore`
 * (spawned here: only src/cmd may start processes), which the operator then starts etcd on.
 *
 * Exit codes: 0 done, 1 the operation failed (message names the object), 125 bad usage.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { asBerthError } from '../base/errors.js';
import { openStorage, restoreSqliteSnapshot, snapshotSqliteStore, sqlitePath } from '../storage/index.js';
import { parseArgs, UsageError, usageText, type CommandSpec } from './args.js';

const DEFAULT_DATA_DIR = '/var/lib/berth';

const dataDirFlag = { name: 'data-dir', type: 'string', value: 'dir', help: "berth's data directory (SQLite store: <dir>/state.db)", default: DEFAULT_DATA_DIR } as const;

const snapshotSpec: CommandSpec = {
  name: 'datastore snapshot',
  usage: '[OPTIONS] FILE',
  summary: 'Write a consistent snapshot of the datastore to FILE (works while the server runs)',
  minArgs: 1,
  maxArgs: 1,
  flags: [
    dataDirFlag,
    { name: 'datastore-endpoint', type: 'string', value: 'url', help: 'etcd endpoint (http(s)://host:port); without it the SQLite store is used' },
    { name: 'datastore-cafile', type: 'string', value: 'file', help: 'CA certificate (PEM) to verify an https etcd endpoint' },
    { name: 'datastore-certfile', type: 'string', value: 'file', help: 'Client certificate (PEM) for an https etcd endpoint' },
    { name: 'datastore-keyfile', type: 'string', value: 'file', help: 'Client key (PEM) for an https etcd endpoint' },
  ],
};

const restoreSpec: CommandSpec = {
  name: 'datastore restore',
  usage: '[OPTIONS] FILE',
  summary: 'Restore the datastore from a snapshot FILE (stop the server first)',
  minArgs: 1,
  maxArgs: 1,
  flags: [
    dataDirFlag,
    { name: 'etcd-data-dir', type: 'string', value: 'dir', help: 'For an etcd snapshot: the NEW etcd data dir to create (etcdctl snapshot restore)' },
    { name: 'etcd-name', type: 'string', value: 'name', help: 'For an etcd snapshot: the member name etcd will run with', default: 'default' },
    { name: 'etcd-peer-url', type: 'string', value: 'url', help: 'For an etcd snapshot: the member peer URL', default: 'http://localhost:2380' },
  ],
};

function groupHelp(): string {
  return [
    'Usage:  berth datastore COMMAND',
    '',
    "Manage berth's datastore (SQLite in the data dir, or etcd)",
    '',
    'Commands:',
    '  snapshot    Write a consistent snapshot of the datastore to a file',
    '  restore     Restore the datastore from a snapshot file',
    '',
    "Run 'berth datastore COMMAND --help' for more information on a command.",
    '',
  ].join('\n');
}

/** What kind of snapshot a file holds, from its first bytes. */
function snapshotKind(file: string): 'sqlite' | 'etcd' | 'unknown' {
  const head = Buffer.alloc(32);
  const fd = fs.openSync(file, 'r');
  try {
    fs.readSync(fd, head, 0, 32, 0);
  } finally {
    fs.closeSync(fd);
  }
  if (head.subarray(0, 16).toString('latin1') === 'SQLite format 3\0') return 'sqlite';
  if (head.readUInt32LE(16) === 0xed0cdaed) return 'etcd'; // bbolt's meta page magic (etcd's backend)
  return 'unknown';
}

async function snapshot(argv: string[], out: NodeJS.WritableStream): Promise<number> {
  const p = parseArgs(snapshotSpec, argv);
  if (p.help) {
    out.write(usageText(snapshotSpec));
    return 0;
  }
  const file = path.resolve(p.args[0]!);
  const dataDir = path.resolve((p.flags['data-dir'] as string | undefined) ?? DEFAULT_DATA_DIR);
  const endpoint = p.flags['datastore-endpoint'] as string | undefined;
  if (endpoint) {
    const tls = {
      caFile: p.flags['datastore-cafile'] as string | undefined,
      certFile: p.flags['datastore-certfile'] as string | undefined,
      keyFile: p.flags['datastore-keyfile'] as string | undefined,
    };
    const kv = await openStorage({ dataDir, endpoint, compaction: false, ...(tls.caFile || tls.certFile || tls.keyFile ? { tls } : {}) });
    try {
      const info = await kv.snapshot(file);
      out.write(`Snapshot of etcd ${endpoint} saved to ${file} (${info.bytes} bytes, revision ${info.revision})\n`);
    } finally {
      await kv.close();
    }
    return 0;
  }
  for (const f of ['datastore-cafile', 'datastore-certfile', 'datastore-keyfile']) {
    if (p.flags[f] !== undefined) throw new UsageError(`--${f} needs --datastore-endpoint (it applies to etcd only)`, snapshotSpec.name);
  }
  const info = await snapshotSqliteStore(sqlitePath(dataDir), file);
  out.write(`Snapshot of ${sqlitePath(dataDir)} saved to ${file} (${info.bytes} bytes, revision ${info.revision})\n`);
  return 0;
}

function etcdctlRestore(file: string, dir: string, name: string, peer: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile('etcdctl', ['snapshot', 'restore', file, '--data-dir', dir, '--name', name, '--initial-cluster', `${name}=${peer}`, '--initial-advertise-peer-urls', peer],
      { env: { ...process.env, ETCDCTL_API: '3' } }, (err, _stdout, stderr) => {
        if (!err) return resolve();
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return reject(new Error('etcdctl not found: install etcd-client to restore etcd snapshots'));
        reject(new Error(`etcdctl snapshot restore of ${file} failed: ${stderr.trim() || err.message}`));
      });
  });
}

async function restore(argv: string[], out: NodeJS.WritableStream): Promise<number> {
  const p = parseArgs(restoreSpec, argv);
  if (p.help) {
    out.write(usageText(restoreSpec));
    return 0;
  }
  const file = path.resolve(p.args[0]!);
  if (!fs.existsSync(file)) throw new Error(`snapshot ${file} does not exist`);
  const kind = snapshotKind(file);
  const etcdDir = p.flags['etcd-data-dir'] as string | undefined;
  if (kind === 'etcd') {
    if (!etcdDir) throw new UsageError(`${file} is an etcd snapshot: pass --etcd-data-dir (a new directory) to restore it for etcd`, restoreSpec.name);
    const dir = path.resolve(etcdDir);
    const name = (p.flags['etcd-name'] as string | undefined) ?? 'default';
    const peer = (p.flags['etcd-peer-url'] as string | undefined) ?? 'http://localhost:2380';
    await etcdctlRestore(file, dir, name, peer);
    out.write(`etcd snapshot ${file} restored into ${dir}; start etcd with --data-dir ${dir} --name ${name} --initial-advertise-peer-urls ${peer}\n`);
    return 0;
  }
  if (kind !== 'sqlite') throw new Error(`${file} is neither a berth SQLite snapshot nor an etcd snapshot`);
  if (etcdDir) throw new UsageError(`${file} is a SQLite snapshot; --etcd-data-dir applies to etcd snapshots only`, restoreSpec.name);
  const dataDir = path.resolve((p.flags['data-dir'] as string | undefined) ?? DEFAULT_DATA_DIR);
  const { revision } = restoreSqliteSnapshot(file, sqlitePath(dataDir));
  out.write(`Restored ${sqlitePath(dataDir)} from ${file} (revision ${revision}); clients must re-list after the server starts\n`);
  return 0;
}

/** Runs `berth datastore <argv…>`; returns the exit code (never throws). */
export async function runDatastoreCommand(
  argv: string[],
  io: { out: NodeJS.WritableStream; err: NodeJS.WritableStream } = { out: process.stdout, err: process.stderr },
): Promise<number> {
  const [sub, ...rest] = argv;
  try {
    if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') {
      io.out.write(groupHelp());
      return sub === undefined ? 125 : 0;
    }
    if (sub === 'snapshot') return await snapshot(rest, io.out);
    if (sub === 'restore') return await restore(rest, io.out);
    io.err.write(`berth datastore: unknown command "${sub}"\n\n${groupHelp()}`);
    return 125;
  } catch (err) {
    if (err instanceof UsageError) {
      const msg = err.message.startsWith('"') ? err.message : `berth ${err.command}: ${err.message}`;
      io.err.write(`${msg}\nSee 'berth ${err.command} --help'.\n`);
      return 125;
    }
    const e = asBerthError(err);
    io.err.write(`berth datastore ${sub}: ${e.message}\n`);
    return 1;
  }
}
