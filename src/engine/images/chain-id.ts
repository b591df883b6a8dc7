/**
 * chainIDs (OCI image-spec): chainID(L0) = diffID(L0); chainID(Ln) = sha256(chainID(Ln-1) + " " + diffID(Ln)).
 * They name a layer *with everything below it*, so two images share a layer snapshot only when
 * their whole stacks below it are identical.
 */
import { sha256Of } from '../../api/oci/index.js';

export function chainIds(diffIds: readonly string[]): string[] {
  const out: string[] = [];
  for (const d of diffIds) out.push(out.length === 0 ? d : sha256Of(`${out[out.length - 1]} ${d}`));
  return out;
}
