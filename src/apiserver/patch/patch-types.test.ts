import { test } from 'node:test';
import assert from 'node:assert/strict';
import { patchTypeOf, supportedPatchTypes } from './patch-types.ts';

test('typed kinds accept all four patch types in upstream order', () => {
  assert.deepEqual(supportedPatchTypes(true), ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json', 'application/apply-patch+yaml']);
});

test('custom resources do not accept strategic merge patch', () => {
  assert.equal(patchTypeOf('application/strategic-merge-patch+json', false), undefined);
  assert.deepEqual(supportedPatchTypes(false), ['application/json-patch+json', 'application/merge-patch+json', 'application/apply-patch+yaml']);
});

test('maps content types to patch kinds, ignoring parameters and case', () => {
  assert.equal(patchTypeOf('application/merge-patch+json; charset=utf-8', false), 'merge');
  assert.equal(patchTypeOf('Application/Apply-Patch+YAML', true), 'apply');
  assert.equal(patchTypeOf('application/json', true), undefined);
  assert.equal(patchTypeOf(undefined, true), undefined);
});
