/**
 * OCI runtime spec generation: what a container IS, as pure code. The conmon driver and the
 * container manager call buildSpec() at create, buildExecProcess() per exec and resolveUser()
 * wherever a --user value must become ids.
 */
import type { OciSpec } from '../../../api/oci/runtime-spec.js';
import { buildSpecFor, type SpecInput } from './build.js';
import { hostFacts } from './host-facts.js';

export type { SpecInput } from './build.js';
export { buildSpecFor, MaskedPaths, ReadonlyPaths, InitPathInContainer } from './build.js';
export { buildExecProcess } from './exec.js';
export { resolveUser, type ResolvedUser } from './user.js';
export { resolveCommand, type ResolvedCommand } from './command.js';
export { hostFacts, type HostFacts } from './host-facts.js';
export { DefaultCapabilities } from './capabilities.js';
export { UsernsHostBase, UsernsSize } from './namespaces.js';
export { secureJoin } from './secure-path.js';
export { buildResources } from './resources.js';

/** Builds the spec for this machine (its rlimits, capabilities, swap accounting, arch, kernel). */
export function buildSpec(input: SpecInput): { spec: OciSpec; warnings: string[] } {
  return buildSpecFor(input, hostFacts());
}
export { specToJson, processToJson } from './serialize.js';
