import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderFieldError } from '../../api/validation/field-error.ts';
import { validateCustomResourceDefinition } from './crd-validation.ts';
import { defaultCustomResourceDefinition } from './crd-strategy.ts';

function crd(mutate: (c: any) => void = () => {}): any {
  const c: any = {
    metadata: { name: 'crontabs.stable.example.com' },
    spec: {
      group: 'stable.example.com', scope: 'Namespaced',
      names: { plural: 'crontabs', kind: 'CronTab' },
      versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { cronSpec: { type: 'string' } } } } } } }],
    },
    status: { storedVersions: ['v1'] },
  };
  mutate(c);
  defaultCustomResourceDefinition(c);
  return c;
}

const messages = (c: any, old?: any) => validateCustomResourceDefinition(c, old).map(renderFieldError);

test('a well-formed CRD is valid after v1 defaulting', () => {
  const c = crd();
  assert.deepEqual(messages(c), []);
  assert.equal(c.spec.names.singular, 'crontab');
  assert.equal(c.spec.names.listKind, 'CronTabList');
  assert.deepEqual(c.spec.conversion, { strategy: 'None' });
});

test('the name must be plural.group', () => {
  assert.deepEqual(messages(crd((c) => { c.metadata.name = 'wrong.stable.example.com'; })), [
    'metadata.name: Invalid value: "wrong.stable.example.com": must be spec.names.plural+"."+spec.group',
  ]);
});

test('exactly one storage version, unique names and a schema per version are required', () => {
  const none = messages(crd((c) => { c.spec.versions[0].storage = false; }));
  assert.equal(none.length, 1);
  assert.match(none[0]!, /^spec\.versions: Invalid value: \[\]apiextensions\.CustomResourceDefinitionVersion\{apiextensions\.CustomResourceDefinitionVersion\{Name:"v1", Served:true, Storage:false, .*\}: must have exactly one version marked as storage version$/);
  const noSchema = messages(crd((c) => { delete c.spec.versions[0].schema; }));
  assert.deepEqual(noSchema, ['spec.versions[0].schema.openAPIV3Schema: Required value']);
  const dup = messages(crd((c) => { c.spec.versions.push({ ...c.spec.versions[0], storage: false }); }));
  assert.ok(dup.some((m) => m.endsWith('must contain unique version names')), dup.join('\n'));
});

// The doubled space before "or" is upstream's own wording of DNS-1035 errors.
test('group, scope and names are checked', () => {
  assert.deepEqual(messages(crd((c) => { c.spec.group = 'example'; c.metadata.name = 'crontabs.example'; c.spec.scope = 'Global'; c.spec.names.shortNames = ['Bad_Name']; })), [
    'spec.group: Invalid value: "example": should be a domain with at least one dot',
    'spec.scope: Unsupported value: "Global": supported values: "Cluster", "Namespaced"',
    'spec.names.shortNames[0]: Invalid value: "Bad_Name": a DNS-1035 label must consist of lower case alphanumeric characters or \'-\', start with an alphabetic character, and end with an alphanumeric character (e.g. \'my-name\',  or \'abc-123\', regex used for validation is \'[a-z]([-a-z0-9]*[a-z0-9])?\')',
  ]);
});

test('schema errors are reported at spec.validation when all versions share the schema', () => {
  const out = messages(crd((c) => { c.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.cronSpec = { description: 'no type' }; }));
  assert.deepEqual(out, ['spec.validation.openAPIV3Schema.properties[spec].properties[cronSpec].type: Required value: must not be empty for specified object fields']);
  const bad = messages(crd((c) => { c.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.cronSpec = { type: 'text' }; }));
  assert.deepEqual(bad, ['spec.validation.openAPIV3Schema.properties[spec].properties[cronSpec].type: Unsupported value: "text": supported values: "array", "boolean", "integer", "number", "object", "string"']);
  const def = messages(crd((c) => { c.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.cronSpec = { type: 'integer', default: 'x' }; }));
  assert.deepEqual(def, ['spec.validation.openAPIV3Schema.properties[spec].properties[cronSpec].default: Invalid value: "string": spec.cronSpec in body must be of type integer: "string"']);
});

test('printer columns and scale paths are checked', () => {
  const out = messages(crd((c) => {
    c.spec.versions[0].additionalPrinterColumns = [{ name: 'X', type: 'text', jsonPath: 'spec.x' }];
    c.spec.versions[0].subresources = { scale: { specReplicasPath: '.status.replicas', statusReplicasPath: '.status.replicas' } };
  }));
  assert.deepEqual(out, [
    'spec.subresources.scale.specReplicasPath: Invalid value: ".status.replicas": should be a json path under .spec',
    'spec.additionalPrinterColumns[0].type: Invalid value: "text": must be one of boolean,date,integer,number,string',
    'spec.additionalPrinterColumns[0].JSONPath: Invalid value: "spec.x": must be a simple json path starting with .',
  ]);
});

test('on update, group and plural are immutable and kind too once established', () => {
  const old = crd((c) => { c.metadata.resourceVersion = '1'; c.status.conditions = [{ type: 'Established', status: 'True' }]; });
  const next = crd((c) => { c.metadata.resourceVersion = '1'; c.spec.names.kind = 'Other'; c.spec.names.listKind = 'OtherList'; });
  assert.deepEqual(messages(next, old), ['spec.names.kind: Invalid value: "Other": field is immutable']);
});
