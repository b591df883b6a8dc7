/** Kubernetes API machinery: patches, server-side apply, protobuf bodies, OpenAPI documents, selectors. Pure functions. */
export * from './types.js';
export { applyJsonPatch, parsePointer } from './patch/json-patch.js';
export { applyMergePatch, createMergePatch } from './patch/merge-patch.js';
export { applyStrategicMergePatch, strategicMerge } from './patch/strategic-merge-patch.js';
export { patchTypeFromContentType, parsePatchDocument, applyPatch } from './patch/dispatch.js';
export type { PatchType } from './patch/dispatch.js';
export { serverSideApply, updateManagedFieldsForUpdate, conflictMessage, conflictStatus } from './ssa/managed-fields.js';
export type { ManagedFieldsEntry, ApplyConflict, ApplyOptions, UpdateOptions } from './ssa/managed-fields.js';
export { FieldSet, pathString } from './ssa/fieldset.js';
export { decodeKubeProtobuf, encodeKubeProtobuf, protobufKinds, KUBE_PROTOBUF_MAGIC } from './protobuf/decode.js';
export { findUnknownFields, strictDecodingMessage } from './openapi/unknown-fields.js';
export { openapiV2, openapiV3Index, openapiV3GroupVersion, schemaFor, builtinGroupVersionPaths, customGroupVersionDocument } from './openapi/documents.js';
export type { ExtraGroupVersion } from './openapi/documents.js';
export { resolveSchema, propertySchema, itemsSchema, swaggerSchemaFor, definitionNameFor, BUNDLED_KUBE_VERSION } from './openapi/spec.js';
export type { OpenApiSchema } from './openapi/spec.js';
export { parseLabelSelector, matchesLabels, labelSelectorFromObject, labelSelectorToString, labelKeyProblem, labelValueProblem } from './selectors/label-selector.js';
export { parseFieldSelector, matchesFields, fieldSelectorToString, fieldValue } from './selectors/field-selector.js';
