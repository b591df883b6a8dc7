/**
 * The one door to part 3's pure machinery (src/api/k8s: patches, server-side apply, selectors,
 * OpenAPI). Everything else in the apiserver calls these names, so the implementation behind them
 * can change in one place.
 */
import { openapiV3GroupVersion, openapiV3Index } from './interim-k8s.js';

export {
  applyJsonPatch,
  applyMergePatch,
  applyStrategicMergePatch,
  serverSideApply,
  updateManagedFieldsForUpdate,
  parseLabelSelector,
  matchesLabels,
  parseFieldSelector,
  matchesFields,
  openapiV2,
  openapiV3Index,
  openapiV3GroupVersion,
  schemaFor,
} from './interim-k8s.js';
export type { Gvk, LabelSelector, FieldSelector } from './interim-k8s.js';

let componentIndex: Map<string, unknown> | null = null;

/** Resolves `#/components/schemas/<name>` across every group-version document (built lazily, once). */
export function resolveSchemaRef(ref: string): unknown {
  const name = ref.replace(/^#\/(components\/schemas|definitions)\//, '');
  if (!componentIndex) {
    componentIndex = new Map();
    const index = openapiV3Index() as { paths?: Record<string, unknown> };
    for (const gv of Object.keys(index.paths ?? {})) {
      const doc = openapiV3GroupVersion(gv.replace(/^\//, '')) as { components?: { schemas?: Record<string, unknown> } } | null;
      for (const [k, v] of Object.entries(doc?.components?.schemas ?? {})) if (!componentIndex.has(k)) componentIndex.set(k, v);
    }
  }
  return componentIndex.get(name) ?? null;
}
