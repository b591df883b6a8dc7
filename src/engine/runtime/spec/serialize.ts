/**
 * Writes a spec as config.json text. JSON.stringify cannot write RLIM_INFINITY (2^64-1, the OCI
 * rlimit "unlimited"): berth keeps it as rlimits.Unlimited in memory and writes the exact
 * integer here, so `--ulimit core=-1` really is unlimited inside the container.
 */
import type { OciProcess, OciSpec } from '../../../api/oci/runtime-spec.js';
import { Unlimited } from './rlimits.js';

const token = '"__berth_rlim_infinity__"';
const infinity = '18446744073709551615';

function stringify(value: unknown, indent?: number): string {
  const text = JSON.stringify(value, (key, v: unknown) => ((key === 'soft' || key === 'hard') && v === Unlimited ? JSON.parse(token) : v), indent);
  return text.split(token).join(infinity);
}

/** config.json text for a bundle. */
export function specToJson(spec: OciSpec, indent?: number): string {
  return stringify(spec, indent);
}

/** Process JSON text for `<runtime> exec --process` / conmon --exec-process-spec. */
export function processToJson(proc: OciProcess, indent?: number): string {
  return stringify(proc, indent);
}
