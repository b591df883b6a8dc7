/**
 * The runtime subsystem's public face: OCI spec generation (spec/, seccomp/), cgroup readers
 * (cgroups/), the OCI runtime CLI (oci-runtime/) and conmon supervision (conmon/).
 * Other engine parts import only this file.
 */
export * from './spec/index.js';
export * from './cgroups/index.js';
export * from './conmon/index.js';
export * from './oci-runtime/index.js';
export { precompiledSeccomp, SECCOMP_BPF_ANNOTATION } from './seccomp/index.js';
export { psWithArgs, type PsTable } from './ps/index.js';
