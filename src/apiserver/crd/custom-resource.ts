// The resource descriptions a CustomResourceDefinition serves: one per served version, with
// its schema's pruning, defaulting and validation, its printer columns and subresources.
import { ALL_VERBS, type KubeObject, type ResourceDescription, type Subresources } from '../../api/registry/resource.ts';
import type { TypeDefs } from '../../api/schema/model.ts';
import { fieldErrors, isDNS1035Label, nameIsDNSSubdomain, validateObjectMeta, validateObjectMetaUpdate, type FieldError } from '../../api/validation/index.ts';
import { checkAgainstSchema } from '../rest/schema-check.ts';
import { namesOf, storageVersionOf, versionsOf, type CrdVersion } from './crd-model.ts';
import { isObject, type JSONSchemaProps } from './json-schema.ts';
import { applyDefaults, prune, pruneNulls } from './pruning.ts';
import { validateValue } from './schema-validation.ts';
import { printerColumnsFor } from './printer-columns.ts';
import { evaluateJSONPath, jsonPathText, parseJSONPath } from './jsonpath.ts';

const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';
const MAX_INT32 = 2147483647;

export interface ServeOptions {
  /** Names to serve under (the CRD's accepted names). */
  names?: KubeObject;
  /** A terminating CRD no longer accepts creates. */
  terminating?: boolean;
}

/** One description per served version of the CRD. */
export function describeCustomResources(crd: KubeObject, defs: TypeDefs, opts: ServeOptions = {}): ResourceDescription[] {
  const names = { ...namesOf(crd), ...(opts.names ?? {}) };
  const kind: string = names.kind;
  const plural: string = names.plural;
  return versionsOf(crd).filter((v) => v.served).map((v): ResourceDescription => {
    const schema = v.schema?.openAPIV3Schema;
    const scope = crd.spec?.scope === 'Cluster' ? 'Cluster' : 'Namespaced';
    const subresources: Subresources = {};
    if (v.subresources?.status) subresources.status = true;
    if (v.subresources?.scale) subresources.scale = { ...v.subresources.scale };
    const desc: ResourceDescription = {
      group: crd.spec.group,
      version: v.name,
      kind,
      listKind: names.listKind || `${kind}List`,
      plural,
      singular: names.singular || kind.toLowerCase(),
      scope,
      verbs: opts.terminating ? ALL_VERBS.filter((verb) => verb !== 'create') : ALL_VERBS,
      crd: crd.metadata.name,
      printerColumns: printerColumnsFor(v.additionalPrinterColumns),
      generation: true,
      defaults: (obj) => defaultCustomResource(obj, schema),
      validate: (obj, old) => validateCustomResource(obj, old, schema, scope === 'Namespaced', v),
      checkFields: (obj) => checkCustomResourceFields(obj, schema, defs),
    };
    if (names.shortNames?.length) desc.shortNames = [...names.shortNames];
    if (names.categories?.length) desc.categories = [...names.categories];
    if (subresources.status || subresources.scale) desc.subresources = subresources;
    if (schema) desc.openAPISchema = schema;
    if (v.selectableFields?.length) desc.selectableFields = selectableFields(v.selectableFields);
    const storage = storageVersionOf(crd);
    if (versionsOf(crd).length > 1 && storage) desc.storedAs = versionConversion(desc.group, plural, v.name, storage, schema);
    return desc;
  });
}

function selectableFields(fields: { jsonPath: string }[]): Record<string, (obj: KubeObject) => string | undefined> {
  const out: Record<string, (obj: KubeObject) => string | undefined> = {};
  for (const f of fields) {
    const steps = parseJSONPath(f.jsonPath);
    out[f.jsonPath.replace(/^\./, '')] = (obj) => {
      const r = evaluateJSONPath(steps, obj);
      return r.length ? jsonPathText(r[0]) : undefined;
    };
  }
  return out;
}

/** Prune what the schema does not know, drop non-nullable nulls, fill defaults (upstream's decode-time steps). */
export function defaultCustomResource(obj: KubeObject, schema: JSONSchemaProps | undefined): void {
  prune(obj, schema);
  pruneNulls(obj, schema);
  applyDefaults(obj, schema);
}

/** Prunes unknown fields in place and reports them (metadata against ObjectMeta, the rest against the schema). */
export function checkCustomResourceFields(obj: KubeObject, schema: JSONSchemaProps | undefined, defs: TypeDefs): { unknown: string[]; typeError?: string } {
  const unknown: string[] = [];
  let typeError: string | undefined;
  if (isObject(obj.metadata) && defs[OBJECT_META]) {
    const r = checkAgainstSchema(obj.metadata, defs, OBJECT_META);
    unknown.push(...r.unknown.map((p) => `metadata.${p}`));
    typeError = r.typeError;
  }
  unknown.push(...prune(obj, schema));
  const result: { unknown: string[]; typeError?: string } = { unknown: unknown.sort() };
  if (typeError) result.typeError = typeError;
  return result;
}

export function validateCustomResource(obj: KubeObject, old: KubeObject | undefined, schema: JSONSchemaProps | undefined, namespaced: boolean, version: CrdVersion): FieldError[] {
  const errs: FieldError[] = old
    ? validateObjectMetaUpdate(obj.metadata, old.metadata, { builtin: false })
    : validateObjectMeta(obj.metadata, { requiresNamespace: namespaced, nameFn: nameIsDNSSubdomain, builtin: false });
  errs.push(...validateValue(obj, schema));
  errs.push(...validateEmbeddedResources(obj, schema, '', true));
  const scale = version.subresources?.scale;
  if (scale) {
    errs.push(...replicasErrors(obj, scale.specReplicasPath));
    errs.push(...replicasErrors(obj, scale.statusReplicasPath));
  }
  return errs;
}

/** Nested x-kubernetes-embedded-resource objects need apiVersion and kind (upstream's objectmeta validation). */
function validateEmbeddedResources(x: unknown, s: JSONSchemaProps | undefined, path: string, root = false): FieldError[] {
  if (!s) return [];
  const errs: FieldError[] = [];
  const at = (k: string) => (path ? `${path}.${k}` : k);
  if (Array.isArray(x)) {
    x.forEach((item, i) => errs.push(...validateEmbeddedResources(item, s.items, `${path}[${i}]`)));
    return errs;
  }
  if (!isObject(x)) return errs;
  if (s['x-kubernetes-embedded-resource'] && !root) {
    if (!Object.hasOwn(x, 'apiVersion')) errs.push(fieldErrors.required(at('apiVersion'), ''));
    if (!Object.hasOwn(x, 'kind')) errs.push(fieldErrors.required(at('kind'), ''));
    if (Object.hasOwn(x, 'apiVersion')) {
      if (typeof x.apiVersion !== 'string') errs.push(fieldErrors.invalid(at('apiVersion'), x.apiVersion, 'must be a string'));
      else if (!x.apiVersion) errs.push(fieldErrors.invalid(at('apiVersion'), '', 'must not be empty'));
    }
    if (Object.hasOwn(x, 'kind')) {
      if (typeof x.kind !== 'string') errs.push(fieldErrors.invalid(at('kind'), x.kind, 'must be a string'));
      else if (!x.kind) errs.push(fieldErrors.invalid(at('kind'), '', 'must not be empty'));
      else {
        const msgs = isDNS1035Label(x.kind.toLowerCase());
        if (msgs.length) errs.push(fieldErrors.invalid(at('kind'), x.kind, `may have mixed case, but should otherwise match: ${msgs.join(',')}`));
      }
    }
  }
  for (const [k, v] of Object.entries(x)) {
    const prop = s.properties?.[k];
    if (prop) errs.push(...validateEmbeddedResources(v, prop, at(k)));
    else if (s.additionalProperties && typeof s.additionalProperties === 'object') errs.push(...validateEmbeddedResources(v, s.additionalProperties, `${path}[${k}]`));
  }
  return errs;
}

/** The scale subresource's replicas fields must hold a non-negative int32 (upstream's ValidateScaleSpec/Status). */
function replicasErrors(obj: KubeObject, path: string): FieldError[] {
  let cur: unknown = obj;
  for (const part of path.replace(/^\./, '').split('.')) {
    if (!isObject(cur) || !Object.hasOwn(cur, part)) return [];
    cur = cur[part];
  }
  if (typeof cur !== 'number' || !Number.isInteger(cur)) return [];
  if (cur < 0) return [fieldErrors.invalid(path, cur, 'should be a non-negative integer')];
  if (cur > MAX_INT32) return [fieldErrors.invalid(path, cur, `should be less than or equal to ${MAX_INT32}`)];
  return [];
}

/**
 * Conversion strategy None: objects are stored once, in the storage version, and served in any
 * version with only apiVersion rewritten; on read they are pruned and defaulted with the served
 * version's schema, as upstream does when decoding from storage.
 */
export function versionConversion(group: string, plural: string, served: string, storage: string, schema?: JSONSchemaProps): NonNullable<ResourceDescription['storedAs']> {
  const storedVersion = `${group}/${storage}`;
  const servedVersion = `${group}/${served}`;
  return {
    group, plural,
    toStored: (obj) => (obj.apiVersion === storedVersion ? obj : { ...obj, apiVersion: storedVersion }),
    // Any stored object may have been written through another version's schema.
    fromStored: (obj) => {
      const out = structuredClone(obj);
      out.apiVersion = servedVersion;
      defaultCustomResource(out, schema);
      return out;
    },
  };
}
