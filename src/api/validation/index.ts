// Field errors, name/format checks, metadata validation and per-kind validators.
export {
  fieldErrors, errorBody, renderFieldError, aggregateMessages, aggregateFieldErrors, invalidMessage, toCauses, OMIT_VALUE,
  FIELD_ERROR_TYPE_TEXT, type FieldError, type FieldErrorType,
} from './field-error.ts';
export { FieldPath, NIL_PATH } from './field-path.ts';
export { goQuote, goSyntax, GoLiteral, goLabelSelector, goIntOrString } from './go-format.ts';
export * from './names.ts';
export {
  validateObjectMeta, validateObjectMetaUpdate, validateAnnotations, validateOwnerReferences, validateFinalizers, validateFinalizerName,
  validateKubeFinalizerName, validateManagedFields, validateImmutableField, validateNonnegativeField, nameIsDNSSubdomain, nameIsDNSLabel,
  nameIsDNS1035Label, validateNamespaceName, validatePathSegmentName, FIELD_IMMUTABLE, IS_NEGATIVE, TOTAL_ANNOTATION_SIZE_LIMIT,
  type NameValidator, type ObjectMetaOptions, type KubeObject,
} from './object-meta.ts';
export { semanticEqual } from './semantic-equal.ts';
export { validatePod, validatePodSpec, validatePodTemplateSpec, validatePodTemplate, validateResourceRequirements, POD_UPDATABLE_FIELDS_MESSAGE } from './pod.ts';
export { validateDeployment, validateReplicaSet, validateStatefulSet, validateDaemonSet } from './workloads.ts';
export { validateJob, validateCronJob } from './batch.ts';
export { cronScheduleError } from './cron-schedule.ts';
export {
  validateService, validateConfigMap, validateSecret, validateNamespace, validateNode, validateServiceAccount, validatePersistentVolumeClaim,
} from './core-kinds.ts';
export { validateLease, validateIngress } from './other-kinds.ts';
export { validators, validatorFor, type Validator } from './validators.ts';
export { validateLabels, validateLabelName, validateLabelSelector } from '../selectors/label-selector-object.ts';
