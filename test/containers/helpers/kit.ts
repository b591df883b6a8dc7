/**
 * The runtime kit the tests give the manager: the real spec builder; cgroup readers from the runtime
 * subsystem once it exports them (src/engine/runtime cgroups/), meanwhile direct v1 reads.
 */
import fs from 'node:fs';
import * as runtime from '../../../src/engine/runtime/index.js';
import type { RuntimeKit } from '../../../src/engine/containers/kit.js';

const r = runtime as unknown as Partial<RuntimeKit>;

function v1(ctrl: string, cg: string, file: string): string {
  return fs.readFileSync(`/sys/fs/cgroup/${ctrl}${cg}/${file}`, 'utf8');
}

export const testKit: RuntimeKit = {
  buildSpec: runtime.buildSpec as unknown as RuntimeKit['buildSpec'],
  buildExecProcess: runtime.buildExecProcess as unknown as RuntimeKit['buildExecProcess'],
  readPids: r.readPids ?? ((cg) => v1('pids', cg, 'cgroup.procs').split('\n').filter(Boolean).map(Number)),
  oomKilled: r.oomKilled ?? ((cg) => {
    try {
      return /^oom_kill [1-9]/m.test(v1('memory', cg, 'memory.oom_control'));
    } catch {
      return false;
    }
  }),
  readStats: r.readStats ?? (() => {
    throw new Error('readStats is not available yet');
  }),
};
