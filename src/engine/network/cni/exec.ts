/**
 * Executing one CNI plugin the way the CNI spec says: the binary named by the config's "type",
 * found in CNI_PATH, with CNI_COMMAND / CNI_CONTAINERID / CNI_NETNS / CNI_IFNAME / CNI_PATH in its
 * environment, the network configuration as JSON on stdin, and its result (or its {code,msg}
 * error) as JSON on stdout.
 */
import fs from 'node:fs';
import path from 'node:path';
import { BerthError, internal, invalidArgument, notFound, resourceExhausted } from '../../../base/errors.js';
import { runProcessRaw } from '../../../base/process.js';
import { parseCniResult, type CniResult } from './result.js';

export type CniCommand = 'ADD' | 'DEL' | 'CHECK';

export interface CniRuntime { containerId: string; netns: string; ifName: string; pluginDirs: string[] }

const TIMEOUT_MS = 60_000;

function findPlugin(type: string, dirs: string[]): string {
  if (!/^[A-Za-z0-9._-]+$/.test(type)) throw invalidArgument(`invalid CNI plugin type ${JSON.stringify(type)}`);
  for (const d of dirs) {
    const p = path.join(d, type);
    if (fs.existsSync(p)) return p;
  }
  throw notFound(`CNI plugin "${type}" not found in ${dirs.join(':')}`);
}

/** Maps the spec's error codes (and the common IPAM failure) onto berth's codes. */
export function cniError(plugin: string, command: CniCommand, stdout: string, stderr: string, exitCode: number | null): BerthError {
  let code: number | undefined;
  let msg = '';
  let details = '';
  try {
    const e = JSON.parse(stdout) as { code?: number; msg?: string; details?: string };
    code = e.code;
    msg = e.msg ?? '';
    details = e.details ?? '';
  } catch {
    msg = stderr.trim() || stdout.trim() || `exited with code ${exitCode}`;
  }
  const text = `CNI plugin ${plugin} failed (${command})${code !== undefined ? ` [code ${code}]` : ''}: ${msg}${details ? `: ${details}` : ''}`;
  if (/no IP addresses available|no free/i.test(text)) return resourceExhausted(text);
  if (code === 1 || code === 6 || code === 7) return invalidArgument(text); // incompatible version, decode error, invalid config
  return internal(text);
}

/** Runs the plugin; resolves with its parsed result (ADD) or null (DEL/CHECK print nothing). */
export async function execPlugin(command: CniCommand, config: Record<string, unknown> & { type: string }, rt: CniRuntime): Promise<CniResult | null> {
  const type = config.type;
  const bin = findPlugin(type, rt.pluginDirs);
  const env = {
    PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin',
    CNI_COMMAND: command,
    CNI_CONTAINERID: rt.containerId,
    CNI_NETNS: rt.netns,
    CNI_IFNAME: rt.ifName,
    CNI_PATH: rt.pluginDirs.join(':'),
  };
  const r = await runProcessRaw(bin, [], { env, input: JSON.stringify(config), timeoutMs: TIMEOUT_MS }).catch((err: Error) => {
    throw internal(`cannot run CNI plugin ${type}: ${err.message}`, err);
  });
  if (r.code !== 0) throw cniError(type, command, r.stdout, r.stderr, r.code);
  if (command !== 'ADD' || r.stdout.trim() === '') return null;
  return parseCniResult(r.stdout, type);
}
