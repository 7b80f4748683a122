import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseApplyPatch } from './apply-body.ts';
import { isPatchError } from './errors.ts';

test('decodes JSON and YAML apply bodies', () => {
  assert.deepEqual(parseApplyPatch('{"kind":"Pod","spec":{"a":[1]}}'), { kind: 'Pod', spec: { a: [1] } });
  assert.deepEqual(parseApplyPatch(new TextEncoder().encode('kind: Pod\nspec:\n  a: [1]\n')), { kind: 'Pod', spec: { a: [1] } });
});

test('a body that is not a map is 400 error decoding patch', () => {
  assert.throws(() => parseApplyPatch('[1]'), (e: unknown) => isPatchError(e) && e.code === 400 && e.message === 'error decoding patch: json: cannot unmarshal array into Go value of type map[string]interface {}');
  assert.throws(() => parseApplyPatch('a: [1'), (e: unknown) => isPatchError(e) && e.code === 400 && e.message.startsWith('error decoding patch: '));
});
