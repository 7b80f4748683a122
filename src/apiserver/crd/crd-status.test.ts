import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeNaming, setCondition, withNaming } from './crd-status.ts';

const crd = (plural: string, kind: string, extra: Record<string, unknown> = {}) => ({
  metadata: { name: `${plural}.g.example.com` },
  spec: { group: 'g.example.com', names: { plural, singular: plural.slice(0, -1), kind, listKind: `${kind}List`, ...extra } },
});
const accepted = (c: any) => ({ ...c, status: { acceptedNames: c.spec.names, conditions: [{ type: 'Established', status: 'True', reason: 'InitialNamesAccepted' }] } });

test('names without conflicts are accepted and the CRD becomes established', () => {
  const n = computeNaming(crd('foos', 'Foo', { shortNames: ['fo'] }), []);
  assert.deepEqual(n.acceptedNames, { plural: 'foos', singular: 'foo', kind: 'Foo', listKind: 'FooList', shortNames: ['fo'] });
  assert.deepEqual(n.namesAccepted, { type: 'NamesAccepted', status: 'True', reason: 'NoConflicts', message: 'no conflicts found' });
  assert.deepEqual(n.established, { type: 'Established', status: 'True', reason: 'InitialNamesAccepted', message: 'the initial names have been accepted' });
});

test('a plural, short name or kind used by another CRD of the group is a conflict', () => {
  const other = accepted(crd('bars', 'Bar', { shortNames: ['fo'] }));
  const plural = computeNaming(crd('bars', 'Baz', { singular: 'baz' }), [other]);
  assert.deepEqual([plural.namesAccepted.status, plural.namesAccepted.reason, plural.namesAccepted.message], ['False', 'PluralConflict', '"bars" is already in use']);
  assert.equal(plural.established.status, 'False');
  assert.equal(plural.established.reason, 'NotAccepted');
  const short = computeNaming(crd('foos', 'Foo', { shortNames: ['fo'] }), [other]);
  assert.equal(short.namesAccepted.reason, 'ShortNamesConflict');
  const kind = computeNaming(crd('quxs', 'Bar', { listKind: 'QuxList' }), [other]);
  assert.equal(kind.namesAccepted.reason, 'KindConflict');
});

test('an established CRD stays established and keeps its transition times when nothing changes', () => {
  const c: any = crd('foos', 'Foo');
  const first = withNaming(c, computeNaming(c, []), '2024-01-01T00:00:00Z');
  const again = withNaming(first, computeNaming(first, []), '2024-02-02T00:00:00Z');
  assert.deepEqual(again.status, first.status);
  assert.deepEqual(first.status.conditions.map((x: any) => x.type), ['NamesAccepted', 'Established']);
});

test('setCondition changes the transition time only when the status changes', () => {
  const c: any = {};
  setCondition(c, { type: 'Terminating', status: 'True', reason: 'A' }, 't1');
  setCondition(c, { type: 'Terminating', status: 'True', reason: 'B' }, 't2');
  assert.deepEqual(c.status.conditions, [{ type: 'Terminating', status: 'True', reason: 'B', lastTransitionTime: 't1' }]);
  setCondition(c, { type: 'Terminating', status: 'False', reason: 'C' }, 't3');
  assert.equal(c.status.conditions[0].lastTransitionTime, 't3');
});
