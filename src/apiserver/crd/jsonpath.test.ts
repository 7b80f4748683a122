import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateJSONPath, parseJSONPath, jsonPathText } from './jsonpath.ts';

const obj = {
  metadata: { name: 'x', labels: { 'app.kubernetes.io/name': 'web' } },
  spec: { cronSpec: '* * * * *', replicas: 3, ports: [{ name: 'http', port: 80 }, { name: 'https', port: 443 }] },
  status: { conditions: [{ type: 'Ready', status: 'True' }, { type: 'Synced', status: 'False' }] },
};

const eval1 = (path: string) => evaluateJSONPath(parseJSONPath(path), obj);

test('fields, indexes and slices select values', () => {
  assert.deepEqual(eval1('.spec.cronSpec'), ['* * * * *']);
  assert.deepEqual(eval1('{.spec.replicas}'), [3]);
  assert.deepEqual(eval1('.spec.ports[1].port'), [443]);
  assert.deepEqual(eval1('.spec.ports[-1].name'), ['https']);
  assert.deepEqual(eval1('.spec.ports[0:1].name'), ['http']);
  assert.deepEqual(eval1('.spec.ports[*].port'), [80, 443]);
});

test('quoted keys, recursive descent and filters', () => {
  assert.deepEqual(eval1(".metadata.labels['app.kubernetes.io/name']"), ['web']);
  assert.deepEqual(eval1('..port'), [80, 443]);
  assert.deepEqual(eval1('.status.conditions[?(@.type=="Ready")].status'), ['True']);
  assert.deepEqual(eval1(".status.conditions[?(@.status!='True')].type"), ['Synced']);
  assert.deepEqual(eval1('.spec.ports[?(@.port>100)].name'), ['https']);
});

test('missing keys select nothing', () => {
  assert.deepEqual(eval1('.spec.missing.deeper'), []);
  assert.deepEqual(eval1('.spec.ports[5]'), []);
});

test('values print as kubectl prints them', () => {
  assert.equal(jsonPathText('a'), 'a');
  assert.equal(jsonPathText(3), '3');
  assert.equal(jsonPathText(true), 'true');
  assert.equal(jsonPathText({ a: [1] }), '{"a":[1]}');
});

test('malformed paths are rejected', () => {
  assert.throws(() => parseJSONPath('.spec[0'));
  assert.throws(() => parseJSONPath('.spec[?(x)]'));
});
