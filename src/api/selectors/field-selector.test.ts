import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FieldSelector, FieldSelectorError, escapeFieldValue } from './index.ts';

test('parses =, == and != terms and matches a field map', () => {
  const s = FieldSelector.parse('metadata.name=web,status.phase!=Running,spec.nodeName==n1');
  assert.deepEqual(s.requirementsFields(), ['metadata.name', 'spec.nodeName', 'status.phase']);
  assert.equal(s.matches({ 'metadata.name': 'web', 'status.phase': 'Pending', 'spec.nodeName': 'n1' }), true);
  assert.equal(s.matches({ 'metadata.name': 'web', 'status.phase': 'Running', 'spec.nodeName': 'n1' }), false);
});

test('a missing field reads as empty', () => {
  assert.equal(FieldSelector.parse('spec.nodeName=').matches({}), true);
  assert.equal(FieldSelector.parse('spec.nodeName!=').matches({}), false);
});

test('unescapes \\, \\= and \\\\ in values and escapes them back', () => {
  const s = FieldSelector.parse('a=x\\,y\\=z\\\\');
  assert.equal(s.requirements[0]!.value, 'x,y=z\\');
  assert.equal(s.toString(), 'a=x\\,y\\=z\\\\');
  assert.equal(escapeFieldValue('a,b'), 'a\\,b');
});

test('reports upstream errors for bad terms and escapes', () => {
  assert.throws(() => FieldSelector.parse('a'), { message: "invalid selector: 'a'; can't understand 'a'" });
  assert.throws(() => FieldSelector.parse('a=b=c'), { message: 'invalid field selector: unescaped character in value: 61' });
  assert.throws(() => FieldSelector.parse('a=b\\x'), { message: 'invalid field selector: invalid escape sequence: \\x' });
  assert.throws(() => FieldSelector.parse('a=b\\'), FieldSelectorError);
});

test('empty terms are ignored and an empty selector matches everything', () => {
  assert.equal(FieldSelector.parse('').isEmpty(), true);
  assert.equal(FieldSelector.parse(',a=b,').requirements.length, 1);
});
