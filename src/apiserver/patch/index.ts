// Patching for the API server: JSON patch, JSON merge patch, strategic merge patch and
// server-side apply with managed-fields tracking, all pure functions over JSON objects.
export { PatchError, isPatchError } from './errors.ts';
export { applyJsonPatch, parseJsonPatch, MAX_JSON_PATCH_OPERATIONS } from './json-patch.ts';
export { applyMergePatch, parseMergePatch } from './merge-patch.ts';
export { applyStrategicMergePatch, parseStrategicMergePatch } from './strategic-merge.ts';
export { createTwoWayMergePatch } from './strategic-diff.ts';
export { typeDefSchema, type SchemaNode } from './schema.ts';
export { crdSchema, type JSONSchemaProps } from './crd-schema.ts';
export { supportedPatchTypes, patchTypeOf, JSON_PATCH, MERGE_PATCH, STRATEGIC_MERGE_PATCH, APPLY_PATCH, type PatchType } from './patch-types.ts';
export {
  applyPatch,
  updateManagedFields,
  ApplyConflictError,
  KUBECTL_MANAGER,
  BEFORE_FIRST_APPLY_MANAGER,
  LAST_APPLIED_ANNOTATION,
  MAX_UPDATE_MANAGERS,
  type ApplyOptions,
  type ApplyResult,
  type UpdateManagedFieldsOptions,
  type FieldConflict,
  type GroupVersionKind,
} from './field-manager.ts';
export { parseApplyPatch } from './apply-body.ts';
export type { ManagedFieldsEntry } from './managed-fields.ts';
export { FieldSet, pathString, type FieldPath, type PathElement } from './field-path.ts';
