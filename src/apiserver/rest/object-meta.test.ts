import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deepEqual, specChanged } from './object-meta.ts';

test('deepEqual compares JSON values: key order and undefined keys do not count, array order does', () => {
  assert.ok(deepEqual({ a: 1, b: { c: [1, 2, { d: 'x' }] } }, { b: { c: [1, 2, { d: 'x' }] }, a: 1 }));
  assert.ok(deepEqual({ a: 1, gone: undefined }, { a: 1 }));
  assert.ok(deepEqual({ a: 1 }, { a: 1, gone: undefined }));
  assert.ok(!deepEqual({ a: 1 }, { a: 1, b: null }));
  assert.ok(!deepEqual([1, 2], [2, 1]));
  assert.ok(!deepEqual([1], { 0: 1 }));
  assert.ok(!deepEqual({ a: '1' }, { a: 1 }));
  assert.ok(!deepEqual({ a: { b: 1 } }, { a: { b: 1, c: 2 } }));
  assert.ok(deepEqual(null, null));
  assert.ok(!deepEqual(null, {}));
});

test('specChanged looks past metadata, apiVersion, kind and the status fields', () => {
  const old = { apiVersion: 'v1', kind: 'X', metadata: { name: 'a', labels: { x: '1' } }, spec: { n: 1 }, status: { s: 1 } };
  assert.equal(specChanged({ ...old, metadata: { name: 'a' }, status: { s: 2 } }, old, ['status']), false);
  assert.equal(specChanged({ ...old, spec: { n: 2 } }, old, ['status']), true);
  assert.equal(specChanged({ ...old, data: { k: 'v' } }, old, ['status']), true, 'a new top-level field');
  const { spec: _dropped, ...withoutSpec } = old;
  assert.equal(specChanged(withoutSpec, old, ['status']), true, 'a field removed');
});
