import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderFieldError } from '../../api/validation/field-error.ts';
import { validateValue, goFloat } from './schema-validation.ts';
import type { JSONSchemaProps } from './json-schema.ts';

const cronTab: JSONSchemaProps = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      required: ['cronSpec'],
      properties: {
        cronSpec: { type: 'string', pattern: '^(\\d+|\\*)(/\\d+)?(\\s+(\\d+|\\*)(/\\d+)?){4}$' },
        image: { type: 'string', maxLength: 5, minLength: 2 },
        replicas: { type: 'integer', minimum: 1, maximum: 10 },
        ratio: { type: 'number', exclusiveMaximum: true, maximum: 0.5, multipleOf: 0.1 },
        mode: { type: 'string', enum: ['fast', 'slow'] },
        port: { 'x-kubernetes-int-or-string': true },
        note: { type: 'string', nullable: true },
        tags: { type: 'array', items: { type: 'string' }, maxItems: 2, minItems: 1 },
        when: { type: 'string', format: 'date-time' },
        labels: { type: 'object', additionalProperties: { type: 'string' } },
      },
    },
  },
};

const messages = (obj: unknown) => validateValue(obj, cronTab).map(renderFieldError);

test('a valid object has no errors', () => {
  assert.deepEqual(messages({ spec: { cronSpec: '* * * * */5', replicas: 3, mode: 'fast', port: 'http', note: null, tags: ['a'], labels: { a: 'b' } } }), []);
});

test('wrong types are reported with the Go type name as the bad value, as upstream', () => {
  assert.deepEqual(messages({ spec: { cronSpec: '* * * * *', replicas: 'three' } }), [
    'spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"',
  ]);
  assert.deepEqual(messages({ spec: { cronSpec: '* * * * *', replicas: 1.5 } }), [
    'spec.replicas: Invalid value: "number": spec.replicas in body must be of type integer: "number"',
  ]);
  assert.deepEqual(messages({ spec: { cronSpec: '* * * * *', port: true } }), [
    'spec.port: Invalid value: "boolean": spec.port in body must be of type integer,string: "boolean"',
  ]);
  assert.deepEqual(messages({ spec: { cronSpec: '* * * * *', image: null } }), [
    'spec.image: Invalid value: "null": spec.image in body must be of type string: "null"',
  ]);
});

test('missing required fields are Required value at their path', () => {
  assert.deepEqual(messages({ spec: {} }), ['spec.cronSpec: Required value']);
  assert.deepEqual(validateValue({}, { type: 'object', required: ['spec'] }).map(renderFieldError), ['spec: Required value']);
});

test('enum, bounds, pattern and lengths use upstream wording', () => {
  assert.deepEqual(messages({ spec: { cronSpec: 'nope', image: 'toolong', replicas: 20, mode: 'medium' } }), [
    "spec.cronSpec: Invalid value: \"nope\": spec.cronSpec in body should match '^(\\d+|\\*)(/\\d+)?(\\s+(\\d+|\\*)(/\\d+)?){4}$'",
    'spec.image: Too long: may not be more than 5 bytes',
    'spec.replicas: Invalid value: 20: spec.replicas in body should be less than or equal to 10',
    'spec.mode: Unsupported value: "medium": supported values: "fast", "slow"',
  ]);
  assert.deepEqual(messages({ spec: { cronSpec: '* * * * *', image: 'a', replicas: 0, ratio: 0.5 } }), [
    'spec.image: Invalid value: "a": spec.image in body should be at least 2 chars long',
    'spec.replicas: Invalid value: 0: spec.replicas in body should be greater than or equal to 1',
    'spec.ratio: Invalid value: 0.5: spec.ratio in body should be less than 0.5',
  ]);
});

test('arrays check items by index and their length', () => {
  assert.deepEqual(messages({ spec: { cronSpec: '* * * * *', tags: ['a', 1, 'c'] } }), [
    'spec.tags[1]: Invalid value: "integer": spec.tags[1] in body must be of type string: "integer"',
    'spec.tags: Too many: 3: must have at most 2 items',
  ]);
  assert.deepEqual(messages({ spec: { cronSpec: '* * * * *', tags: [] } }), [
    'spec.tags: Invalid value: 0: spec.tags in body should have at least 1 items',
  ]);
});

test('map values are checked against additionalProperties and formats are enforced', () => {
  assert.deepEqual(messages({ spec: { cronSpec: '* * * * *', labels: { a: 1 }, when: 'yesterday' } }), [
    'spec.when: Invalid value: "yesterday": spec.when in body must be of type date-time: "yesterday"',
    'spec.labels.a: Invalid value: "integer": spec.labels.a in body must be of type string: "integer"',
  ]);
});

test('list-type set and map reject duplicates', () => {
  const schema: JSONSchemaProps = {
    type: 'object',
    properties: {
      s: { type: 'array', 'x-kubernetes-list-type': 'set', items: { type: 'string' } },
      m: { type: 'array', 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'], items: { type: 'object', properties: { name: { type: 'string' } } } },
    },
  };
  assert.deepEqual(validateValue({ s: ['a', 'a'], m: [{ name: 'x' }, { name: 'x' }] }, schema).map(renderFieldError), [
    's[1]: Duplicate value: "a"',
    'm[1]: Duplicate value: "x"',
  ]);
});

test('floats print as Go prints float64', () => {
  assert.equal(goFloat(10), '10');
  assert.equal(goFloat(0.5), '0.5');
  assert.equal(goFloat(1e21), '1e+21');
  assert.equal(goFloat(0.00001), '1e-05');
});
