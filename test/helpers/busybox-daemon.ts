/** The daemon the network and volume test files start: a real `berth server` with the busybox image loaded. */
import assert from 'node:assert/strict';
import { startDaemon, type Daemon } from '../cli/harness.js';
import { busyboxImage } from './test-image.js';

export async function startWithBusybox(label: string): Promise<Daemon> {
  const d = await startDaemon(label);
  const r = await d.berth(['load', '-i', busyboxImage().dockerArchive]);
  assert.equal(r.code, 0, r.stderr);
  return d;
}

/** Runs a berth command that must succeed; a failure shows its stderr and the daemon's log tail. */
export async function berthOk(d: Daemon, args: string[]): Promise<string> {
  const r = await d.berth(args);
  assert.equal(r.code, 0, `berth ${args.join(' ')}: ${r.stderr}\n${d.log().slice(-3000)}`);
  return r.stdout;
}
