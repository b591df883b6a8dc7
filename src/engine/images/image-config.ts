/** Validation of image config JSON (untrusted: it comes from archives and registries). */
import { invalidArgument } from '../../base/errors.js';
import { assertSha256Digest, parseJson } from '../../api/oci/index.js';
import type { ImageConfig } from './types.js';

/** Configs and manifests are small; anything bigger is refused before it is parsed. */
export const MAX_JSON_BLOB = 8 * 1024 * 1024;

export function parseImageConfig(data: Buffer, what: string): ImageConfig {
  if (data.length > MAX_JSON_BLOB) throw invalidArgument(`${what} is larger than ${MAX_JSON_BLOB} bytes`);
  const v = parseJson(data, what) as Partial<ImageConfig> | null;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw invalidArgument(`${what} is not an object`);
  if (typeof v.os !== 'string' || typeof v.architecture !== 'string') throw invalidArgument(`${what} lacks os/architecture`);
  const rootfs = v.rootfs as { type?: unknown; diff_ids?: unknown } | undefined;
  if (!rootfs || rootfs.type !== 'layers' || !Array.isArray(rootfs.diff_ids)) throw invalidArgument(`${what} has no rootfs.diff_ids`);
  rootfs.diff_ids.forEach((d, i) => assertSha256Digest(d, `${what} diff_id ${i}`));
  if (v.history !== undefined && !Array.isArray(v.history)) throw invalidArgument(`${what} history is not a list`);
  return v as ImageConfig;
}

export function hostPlatform(): { os: string; architecture: string } {
  const arch: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64' };
  return { os: 'linux', architecture: arch[process.arch] ?? process.arch };
}
