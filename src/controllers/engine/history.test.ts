import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalJson, equalRevision, hashRevisionData, safeEncodeString, sortRevisions, templateOfRevision, templatePatch } from './history.ts';

test('revision hashes ignore key order, change with the data and with the collision count', () => {
  const a = { spec: { template: { b: 1, a: [1, { y: 2, x: 1 }] } } };
  const b = { spec: { template: { a: [1, { x: 1, y: 2 }], b: 1 } } };
  assert.equal(canonicalJson(a), canonicalJson(b));
  assert.equal(hashRevisionData(a), hashRevisionData(b));
  assert.notEqual(hashRevisionData(a), hashRevisionData({ spec: { template: { b: 2 } } }));
  assert.notEqual(hashRevisionData(a, 0), hashRevisionData(a, 1));
  assert.match(hashRevisionData(a), /^[bcdfghjklmnpqrstvwxz2456789]+$/);
  assert.equal(safeEncodeString('0123'), '4567');
  assert.ok(equalRevision({ data: a }, { data: b }));
});

test('a revision stores the template as a replacing patch and gives it back unchanged', () => {
  const owner = { spec: { replicas: 3, template: { metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'c' }] } } } };
  const data = templatePatch(owner);
  assert.equal(data.spec.template.$patch, 'replace');
  assert.equal(data.spec.replicas, undefined);
  assert.deepEqual(templateOfRevision({ data }), owner.spec.template);
});

test('revisions sort by number, then age, then name', () => {
  const r = (name: string, revision: number, t = '2024-01-01T00:00:00Z') => ({ metadata: { name, creationTimestamp: t }, revision });
  assert.deepEqual(sortRevisions([r('c', 2), r('b', 1, '2024-01-02T00:00:00Z'), r('a', 1, '2024-01-02T00:00:00Z'), r('z', 1)]).map((x) => x.metadata.name), ['z', 'a', 'b', 'c']);
});
