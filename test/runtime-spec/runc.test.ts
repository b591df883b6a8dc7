// berth's generated OCI spec under bare runc (no conmon); see run-suite.ts.
import { runtimeSpecSuite } from './run-suite.js';

runtimeSpecSuite('runc');
