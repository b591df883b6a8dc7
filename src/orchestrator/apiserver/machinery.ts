/**
 * The one door to part 3's pure machinery (src/api/k8s: patches, server-side apply, selectors,
 * OpenAPI documents and schemas). Everything else in the apiserver calls these names.
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
  customGroupVersionDocument,
  swaggerSchemaFor,
  resolveSchema,
  propertySchema,
  itemsSchema,
} from '../../api/k8s/index.js';
export type { Gvk, LabelSelector, FieldSelector, OpenApiSchema, ExtraGroupVersion } from '../../api/k8s/index.js';
