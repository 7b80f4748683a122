import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderFieldError } from '../../api/validation/field-error.ts';
import { builtinTypes } from '../../api/schema/index.ts';
import { describeCustomResources, versionConversion } from './custom-resource.ts';

const crd = {
  metadata: { name: 'things.x.example.com' },
  spec: {
    group: 'x.example.com', scope: 'Cluster',
    names: { plural: 'things', singular: 'thing', kind: 'Thing', listKind: 'ThingList', categories: ['all'] },
    versions: [
      {
        name: 'v1', served: true, storage: true,
        subresources: { status: {}, scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' } },
        selectableFields: [{ jsonPath: '.spec.color' }],
        schema: { openAPIV3Schema: { type: 'object', properties: {
          spec: { type: 'object', properties: { replicas: { type: 'integer' }, color: { type: 'string', default: 'red' }, template: { type: 'object', 'x-kubernetes-embedded-resource': true, 'x-kubernetes-preserve-unknown-fields': true } } },
          status: { type: 'object', properties: { replicas: { type: 'integer' } } },
        } } },
      },
      { name: 'v2', served: false, storage: false },
    ],
  },
};

test('one description per served version carries the CRD names, scope, subresources and schema', () => {
  const descs = describeCustomResources(crd, builtinTypes);
  assert.deepEqual(descs.map((d) => d.version), ['v1']);
  const d = descs[0]!;
  assert.deepEqual([d.group, d.kind, d.listKind, d.plural, d.singular, d.scope, d.crd], ['x.example.com', 'Thing', 'ThingList', 'things', 'thing', 'Cluster', 'things.x.example.com']);
  assert.deepEqual(d.categories, ['all']);
  assert.deepEqual(d.subresources, { status: true, scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' } });
  assert.equal(d.selectableFields!['spec.color']!({ spec: { color: 'blue' } }), 'blue');
  assert.ok(d.verbs.includes('create'));
  assert.ok(!describeCustomResources(crd, builtinTypes, { terminating: true })[0]!.verbs.includes('create'));
});

test('checkFields prunes and reports unknown fields, metadata included', () => {
  const d = describeCustomResources(crd, builtinTypes)[0]!;
  const obj: any = { apiVersion: 'x.example.com/v1', kind: 'Thing', metadata: { name: 'a', bogus: 1 }, spec: { replicas: 1, nope: true } };
  assert.deepEqual(d.checkFields!(obj), { unknown: ['metadata.bogus', 'spec.nope'] });
  assert.deepEqual(obj, { apiVersion: 'x.example.com/v1', kind: 'Thing', metadata: { name: 'a' }, spec: { replicas: 1 } });
});

test('validation covers metadata, the schema, embedded resources and scale replicas', () => {
  const d = describeCustomResources(crd, builtinTypes)[0]!;
  const obj: any = { metadata: { name: 'Bad_Name' }, spec: { replicas: -1, template: { kind: 'Pod' } } };
  d.defaults!(obj);
  assert.equal(obj.spec.color, 'red');
  assert.deepEqual(d.validate!(obj).map(renderFieldError), [
    'metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, \'-\' or \'.\', and must start and end with an alphanumeric character (e.g. \'example.com\', regex used for validation is \'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\')',
    'spec.template.apiVersion: Required value',
    '.spec.replicas: Invalid value: -1: should be a non-negative integer',
  ]);
});

test('conversion None stores in the storage version and serves in each version', () => {
  const conv = versionConversion('x.example.com', 'things', 'v1beta1', 'v1', { type: 'object', properties: { spec: { type: 'object', properties: { a: { type: 'string', default: 'd' } } } } });
  const stored = conv.toStored({ apiVersion: 'x.example.com/v1beta1', kind: 'Thing', spec: { b: 1 } });
  assert.equal(stored.apiVersion, 'x.example.com/v1');
  const served = conv.fromStored(stored);
  assert.equal(served.apiVersion, 'x.example.com/v1beta1');
  assert.deepEqual(served.spec, { a: 'd' });
  assert.equal(stored.spec.b, 1, 'the stored object is not changed');
});
