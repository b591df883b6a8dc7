/**
 * Drives an OCI runtime binary (crun or runc) for the operations berth runs directly; `create`
 * (and exec) go through conmon instead, because conmon must own the container's stdio and exit code.
 * Every runtime gets its own state root (`--root`), so berth never sees other tools' containers
 * and parallel test runs never collide.
 */
import { BerthError } from '../../../base/errors.js';
import { runProcessRaw } from '../../../base/process.js';

export type RuntimeName = 'crun' | 'runc';

export interface RuntimeState { id: string; pid: number; status: 'creating' | 'created' | 'running' | 'paused' | 'stopped'; bundle: string }

const binaries: Record<RuntimeName, string> = { crun: '/usr/bin/crun', runc: '/usr/bin/runc' };

export class OciRuntime {
  readonly binary: string;
  constructor(readonly name: RuntimeName, readonly root: string) {
    this.binary = binaries[name];
  }

  /** Arguments conmon passes before the runtime's subcommand. */
  globalArgs(): string[] {
    return [`--root=${this.root}`];
  }

  /** null when the runtime does not know the container (already deleted). */
  async state(id: string): Promise<RuntimeState | null> {
    try {
      const out = await this.run(['state', id]);
      return JSON.parse(out) as RuntimeState;
    } catch (err) {
      if (/does not exist|not exist|No such file/i.test((err as Error).message)) return null;
      throw err;
    }
  }

  async start(id: string): Promise<void> {
    await this.run(['start', id]);
  }

  /** Sends a signal to the container's init process (or all processes with `all`). */
  async kill(id: string, signal: number, all = false): Promise<void> {
    await this.run(all ? ['kill', '--all', id, String(signal)] : ['kill', id, String(signal)]);
  }

  async pause(id: string): Promise<void> {
    await this.run(['pause', id]);
  }

  async resume(id: string): Promise<void> {
    await this.run(['resume', id]);
  }

  /** Deletes the runtime's record and cgroup; `force` kills a still-running container first. Idempotent. */
  async delete(id: string, force = false): Promise<void> {
    try {
      await this.run(force ? ['delete', '--force', id] : ['delete', id]);
    } catch (err) {
      if (/does not exist|not exist|No such file/i.test((err as Error).message)) return;
      throw err;
    }
  }

  private async run(args: string[]): Promise<string> {
    const r = await runProcessRaw(this.binary, [...this.globalArgs(), ...args]).catch((err: Error) => {
      throw new BerthError('Internal', `${this.name} ${args[0]}: ${err.message}`, { cause: err });
    });
    if (r.code === 0) return r.stdout;
    const detail = (r.stderr || r.stdout || (r.code === null ? `killed by ${r.signal}` : `exit code ${r.code}`)).trim().split('\n').slice(-3).join('; ');
    throw new BerthError('Internal', `${this.name} ${args[0]} ${args[args.length - 1]}: ${detail}`);
  }
}
