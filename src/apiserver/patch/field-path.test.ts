import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FieldSet, keyElement, pathString, serializeElement, parseElement, type FieldPath } from './field-path.ts';

const spec = { field: 'spec' };
const containers = { field: 'containers' };
const app = keyElement({ name: 'app' });

test('serialises path elements in FieldsV1 form with key fields sorted', () => {
  assert.equal(serializeElement({ field: 'spec' }), 'f:spec');
  assert.equal(serializeElement(keyElement({ protocol: 'TCP', containerPort: 80 })), 'k:{"containerPort":80,"protocol":"TCP"}');
  assert.equal(serializeElement({ value: 'a' }), 'v:"a"');
  assert.equal(serializeElement({ index: 3 }), 'i:3');
  assert.deepEqual(parseElement('k:{"protocol":"TCP","containerPort":80}'), keyElement({ containerPort: 80, protocol: 'TCP' }));
  assert.throws(() => parseElement('x:1'), /unknown path element type/);
});

test('prints paths the way conflict messages show them', () => {
  const p: FieldPath = [spec, containers, app, { field: 'image' }];
  assert.equal(pathString(p), '.spec.containers[name="app"].image');
  assert.equal(pathString([{ field: 'metadata' }, { field: 'finalizers' }, { value: 'x' }]), '.metadata.finalizers[="x"]');
  assert.equal(pathString([{ field: 'ports' }, keyElement({ containerPort: 80, protocol: 'TCP' })]), '.ports[containerPort=80,protocol="TCP"]');
});

test('encodes members and children, marking owned nodes that have children with "."', () => {
  const s = FieldSet.of([spec, { field: 'replicas' }], [spec, containers, app], [spec, containers, app, { field: 'image' }], [{ field: 'metadata' }, { field: 'labels' }, { field: 'a' }]);
  assert.deepEqual(JSON.stringify(s.toFieldsV1()), JSON.stringify({
    'f:metadata': { 'f:labels': { 'f:a': {} } },
    'f:spec': { 'f:containers': { 'k:{"name":"app"}': { '.': {}, 'f:image': {} } }, 'f:replicas': {} },
  }));
});

test('decodes FieldsV1 back to the same set', () => {
  const fields = { 'f:spec': { 'f:containers': { 'k:{"name":"app"}': { '.': {}, 'f:image': {} } }, 'f:replicas': {} } };
  const s = FieldSet.fromFieldsV1(fields);
  assert.ok(s.has([spec, containers, app]));
  assert.ok(s.has([spec, containers, app, { field: 'image' }]));
  assert.ok(!s.has([spec, containers]));
  assert.deepEqual(s.toFieldsV1(), fields);
});

test('set algebra: union, intersection, difference and recursive difference', () => {
  const a = FieldSet.of([spec, { field: 'a' }], [spec, { field: 'b' }]);
  const b = FieldSet.of([spec, { field: 'b' }], [spec, { field: 'c' }]);
  assert.deepEqual(a.union(b).paths().map(pathString), ['.spec.a', '.spec.b', '.spec.c']);
  assert.deepEqual(a.intersection(b).paths().map(pathString), ['.spec.b']);
  assert.deepEqual(a.difference(b).paths().map(pathString), ['.spec.a']);
  assert.ok(a.difference(FieldSet.of([spec])).has([spec, { field: 'a' }]), 'a member does not remove what is below it');
  assert.ok(a.recursiveDifference(FieldSet.of([spec])).isEmpty(), 'recursive difference removes everything below a member');
});

test('iterates members before children at each level', () => {
  const s = FieldSet.of([spec, containers, app, { field: 'image' }], [spec, { field: 'replicas' }], [{ field: 'metadata' }]);
  assert.deepEqual(s.paths().map(pathString), ['.metadata', '.spec.replicas', '.spec.containers[name="app"].image']);
});
