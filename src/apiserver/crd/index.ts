// CustomResourceDefinitions served at run time: the registrar, the CRD strategy and validator,
// and the schema machinery (validation, pruning, defaulting, printer columns) of custom resources.
export { CrdRegistrar } from './registrar.ts';
export { withCrdStrategy, crdDeletionAdmission, defaultCustomResourceDefinition } from './crd-strategy.ts';
export { validateCustomResourceDefinition } from './crd-validation.ts';
export { describeCustomResources, versionConversion } from './custom-resource.ts';
export { validateValue } from './schema-validation.ts';
export { prune, pruneNulls, applyDefaults } from './pruning.ts';
export { parseJSONPath, evaluateJSONPath } from './jsonpath.ts';
export type { JSONSchemaProps } from './json-schema.ts';
