// Validation of CustomResourceDefinitions on create and update, worded as upstream's
// apiextensions validation. Per-version schemas, subresources and columns that are identical in
// every version are reported at their top-level paths (spec.validation…), as upstream converts
// v1 objects to its internal form before validating.
import type { KubeObject } from '../../api/registry/resource.ts';
import {
  fieldErrors, FieldPath, GoLiteral, goQuote, isDNS1035Label, isDNS1123Subdomain, nameIsDNSSubdomain, validateImmutableField,
  validateObjectMeta, validateObjectMetaUpdate, type FieldError,
} from '../../api/validation/index.ts';
import { isConditionTrue, namesOf, versionsOf, type CrdVersion } from './crd-model.ts';
import type { JSONSchemaProps } from './json-schema.ts';
import { validateValue } from './schema-validation.ts';
import { parseJSONPath } from './jsonpath.ts';

const OPENAPI_TYPES = ['array', 'boolean', 'integer', 'number', 'object', 'string'];
const COLUMN_TYPES = ['boolean', 'date', 'integer', 'number', 'string'];
const COLUMN_FORMATS = ['byte', 'date', 'date-time', 'double', 'float', 'int32', 'int64', 'password'];

const stable = (v: unknown): string => JSON.stringify(v, (_k, x) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : 1))) : x));

/** Whether every version carries the same non-empty value of a per-version field. */
function identical(versions: CrdVersion[], pick: (v: CrdVersion) => unknown): boolean {
  if (!versions.length) return false;
  const first = pick(versions[0]!);
  if (first === undefined || first === null || (Array.isArray(first) && !first.length)) return false;
  return versions.every((v) => { const x = pick(v); return x !== undefined && stable(x) === stable(first); });
}

/** Go's %#v of spec.versions as upstream's internal type prints it (collapsed fields are nil). */
function goVersions(versions: CrdVersion[], collapsed: { schema: boolean; subresources: boolean; columns: boolean }): GoLiteral {
  const ptr = (t: string, present: boolean) => (present ? `(*${t})(0xc000000000)` : `(*${t})(nil)`);
  const cols = (c: CrdVersion['additionalPrinterColumns']) => (!c?.length
    ? '[]apiextensions.CustomResourceColumnDefinition(nil)'
    : `[]apiextensions.CustomResourceColumnDefinition{${c.map((x) => `apiextensions.CustomResourceColumnDefinition{Name:${goQuote(x.name ?? '')}, Type:${goQuote(x.type ?? '')}, Format:${goQuote(x.format ?? '')}, Description:${goQuote(x.description ?? '')}, Priority:${x.priority ?? 0}, JSONPath:${goQuote(x.jsonPath ?? '')}}`).join(', ')}}`);
  const items = versions.map((v) => `apiextensions.CustomResourceDefinitionVersion{Name:${goQuote(v.name ?? '')}, Served:${!!v.served}, Storage:${!!v.storage}, Deprecated:${!!v.deprecated}, DeprecationWarning:${ptr('string', v.deprecationWarning !== undefined)}, Schema:${ptr('apiextensions.CustomResourceValidation', !collapsed.schema && !!v.schema)}, Subresources:${ptr('apiextensions.CustomResourceSubresources', !collapsed.subresources && !!v.subresources)}, AdditionalPrinterColumns:${collapsed.columns ? cols(undefined) : cols(v.additionalPrinterColumns)}, SelectableFields:[]apiextensions.SelectableField(nil)}`);
  return new GoLiteral(`[]apiextensions.CustomResourceDefinitionVersion{${items.join(', ')}}`);
}

/** Validates a CRD; `old` is set on update. */
export function validateCustomResourceDefinition(crd: KubeObject, old?: KubeObject): FieldError[] {
  const spec = crd.spec ?? {};
  const names = namesOf(crd);
  const errs: FieldError[] = [];
  if (old) {
    // apiextensions validates metadata generically: no rule on finalizer names beyond being qualified names.
    errs.push(...validateObjectMetaUpdate(crd.metadata, old.metadata, { builtin: false }));
  } else {
    const required = `${names.plural ?? ''}.${spec.group ?? ''}`;
    const nameFn = (name: string, prefix: boolean) => [...nameIsDNSSubdomain(name, prefix), ...(name !== required ? ['must be spec.names.plural+"."+spec.group'] : [])];
    errs.push(...validateObjectMeta(crd.metadata, { requiresNamespace: false, nameFn, builtin: false }));
  }
  const requireSchema = !old || versionsOf(old).every((v) => !!v.schema?.openAPIV3Schema);
  errs.push(...validateSpec(crd, requireSchema));
  if (old) {
    const s = FieldPath.of('spec');
    if (isConditionTrue(old, 'Established')) {
      errs.push(...validateImmutableField(spec.scope, old.spec?.scope, 'spec.scope'));
      errs.push(...validateImmutableField(names.kind, namesOf(old).kind, 'spec.names.kind'));
    }
    errs.push(...validateImmutableField(spec.group, old.spec?.group, String(s.child('group'))));
    errs.push(...validateImmutableField(names.plural, namesOf(old).plural, 'spec.names.plural'));
  }
  errs.push(...validateNames(crd.status?.acceptedNames ?? {}, FieldPath.of('status', 'acceptedNames')));
  errs.push(...validateStoredVersions(crd.status?.storedVersions ?? [], versionsOf(crd)));
  return errs;
}

function validateSpec(crd: KubeObject, requireSchema: boolean): FieldError[] {
  const spec = crd.spec ?? {};
  const errs: FieldError[] = [];
  const p = FieldPath.of('spec');
  const group: string = spec.group ?? '';
  if (!group) errs.push(fieldErrors.required(p.child('group'), ''));
  else {
    const msgs = isDNS1123Subdomain(group);
    if (msgs.length) errs.push(fieldErrors.invalid(p.child('group'), group, msgs.join(',')));
    else if (group.split('.').length < 2) errs.push(fieldErrors.invalid(p.child('group'), group, 'should be a domain with at least one dot'));
  }
  if (!spec.scope) errs.push(fieldErrors.required(p.child('scope'), ''));
  else if (spec.scope !== 'Cluster' && spec.scope !== 'Namespaced') errs.push(fieldErrors.notSupported(p.child('scope'), spec.scope, ['Cluster', 'Namespaced']));

  const versions = versionsOf(crd);
  const collapsed = {
    schema: identical(versions, (v) => v.schema),
    subresources: identical(versions, (v) => v.subresources),
    columns: identical(versions, (v) => v.additionalPrinterColumns),
  };
  if (requireSchema && !collapsed.schema) {
    versions.forEach((v, i) => {
      if (!v.schema?.openAPIV3Schema) errs.push(fieldErrors.required(p.child('versions').index(i).child('schema').child('openAPIV3Schema'), ''));
    });
  }
  let storage = 0;
  const seen = new Set<string>();
  let unique = true;
  versions.forEach((v, i) => {
    const vp = p.child('versions').index(i);
    if (v.storage) storage++;
    if (seen.has(v.name)) unique = false;
    seen.add(v.name);
    const msgs = isDNS1035Label(v.name ?? '');
    if (msgs.length) errs.push(fieldErrors.invalid(vp.child('name'), v.name ?? '', msgs.join(',')));
    if (!collapsed.schema && v.schema?.openAPIV3Schema) {
      errs.push(...validateSchema(v.schema.openAPIV3Schema, vp.child('schema').child('openAPIV3Schema'), !!v.subresources?.status));
    }
    if (!collapsed.subresources) errs.push(...validateSubresources(v.subresources, vp.child('subresources')));
    if (!collapsed.columns) (v.additionalPrinterColumns ?? []).forEach((c, j) => errs.push(...validateColumn(c, vp.child('additionalPrinterColumns').index(j))));
  });
  if (!unique) errs.push(fieldErrors.invalid(p.child('versions'), goVersions(versions, collapsed), 'must contain unique version names'));
  if (storage !== 1) errs.push(fieldErrors.invalid(p.child('versions'), goVersions(versions, collapsed), 'must have exactly one version marked as storage version'));

  const names = spec.names ?? {};
  const np = p.child('names');
  if (!names.plural) errs.push(fieldErrors.required(np.child('plural'), ''));
  if (!names.singular) errs.push(fieldErrors.required(np.child('singular'), ''));
  if (!names.kind) errs.push(fieldErrors.required(np.child('kind'), ''));
  if (!names.listKind) errs.push(fieldErrors.required(np.child('listKind'), ''));
  errs.push(...validateNames(names, np));

  if (collapsed.schema) {
    const v0 = versions[0]!;
    const anyStatus = versions.some((v) => !!v.subresources?.status);
    if (v0.schema?.openAPIV3Schema) errs.push(...validateSchema(v0.schema.openAPIV3Schema, p.child('validation').child('openAPIV3Schema'), anyStatus));
  }
  if (collapsed.subresources) errs.push(...validateSubresources(versions[0]!.subresources, p.child('subresources')));
  if (collapsed.columns) (versions[0]!.additionalPrinterColumns ?? []).forEach((c, j) => errs.push(...validateColumn(c, p.child('additionalPrinterColumns').index(j))));

  const strategy = spec.conversion?.strategy;
  if (strategy !== undefined && strategy !== 'None' && strategy !== 'Webhook') {
    errs.push(fieldErrors.notSupported(p.child('conversion').child('strategy'), strategy, ['None', 'Webhook']));
  }
  if (strategy === 'Webhook' && !spec.conversion?.webhook?.clientConfig) {
    errs.push(fieldErrors.required(p.child('conversion').child('webhookClientConfig'), 'required when strategy is set to Webhook'));
  }
  return errs;
}

function validateNames(names: KubeObject, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const label = (field: string, value: string | undefined, lower = false, prefix = '') => {
    if (!value) return;
    const msgs = isDNS1035Label(lower ? value.toLowerCase() : value);
    if (msgs.length) errs.push(fieldErrors.invalid(p.child(field), value, prefix + msgs.join(',')));
  };
  label('plural', names.plural);
  label('singular', names.singular);
  label('kind', names.kind, true, 'may have mixed case, but should otherwise match: ');
  label('listKind', names.listKind, true, 'may have mixed case, but should otherwise match: ');
  (names.shortNames ?? []).forEach((s: string, i: number) => {
    const msgs = isDNS1035Label(s);
    if (msgs.length) errs.push(fieldErrors.invalid(p.child('shortNames').index(i), s, msgs.join(',')));
  });
  if (names.kind && names.kind === names.listKind) errs.push(fieldErrors.invalid(p.child('listKind'), names.listKind, 'kind and listKind may not be the same'));
  (names.categories ?? []).forEach((c: string, i: number) => {
    const msgs = isDNS1035Label(c);
    if (msgs.length) errs.push(fieldErrors.invalid(p.child('categories').index(i), c, msgs.join(',')));
  });
  return errs;
}

function validateStoredVersions(stored: string[], versions: CrdVersion[]): FieldError[] {
  const p = FieldPath.of('status', 'storedVersions');
  if (!stored.length) return [fieldErrors.invalid(p, new GoLiteral('[]string(nil)'), 'must have at least one stored version')];
  const errs: FieldError[] = [];
  const remaining = new Map(stored.map((v, i) => [v, i]));
  for (const v of versions) {
    if (v.storage && !remaining.has(v.name) && !stored.includes(v.name)) errs.push(fieldErrors.invalid(p, stored, `must have the storage version ${v.name}`));
    remaining.delete(v.name);
  }
  for (const [v, i] of remaining) {
    errs.push(fieldErrors.invalid(p.index(i), v, `missing from spec.versions; ${v} was previously a storage version, and must remain in spec.versions until a storage migration ensures no data remains persisted in ${v} and removes ${v} from status.storedVersions`));
  }
  return errs;
}

function simpleJSONPath(s: string, p: FieldPath): FieldError[] {
  if (s.length === 0) return [fieldErrors.invalid(p, s, 'must not be empty')];
  if (s[0] !== '.') return [fieldErrors.invalid(p, s, 'must be a simple json path starting with .')];
  return [];
}

function validateColumn(c: KubeObject, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (!c.name) errs.push(fieldErrors.required(p.child('name'), ''));
  if (!c.type) errs.push(fieldErrors.required(p.child('type'), `must be one of ${COLUMN_TYPES.join(',')}`));
  else if (!COLUMN_TYPES.includes(c.type)) errs.push(fieldErrors.invalid(p.child('type'), c.type, `must be one of ${COLUMN_TYPES.join(',')}`));
  if (c.format && !COLUMN_FORMATS.includes(c.format)) errs.push(fieldErrors.invalid(p.child('format'), c.format, `must be one of ${COLUMN_FORMATS.join(',')}`));
  if (!c.jsonPath) errs.push(fieldErrors.required(p.child('JSONPath'), ''));
  else {
    errs.push(...simpleJSONPath(c.jsonPath, p.child('JSONPath')));
    try { parseJSONPath(c.jsonPath); } catch (e) { errs.push(fieldErrors.invalid(p.child('JSONPath'), c.jsonPath, (e as Error).message)); }
  }
  return errs;
}

function validateSubresources(sub: CrdVersion['subresources'], p: FieldPath): FieldError[] {
  const scale = sub?.scale;
  if (!scale) return [];
  const errs: FieldError[] = [];
  const check = (field: string, value: string | undefined, prefixes: string[], message: string, required: boolean) => {
    const fp = p.child(`scale.${field}`);
    if (!value) { if (required) errs.push(fieldErrors.required(fp, '')); return; }
    const bad = simpleJSONPath(value, fp);
    if (bad.length) errs.push(...bad);
    else if (!prefixes.some((x) => value.startsWith(x))) errs.push(fieldErrors.invalid(fp, value, message));
  };
  check('specReplicasPath', scale.specReplicasPath, ['.spec.'], 'should be a json path under .spec', true);
  check('statusReplicasPath', scale.statusReplicasPath, ['.status.'], 'should be a json path under .status', true);
  check('labelSelectorPath', scale.labelSelectorPath, ['.spec.', '.status.'], 'should be a json path under either .spec or .status', false);
  return errs;
}

type Level = 'root' | 'field' | 'item';

/** Structural-schema rules and value rules of an openAPIV3Schema, plus its defaults checked against it. */
function validateSchema(schema: JSONSchemaProps, p: FieldPath, statusEnabled: boolean): FieldError[] {
  const errs: FieldError[] = [];
  if (statusEnabled && schema.type !== undefined && schema.type !== 'object') {
    errs.push(fieldErrors.invalid(p.child('type'), schema.type, 'only "object" is allowed as the type at the root of the schema if the status subresource is enabled'));
  }
  if (schema.nullable) errs.push(fieldErrors.forbidden(p.child('nullable'), 'nullable cannot be true at the root'));
  walkSchema(schema, p, 'root', '', errs);
  return errs;
}

function walkSchema(s: JSONSchemaProps, p: FieldPath, level: Level, crPath: string, errs: FieldError[]): void {
  if (s.type !== undefined && s.type !== '' && !OPENAPI_TYPES.includes(s.type)) errs.push(fieldErrors.notSupported(p.child('type'), s.type, OPENAPI_TYPES));
  if (s.uniqueItems) errs.push(fieldErrors.forbidden(p.child('uniqueItems'), 'uniqueItems cannot be set to true since the runtime complexity becomes quadratic'));
  if (s.properties && Object.keys(s.properties).length && s.additionalProperties !== undefined && s.additionalProperties !== true) {
    errs.push(fieldErrors.forbidden(p.child('additionalProperties'), 'additionalProperties and properties are mutual exclusive'));
  }
  if (s['x-kubernetes-preserve-unknown-fields'] === false) errs.push(fieldErrors.invalid(p.child('x-kubernetes-preserve-unknown-fields'), false, 'must be true or undefined'));
  if (s.type === 'array' && !s.items) errs.push(fieldErrors.required(p.child('items'), 'must be specified'));
  if (s.items) walkSchema(s.items, p.child('items'), 'item', `${crPath}[0]`, errs);
  for (const [k, v] of Object.entries(s.properties ?? {})) walkSchema(v, p.child('properties').key(k), 'field', crPath ? `${crPath}.${k}` : k, errs);
  if (s.additionalProperties !== undefined && typeof s.additionalProperties === 'object') {
    if (level === 'root') errs.push(fieldErrors.forbidden(p.child('additionalProperties'), 'must not be used at the root'));
    walkSchema(s.additionalProperties, p.child('additionalProperties'), 'field', `${crPath}.key`, errs);
  }
  const embedded = !!s['x-kubernetes-embedded-resource'];
  if (embedded && s.type !== 'object') {
    if (!s.type) errs.push(fieldErrors.required(p.child('type'), 'must be object if x-kubernetes-embedded-resource is true'));
    else errs.push(fieldErrors.invalid(p.child('type'), s.type, 'must be object if x-kubernetes-embedded-resource is true'));
  } else if (!s.type && !s['x-kubernetes-int-or-string'] && !s['x-kubernetes-preserve-unknown-fields']) {
    const detail = level === 'root' ? 'must not be empty at the root' : level === 'item' ? 'must not be empty for specified array items' : 'must not be empty for specified object fields';
    errs.push(fieldErrors.required(p.child('type'), detail));
  }
  if (level === 'root' && s.type && s.type !== 'object') errs.push(fieldErrors.invalid(p.child('type'), s.type, 'must be object at the root'));
  if (s['x-kubernetes-int-or-string'] && s['x-kubernetes-preserve-unknown-fields']) {
    errs.push(fieldErrors.invalid(p.child('x-kubernetes-preserve-unknown-fields'), true, 'must be false if x-kubernetes-int-or-string is true'));
  }
  if (s.pattern !== undefined) {
    try { new RegExp(s.pattern, 'u'); } catch (e) {
      errs.push(fieldErrors.invalid(p.child('pattern'), s.pattern, `must be a valid regular expression, but isn't: ${(e as Error).message}`));
    }
  }
  const listType = s['x-kubernetes-list-type'];
  if (listType !== undefined) {
    if (s.type !== 'array') {
      if (!s.type) errs.push(fieldErrors.required(p.child('type'), 'must be array if x-kubernetes-list-type is specified'));
      else errs.push(fieldErrors.invalid(p.child('type'), s.type, 'must be array if x-kubernetes-list-type is specified'));
    }
    if (!['atomic', 'set', 'map'].includes(listType)) errs.push(fieldErrors.notSupported(p.child('x-kubernetes-list-type'), listType, ['atomic', 'set', 'map']));
    if (listType === 'map' && !(s['x-kubernetes-list-map-keys'] ?? []).length) errs.push(fieldErrors.required(p.child('x-kubernetes-list-map-keys'), 'must not be empty if x-kubernetes-list-type is map'));
  }
  const mapType = s['x-kubernetes-map-type'];
  if (mapType !== undefined && !['atomic', 'granular'].includes(mapType)) errs.push(fieldErrors.notSupported(p.child('x-kubernetes-map-type'), mapType, ['atomic', 'granular']));
  if (level !== 'root' && s.properties?.metadata && !embedded) {
    errs.push(fieldErrors.forbidden(p.child('properties').key('metadata'), 'must not be specified in a nested context'));
  }
  if (s.default !== undefined && level !== 'root') {
    for (const e of validateValue(s.default, { ...s, default: undefined }, crPath)) {
      errs.push({ ...e, field: String(p.child('default')) });
    }
  }
}
