import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyJsonPatch, MAX_JSON_PATCH_OPERATIONS } from './json-patch.ts';
import { isPatchError, type PatchError } from './errors.ts';

const pod = () => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', labels: { a: '1' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });

function failure(fn: () => unknown): PatchError {
  try {
    fn();
  } catch (e) {
    assert.ok(isPatchError(e), `expected a PatchError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected the patch to fail');
}

test('applies add, replace, remove, move, copy and test operations in order', () => {
  const out = applyJsonPatch(pod(), JSON.stringify([
    { op: 'test', path: '/metadata/name', value: 'p' },
    { op: 'add', path: '/metadata/labels/b', value: '2' },
    { op: 'replace', path: '/spec/containers/0/image', value: 'nginx:2' },
    { op: 'remove', path: '/metadata/labels/a' },
    { op: 'copy', from: '/metadata/labels/b', path: '/metadata/labels/c' },
    { op: 'move', from: '/metadata/labels/b', path: '/metadata/labels/d' },
    { op: 'add', path: '/spec/containers/-', value: { name: 'd', image: 'busybox' } },
  ]));
  assert.deepEqual(out.metadata.labels, { c: '2', d: '2' });
  assert.deepEqual(out.spec.containers, [{ name: 'c', image: 'nginx:2' }, { name: 'd', image: 'busybox' }]);
});

test('leaves the input object untouched', () => {
  const original = pod();
  applyJsonPatch(original, '[{"op":"replace","path":"/metadata/name","value":"q"}]');
  assert.equal(original.metadata.name, 'p');
});

test('a remove of a missing path is 422 Invalid with the generic message and the library cause kept', () => {
  const e = failure(() => applyJsonPatch(pod(), '[{"op":"remove","path":"/spec/foo"}]'));
  assert.equal(e.code, 422);
  assert.equal(e.reason, 'Invalid');
  assert.equal(e.message, 'the server rejected our request due to an error in our request');
  assert.deepEqual(e.status.details, {});
  assert.equal(e.detail, 'remove operation does not apply: doc is missing path: "/spec/foo": missing value');
});

test('a failed test operation is 422', () => {
  const e = failure(() => applyJsonPatch(pod(), '[{"op":"test","path":"/metadata/name","value":"x"}]'));
  assert.equal(e.code, 422);
  assert.equal(e.detail, 'testing value /metadata/name failed: test failed');
});

test('replace of a missing key and an unknown op are 422', () => {
  assert.equal(failure(() => applyJsonPatch(pod(), '[{"op":"replace","path":"/spec/x","value":1}]')).detail,
    'replace operation does not apply: doc is missing key: /spec/x: missing value');
  assert.equal(failure(() => applyJsonPatch(pod(), '[{"op":"frob","path":"/spec"}]')).detail, 'Unexpected kind: frob');
});

test('an add without value adds null like the Go library', () => {
  const out = applyJsonPatch(pod(), '[{"op":"add","path":"/metadata/x"}]') as Record<string, any>;
  assert.equal(out.metadata.x, null);
});

test('a body that is not a list of operations is 400 BadRequest', () => {
  const notArray = failure(() => applyJsonPatch(pod(), '{"op":"add"}'));
  assert.equal(notArray.code, 400);
  assert.equal(notArray.reason, 'BadRequest');
  assert.equal(notArray.message, 'json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  assert.equal(failure(() => applyJsonPatch(pod(), '[1]')).message, 'json: cannot unmarshal number into Go value of type jsonpatch.Operation');
  assert.equal(failure(() => applyJsonPatch(pod(), '[{')).code, 400);
  assert.equal(failure(() => applyJsonPatch(pod(), '')).message, 'unexpected end of JSON input');
});

test('too many operations is 413', () => {
  const ops = Array.from({ length: MAX_JSON_PATCH_OPERATIONS + 1 }, () => ({ op: 'test', path: '/kind', value: 'Pod' }));
  const e = failure(() => applyJsonPatch(pod(), JSON.stringify(ops)));
  assert.equal(e.code, 413);
  assert.equal(e.message, `The allowed maximum operations in a JSON patch is 10000, got 10001`);
});

test('accepts the body as bytes', () => {
  const out = applyJsonPatch(pod(), new TextEncoder().encode('[{"op":"replace","path":"/kind","value":"X"}]'));
  assert.equal(out.kind, 'X');
});
