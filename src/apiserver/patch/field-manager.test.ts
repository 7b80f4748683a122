import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyPatch, ApplyConflictError, updateManagedFields, LAST_APPLIED_ANNOTATION, type ApplyOptions } from './field-manager.ts';
import { typeDefSchema } from './schema.ts';
import { crdSchema } from './crd-schema.ts';
import { isPatchError } from './errors.ts';
import { DEPLOYMENT, POD, SAMPLE_TYPES } from './sample-types.ts';

type Obj = Record<string, any>;
const schema = typeDefSchema(SAMPLE_TYPES, DEPLOYMENT);
const gvk = { group: 'apps', version: 'v1', kind: 'Deployment' };
const T0 = new Date('2025-01-01T00:00:00.500Z');
const T1 = new Date('2025-01-01T00:01:00Z');

function config(replicas = 2, extra: Obj = {}): Obj {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1', ports: [{ containerPort: 80 }] }] } },
      ...extra,
    },
  };
}
const apply = (o: Partial<ApplyOptions> & { applied: Obj }) => applyPatch({ live: undefined, manager: 'kubectl', schema, gvk, now: T0, ...o });
// What the API layer does after apply on create: store it with identity fields.
const stored = (obj: Obj): Obj => ({ ...obj, metadata: { ...obj.metadata, uid: 'u1', resourceVersion: '1' } });
const entry = (obj: Obj, manager: string) => (obj.metadata.managedFields as Obj[]).find((e) => e.manager === manager);

test('creating with apply records one Apply entry owning exactly the applied fields', () => {
  const { object, managedFields, changed } = apply({ applied: config() });
  assert.equal(changed, true);
  assert.equal(object.spec.replicas, 2);
  assert.deepEqual(managedFields, [{
    manager: 'kubectl', operation: 'Apply', apiVersion: 'apps/v1', time: '2025-01-01T00:00:00Z', fieldsType: 'FieldsV1',
    fieldsV1: {
      'f:metadata': { 'f:labels': { 'f:app': {} } },
      'f:spec': {
        'f:replicas': {},
        'f:selector': {},
        'f:template': {
          'f:metadata': { 'f:labels': { 'f:app': {} } },
          'f:spec': { 'f:containers': { 'k:{"name":"nginx"}': { '.': {}, 'f:image': {}, 'f:name': {}, 'f:ports': { 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} } } } } },
        },
      },
    },
  }]);
  assert.deepEqual(object.metadata.managedFields, managedFields);
});

test('re-applying without a field removes it from the object and from ownership', () => {
  const first = stored(apply({ applied: config(2, { minReadySeconds: 5 }) }).object);
  const { object } = apply({ live: first, applied: config(), now: T1 });
  assert.equal('minReadySeconds' in object.spec, false);
  assert.equal('f:minReadySeconds' in entry(object, 'kubectl')!.fieldsV1['f:spec'], false);
  assert.equal(entry(object, 'kubectl')!.time, '2025-01-01T00:01:00Z');
});

test('removing a list item from the configuration removes it from the object', () => {
  const two = config();
  two.spec.template.spec.containers.push({ name: 'sidecar', image: 'busybox' });
  const live = stored(apply({ applied: two }).object);
  const { object } = apply({ live, applied: config() });
  assert.deepEqual(object.spec.template.spec.containers.map((c: Obj) => c.name), ['nginx']);
});

test('an update by another manager takes the fields it changed; applying them back conflicts', () => {
  const live = stored(apply({ applied: config(2) }).object);
  const scaled = updateManagedFields({ old: live, new: { ...live, spec: { ...live.spec, replicas: 5 } }, manager: 'kubectl-scale', schema, apiVersion: 'apps/v1', now: T1 });
  assert.deepEqual(entry(scaled, 'kubectl-scale')!.fieldsV1, { 'f:spec': { 'f:replicas': {} } });
  assert.equal('f:replicas' in entry(scaled, 'kubectl')!.fieldsV1['f:spec'], false);

  let err: unknown;
  try {
    apply({ live: scaled, applied: config(3) });
  } catch (e) {
    err = e;
  }
  assert.ok(err instanceof ApplyConflictError);
  assert.equal(err.code, 409);
  assert.equal(err.reason, 'Conflict');
  assert.equal(err.message, 'Apply failed with 1 conflict: conflict with "kubectl-scale" using apps/v1: .spec.replicas');
  assert.deepEqual(err.status.details, { causes: [{ reason: 'FieldManagerConflict', message: 'conflict with "kubectl-scale" using apps/v1', field: '.spec.replicas' }] });
});

test('force takes ownership from the other manager, dropping its emptied entry', () => {
  const live = stored(apply({ applied: config(2) }).object);
  const scaled = updateManagedFields({ old: live, new: { ...live, spec: { ...live.spec, replicas: 5 } }, manager: 'kubectl-scale', schema, apiVersion: 'apps/v1', now: T1 });
  const { object } = apply({ live: scaled, applied: config(3), force: true });
  assert.equal(object.spec.replicas, 3);
  assert.equal(entry(object, 'kubectl-scale'), undefined);
  assert.ok('f:replicas' in entry(object, 'kubectl')!.fieldsV1['f:spec']);
});

test('applying the value another manager set shares ownership without conflict', () => {
  const live = stored(apply({ applied: config(2) }).object);
  const { object } = apply({ live, applied: config(2), manager: 'other' });
  assert.ok('f:replicas' in entry(object, 'other')!.fieldsV1['f:spec']);
  assert.ok('f:replicas' in entry(object, 'kubectl')!.fieldsV1['f:spec']);
});

test('a field dropped by one applier stays while another manager owns it', () => {
  const live = stored(apply({ applied: config(2, { minReadySeconds: 5 }) }).object);
  const shared = stored(apply({ live, applied: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { minReadySeconds: 5 } }, manager: 'other' }).object);
  const { object } = apply({ live: shared, applied: config(2) });
  assert.equal(object.spec.minReadySeconds, 5);
});

test('multiple conflicts are grouped by manager in the message', () => {
  const live = stored(apply({ applied: config(2, { minReadySeconds: 5 }) }).object);
  assert.throws(() => apply({ live, applied: config(3, { minReadySeconds: 6 }), manager: 'other' }), (e: unknown) => {
    assert.ok(e instanceof ApplyConflictError);
    assert.equal(e.message, 'Apply failed with 2 conflicts: conflicts with "kubectl":\n- .spec.minReadySeconds\n- .spec.replicas');
    assert.deepEqual(e.conflicts.map((c) => c.field), ['.spec.minReadySeconds', '.spec.replicas']);
    return true;
  });
});

test('the first apply to an untracked object hands existing fields to before-first-apply', () => {
  const untracked = { ...config(2), metadata: { name: 'web', namespace: 'default', uid: 'u1', labels: { app: 'web', team: 'a' } } };
  const { object } = apply({ live: untracked, applied: config(2), manager: 'mgr' });
  const before = entry(object, 'before-first-apply')!;
  assert.equal(before.operation, 'Update');
  assert.equal(before.apiVersion, 'apps/v1');
  // Fields the applier set to the value they already had stay shared with the stand-in.
  assert.deepEqual(before.fieldsV1['f:metadata'], { 'f:labels': { '.': {}, 'f:app': {}, 'f:team': {} } });
  assert.equal(object.metadata.labels.team, 'a');
});

test('kubectl switching from client-side apply takes over fields still at their last-applied values', () => {
  const lastApplied = JSON.stringify(config(2));
  const created = updateManagedFields({
    old: undefined, new: { ...config(2), metadata: { ...config(2).metadata, annotations: { [LAST_APPLIED_ANNOTATION]: lastApplied } } },
    manager: 'kubectl-client-side-apply', schema, apiVersion: 'apps/v1', now: T0,
  });
  assert.ok('f:replicas' in entry(created, 'kubectl-client-side-apply')!.fieldsV1['f:spec']);
  const applied = config(3);
  const { object } = apply({ live: stored(created), applied, now: T1 });
  assert.equal(object.spec.replicas, 3);
  assert.deepEqual(JSON.parse(object.metadata.annotations[LAST_APPLIED_ANNOTATION]), applied);
  assert.ok(object.metadata.annotations[LAST_APPLIED_ANNOTATION].endsWith('\n'));
  // Another manager gets no such pass.
  assert.throws(() => apply({ live: stored(created), applied: config(3), manager: 'someone' }), ApplyConflictError);
});

test('an unchanged apply keeps the object and does not bump the time of a new entry', () => {
  const live = stored(apply({ applied: config(2) }).object);
  const { object, changed } = apply({ live, applied: config(2), manager: 'other', now: T1 });
  assert.equal(changed, false);
  assert.deepEqual({ ...object.metadata, managedFields: undefined }, { ...live.metadata, managedFields: undefined });
  assert.equal(entry(object, 'other')!.time, undefined);
});

test('ignored (reset) fields are neither owned nor conflicting', () => {
  const withStatus = { ...config(2), status: { replicas: 1 } };
  const { managedFields } = apply({ applied: withStatus, ignoredFields: [[{ field: 'status' }]] });
  assert.equal('f:status' in managedFields[0]!.fieldsV1, false);
});

test('rejects a configuration of another kind, with managedFields, or with undeclared fields', () => {
  assert.throws(() => apply({ applied: { ...config(), kind: 'StatefulSet' } }), (e: unknown) => isPatchError(e) && e.code === 400 && e.message === 'invalid object type: apps/v1, Kind=StatefulSet');
  assert.throws(() => apply({ applied: { ...config(), metadata: { name: 'web', managedFields: [] } } }), (e: unknown) => isPatchError(e) && e.message === 'metadata.managedFields must be nil');
  assert.throws(() => apply({ applied: config(2, { foo: 1 }) }), (e: unknown) =>
    isPatchError(e) && e.code === 500 && e.message === 'failed to create typed patch object (default/web; apps/v1, Kind=Deployment): .spec.foo: field not declared in schema');
  const dup = config();
  dup.spec.template.spec.containers.push({ name: 'nginx', image: 'x' });
  assert.throws(() => apply({ applied: dup }), (e: unknown) => isPatchError(e) && /\.spec\.template\.spec\.containers: duplicate entries for key \[name="nginx"\]$/.test(e.message));
});

test('applied list items merge into live ones; live-only items keep their place', () => {
  const podSchema = typeDefSchema(SAMPLE_TYPES, POD);
  const podGVK = { group: '', version: 'v1', kind: 'Pod' };
  const pod = (names: string[]) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: names.map((name) => ({ name, image: name })) } });
  const live = stored(applyPatch({ live: undefined, applied: pod(['a', 'b']), manager: 'one', schema: podSchema, gvk: podGVK, now: T0 }).object);
  const { object } = applyPatch({ live, applied: pod(['b', 'c']), manager: 'two', schema: podSchema, gvk: podGVK, now: T1 });
  assert.deepEqual(object.spec.containers.map((c: Obj) => c.name), ['a', 'b', 'c']);
});

test('set lists record their values with v: keys', () => {
  const { managedFields } = apply({ applied: { ...config(), metadata: { name: 'web', finalizers: ['x', 'a'] } } });
  assert.deepEqual(managedFields[0]!.fieldsV1['f:metadata'], { 'f:finalizers': { 'v:"a"': {}, 'v:"x"': {} } });
});

test('updates record the changed fields, merge into the same entry, and mark whole new map entries with "."', () => {
  const created = updateManagedFields({ old: undefined, new: config(2), manager: 'kubectl-create', schema, apiVersion: 'apps/v1', now: T0 });
  const e = entry(created, 'kubectl-create')!;
  assert.equal(e.operation, 'Update');
  assert.equal(e.time, '2025-01-01T00:00:00Z');
  assert.deepEqual(e.fieldsV1['f:metadata'], { 'f:labels': { '.': {}, 'f:app': {} } });
  const live = stored(created);
  const next = updateManagedFields({ old: live, new: { ...live, spec: { ...live.spec, paused: true } }, manager: 'kubectl-create', schema, apiVersion: 'apps/v1', now: T1 });
  assert.equal(next.metadata.managedFields.length, 1);
  assert.ok('f:paused' in entry(next, 'kubectl-create')!.fieldsV1['f:spec']);
  assert.ok('f:replicas' in entry(next, 'kubectl-create')!.fieldsV1['f:spec']);
  assert.equal(entry(next, 'kubectl-create')!.time, '2025-01-01T00:01:00Z');
});

test('an object never tracked stays untracked on update; an empty managedFields list resets tracking', () => {
  const untracked: Obj = { ...config(2), metadata: { name: 'web', uid: 'u1' } };
  const next = updateManagedFields({ old: untracked, new: { ...untracked, spec: { ...untracked.spec, replicas: 3 } }, manager: 'm', schema, apiVersion: 'apps/v1', now: T1 });
  assert.equal(next.metadata.managedFields, undefined);
  const tracked = stored(updateManagedFields({ old: undefined, new: config(2), manager: 'm', schema, apiVersion: 'apps/v1', now: T0 }));
  const reset = updateManagedFields({ old: tracked, new: { ...tracked, metadata: { ...tracked.metadata, managedFields: [] } }, manager: 'm', schema, apiVersion: 'apps/v1', now: T1 });
  assert.equal(reset.metadata.managedFields, undefined);
});

test('a subresource update records its subresource and keeps the stored entries', () => {
  const live = stored(apply({ applied: config(2) }).object);
  const next = updateManagedFields({
    old: live, new: { ...live, status: { replicas: 2 } }, manager: 'controller', schema, apiVersion: 'apps/v1', now: T1, subresource: 'status',
    ignoredFields: [[{ field: 'spec' }], [{ field: 'metadata' }]],
  });
  const e = entry(next, 'controller')!;
  assert.equal(e.subresource, 'status');
  assert.deepEqual(e.fieldsV1, { 'f:status': { 'f:replicas': {} } });
  assert.ok(entry(next, 'kubectl'));
});

test('more than ten update managers fold the oldest into ancient-changes', () => {
  let live = stored(updateManagedFields({ old: undefined, new: config(2), manager: 'm0', schema, apiVersion: 'apps/v1', now: T0 }));
  for (let i = 1; i <= 11; i++) {
    const labels = { ...live.metadata.labels, [`l${i}`]: 'x' };
    live = updateManagedFields({ old: live, new: { ...live, metadata: { ...live.metadata, labels } }, manager: `m${i}`, schema, apiVersion: 'apps/v1', now: new Date(T0.getTime() + i * 1000) });
  }
  const managers = (live.metadata.managedFields as Obj[]).map((e) => e.manager);
  assert.equal(managers.length, 10);
  assert.ok(managers.includes('ancient-changes'));
  assert.ok(!managers.includes('m0') && !managers.includes('m1'));
});

test('custom resources apply with the list types of their CRD schema', () => {
  const crSchema = crdSchema({
    type: 'object',
    properties: {
      spec: {
        type: 'object',
        properties: {
          ports: { type: 'array', 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'], items: { type: 'object', properties: { name: { type: 'string' }, port: { type: 'integer' } } } },
          tags: { type: 'array', 'x-kubernetes-list-type': 'set', items: { type: 'string' } },
          args: { type: 'array', items: { type: 'string' } },
          extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        },
      },
    },
  }, SAMPLE_TYPES);
  const crGVK = { group: 'example.com', version: 'v1', kind: 'Widget' };
  const cr = (spec: Obj) => ({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec });
  const first = applyPatch({ live: undefined, applied: cr({ ports: [{ name: 'a', port: 1 }], tags: ['x'], args: ['1'], extra: { any: { thing: 1 } } }), manager: 'one', schema: crSchema, gvk: crGVK, now: T0 });
  assert.deepEqual(first.managedFields[0]!.fieldsV1['f:spec'], {
    'f:args': {}, 'f:extra': { 'f:any': { '.': {}, 'f:thing': {} } }, 'f:ports': { 'k:{"name":"a"}': { '.': {}, 'f:name': {}, 'f:port': {} } }, 'f:tags': { 'v:"x"': {} },
  });
  const second = applyPatch({ live: stored(first.object), applied: cr({ ports: [{ name: 'b', port: 2 }], tags: ['y'], args: ['2'] }), manager: 'two', schema: crSchema, gvk: crGVK, now: T1, force: true });
  assert.deepEqual(second.object.spec.ports, [{ name: 'a', port: 1 }, { name: 'b', port: 2 }]);
  assert.deepEqual(second.object.spec.tags, ['x', 'y']);
  assert.deepEqual(second.object.spec.args, ['2']);
  assert.throws(() => applyPatch({ live: undefined, applied: cr({ nope: 1 }), manager: 'one', schema: crSchema, gvk: crGVK, now: T0 }), (e: unknown) => isPatchError(e) && /\.spec\.nope: field not declared in schema$/.test(e.message));
});
