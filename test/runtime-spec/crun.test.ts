// berth's generated OCI spec under bare crun (no conmon); see run-suite.ts.
import { runtimeSpecSuite } from './run-suite.js';

runtimeSpecSuite('crun');
