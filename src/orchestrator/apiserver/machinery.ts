/**
 * The one door to part 3's pure machinery (src/api/k8s: patches, server-side apply, selectors,
 * OpenAPI). Everything else in the apiserver calls these names, so the implementation behind them
 * can change in one place.
 */
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
} from './interim-k8s.js';
export type { Gvk, LabelSelector, FieldSelector } from './interim-k8s.js';
