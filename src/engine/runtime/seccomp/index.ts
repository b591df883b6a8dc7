/**
 * Seccomp for containers: Docker's default profile (default.json, mirrored from moby's
 * profiles/seccomp/default.json: it is data) and the renderer that turns a profile into the OCI
 * LinuxSeccomp for one container's capabilities, architecture and kernel.
 */
import defaultJson from './default.json' with { type: 'json' };
import { validateProfile, type SeccompProfile } from './profile.js';

export { parseProfile, validateProfile } from './profile.js';
export type { SeccompProfile, ProfileSyscall, ProfileArg, ProfileFilter, ProfileArchMap } from './profile.js';
export { renderSeccomp, nativeArch, kernelAtLeast, type RenderContext } from './render.js';
export { precompiledSeccomp, flattenSeccomp, SECCOMP_BPF_ANNOTATION } from './precompile.js';

let cached: SeccompProfile | undefined;

/** Docker's default profile (validated once; callers must not mutate it). */
export function defaultProfile(): SeccompProfile {
  cached ??= validateProfile(defaultJson);
  return cached;
}
