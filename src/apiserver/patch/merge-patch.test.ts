import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyMergePatch } from './merge-patch.ts';
import { isPatchError } from './errors.ts';

const deploy = () => ({
  metadata: { name: 'd', labels: { app: 'web', tier: 'fe' } },
  spec: { replicas: 1, template: { spec: { containers: [{ name: 'a', image: 'x' }, { name: 'b', image: 'y' }] } } },
});

test('merges objects recursively and replaces scalars', () => {
  const out = applyMergePatch(deploy(), '{"spec":{"replicas":3},"metadata":{"labels":{"tier":"be"}}}');
  assert.equal(out.spec.replicas, 3);
  assert.deepEqual(out.metadata.labels, { app: 'web', tier: 'be' });
  assert.equal(out.spec.template.spec.containers.length, 2);
});

test('null deletes a key', () => {
  const out = applyMergePatch(deploy(), '{"metadata":{"labels":{"tier":null}}}');
  assert.deepEqual(out.metadata.labels, { app: 'web' });
});

test('arrays are replaced whole', () => {
  const out = applyMergePatch(deploy(), '{"spec":{"template":{"spec":{"containers":[{"name":"b","image":"z"}]}}}}');
  assert.deepEqual(out.spec.template.spec.containers, [{ name: 'b', image: 'z' }]);
});

test('nulls inside newly added objects are dropped', () => {
  const out = applyMergePatch(deploy(), { spec: { strategy: { type: 'Recreate', rollingUpdate: null } } }) as Record<string, any>;
  assert.deepEqual(out.spec.strategy, { type: 'Recreate' });
});

test('an object replacing a scalar is taken as is', () => {
  const out = applyMergePatch({ a: 1 } as Record<string, unknown>, '{"a":{"b":null,"c":2}}');
  assert.deepEqual(out.a, { c: 2 });
});

test('does not modify its inputs', () => {
  const original = deploy();
  const patch = { metadata: { labels: { app: null } } };
  applyMergePatch(original, patch);
  assert.equal(original.metadata.labels.app, 'web');
  assert.deepEqual(patch, { metadata: { labels: { app: null } } });
});

test('a patch that is not an object is 400 Invalid JSON Patch', () => {
  for (const body of ['null', '[1]', '5', '{']) {
    assert.throws(() => applyMergePatch(deploy(), body), (e: unknown) => isPatchError(e) && e.code === 400 && e.message === 'Invalid JSON Patch', body);
  }
});
