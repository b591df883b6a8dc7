/** Small conveniences over runCli for the e2e suite: kubectl/helm bound to one server's env. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { kubeClients, runCli, type CliResult } from './clients.js';
import type { KubeServer } from './kube-server.js';

export interface Cli {
  /** kubectl 1.34; fails the test on a non-zero exit unless `expectFail`. */
  kubectl(args: string[], opts?: { input?: string; env?: NodeJS.ProcessEnv; expectFail?: boolean }): Promise<CliResult>;
  kubectl132(args: string[], opts?: { input?: string }): Promise<CliResult>;
  helm(args: string[]): Promise<CliResult>;
  /** Parsed `kubectl get … -o json`. */
  getJson(args: string[]): Promise<any>;
  /** Starts a long-running kubectl (get -w) and resolves when a stdout line matches. */
  watchFor(args: string[], match: RegExp, trigger: () => Promise<unknown>): Promise<string[]>;
}

function check(bin: string, args: string[], r: CliResult, expectFail?: boolean): CliResult {
  const shown = `${bin.split('/').pop()} ${args.join(' ')}\nexit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`;
  if (expectFail) assert.notEqual(r.code, 0, `expected a failure:\n${shown}`);
  else assert.equal(r.code, 0, shown);
  return r;
}

export function cliFor(server: KubeServer): Cli {
  const c = kubeClients();
  return {
    async kubectl(args, opts = {}) {
      const r = await runCli(c.kubectl, args, { env: { ...server.env, ...(opts.env ?? {}) }, ...(opts.input !== undefined ? { input: opts.input } : {}) });
      return check(c.kubectl, args, r, opts.expectFail);
    },
    async kubectl132(args, opts = {}) {
      const r = await runCli(c.kubectl132, args, { env: server.env, ...(opts.input !== undefined ? { input: opts.input } : {}) });
      return check(c.kubectl132, args, r);
    },
    async helm(args) {
      const r = await runCli(c.helm, args, { env: server.env, timeoutMs: 120_000 });
      return check(c.helm, args, r);
    },
    async getJson(args) {
      const r = await runCli(c.kubectl, ['get', ...args, '-o', 'json'], { env: server.env });
      return JSON.parse(check(c.kubectl, args, r).stdout);
    },
    watchFor(args, match, trigger) {
      return new Promise((resolve, reject) => {
        const child = spawn(c.kubectl, args, { env: server.env, stdio: ['ignore', 'pipe', 'pipe'] });
        const lines: string[] = [];
        let buf = '';
        let err = '';
        let triggered = false;
        const timer = setTimeout(() => {
          child.kill('SIGKILL');
          reject(new Error(`kubectl ${args.join(' ')}: no line matching ${match} within 30 s; got ${JSON.stringify(lines)} stderr ${err}`));
        }, 30_000);
        child.stderr.on('data', (d: Buffer) => (err += d.toString()));
        child.stdout.on('data', (d: Buffer) => {
          buf += d.toString();
          let i;
          while ((i = buf.indexOf('\n')) >= 0) {
            const line = buf.slice(0, i);
            buf = buf.slice(i + 1);
            lines.push(line);
            if (!triggered) {
              // The first line is the initial list: the watch is established, make the change now.
              triggered = true;
              trigger().catch((e) => reject(e));
            }
            if (match.test(line)) {
              clearTimeout(timer);
              child.kill('SIGTERM');
              resolve(lines);
            }
          }
        });
        child.on('exit', (code) => {
          if (code !== null && code !== 0) {
            clearTimeout(timer);
            reject(new Error(`kubectl ${args.join(' ')} exited ${code}: ${err}`));
          }
        });
      });
    },
  };
}
