import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyStrategicMergePatch } from './strategic-merge.ts';
import { createTwoWayMergePatch } from './strategic-diff.ts';
import { typeDefSchema } from './schema.ts';
import { isPatchError, type PatchError } from './errors.ts';
import { DEPLOYMENT, POD, SAMPLE_TYPES } from './sample-types.ts';

const podSchema = typeDefSchema(SAMPLE_TYPES, POD);
const deploySchema = typeDefSchema(SAMPLE_TYPES, DEPLOYMENT);
type Obj = Record<string, any>;
const smp = (original: Obj, patch: Obj | string, schema = podSchema) => applyStrategicMergePatch(original, patch, schema) as Obj;

function failure(fn: () => unknown): PatchError {
  try {
    fn();
  } catch (e) {
    assert.ok(isPatchError(e), `expected a PatchError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected the patch to fail');
}

const pod = (): Obj => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', labels: { app: 'web', tier: 'fe' }, finalizers: ['a', 'b'] },
  spec: {
    containers: [
      { name: 'app', image: 'nginx:1', ports: [{ containerPort: 80, protocol: 'TCP' }], env: [{ name: 'A', value: '1' }] },
      { name: 'sidecar', image: 'busybox' },
    ],
    volumes: [{ name: 'data', emptyDir: {} }],
    tolerations: [{ key: 'k1', operator: 'Exists' }],
  },
});

test('merges containers by name and keeps the unmentioned ones', () => {
  const out = smp(pod(), { spec: { containers: [{ name: 'app', image: 'nginx:2' }] } });
  assert.deepEqual(out.spec.containers.map((c: Obj) => [c.name, c.image]), [['app', 'nginx:2'], ['sidecar', 'busybox']]);
  assert.deepEqual(out.spec.containers[0].ports, [{ containerPort: 80, protocol: 'TCP' }]);
});

test('puts list items with new merge keys before the live ones, as upstream does without $setElementOrder', () => {
  const out = smp(pod(), { spec: { containers: [{ name: 'new', image: 'redis' }] } });
  assert.deepEqual(out.spec.containers.map((c: Obj) => c.name), ['new', 'app', 'sidecar']);
});

test('merges nested lists by their own merge keys (ports by containerPort, env by name)', () => {
  const out = smp(pod(), { spec: { containers: [{ name: 'app', ports: [{ containerPort: 443 }], env: [{ name: 'A', value: '2' }, { name: 'B', value: '3' }] }] } });
  assert.deepEqual(out.spec.containers[0].ports, [{ containerPort: 443 }, { containerPort: 80, protocol: 'TCP' }]);
  assert.deepEqual(out.spec.containers[0].env, [{ name: 'A', value: '2' }, { name: 'B', value: '3' }]);
});

test('replaces lists without a patch strategy (tolerations)', () => {
  const out = smp(pod(), { spec: { tolerations: [{ key: 'k2', operator: 'Exists' }] } });
  assert.deepEqual(out.spec.tolerations, [{ key: 'k2', operator: 'Exists' }]);
});

test('null deletes a map key and a field', () => {
  const out = smp(pod(), { metadata: { labels: { tier: null } }, spec: { tolerations: null } });
  assert.deepEqual(out.metadata.labels, { app: 'web' });
  assert.equal('tolerations' in out.spec, false);
});

test('unions primitive lists with merge strategy (finalizers), patch values first in patch order', () => {
  const out = smp(pod(), { metadata: { finalizers: ['c', 'a'] } });
  assert.deepEqual(out.metadata.finalizers, ['c', 'a', 'b']);
});

test('$deleteFromPrimitiveList removes values from a primitive merge list', () => {
  const out = smp(pod(), { metadata: { '$deleteFromPrimitiveList/finalizers': ['a'] } });
  assert.deepEqual(out.metadata.finalizers, ['b']);
});

test('$patch: delete removes a list item by merge key', () => {
  const out = smp(pod(), { spec: { containers: [{ name: 'sidecar', $patch: 'delete' }] } });
  assert.deepEqual(out.spec.containers.map((c: Obj) => c.name), ['app']);
});

test('$patch: replace in a list replaces the whole list', () => {
  const out = smp(pod(), { spec: { containers: [{ name: 'only', image: 'x' }, { $patch: 'replace' }] } });
  assert.deepEqual(out.spec.containers, [{ name: 'only', image: 'x' }]);
});

test('$patch: replace in a map replaces the map; $patch: delete empties it', () => {
  const replaced = smp(pod(), { metadata: { labels: { $patch: 'replace', only: 'x' } } });
  assert.deepEqual(replaced.metadata.labels, { only: 'x' });
  const deleted = smp(pod(), { metadata: { labels: { $patch: 'delete' } } });
  assert.deepEqual(deleted.metadata.labels, {});
});

test('$retainKeys clears the keys it does not list (volume source switch)', () => {
  const out = smp(pod(), { spec: { volumes: [{ name: 'data', hostPath: { path: '/d' }, $retainKeys: ['hostPath', 'name'] }] } });
  assert.deepEqual(out.spec.volumes, [{ name: 'data', hostPath: { path: '/d' } }]);
});

test('$retainKeys on a retainKeys map field (deployment strategy) drops rollingUpdate', () => {
  const d = { spec: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } } } };
  const out = smp(d, { spec: { strategy: { type: 'Recreate', rollingUpdate: null, $retainKeys: ['type'] } } }, deploySchema);
  assert.deepEqual(out.spec.strategy, { type: 'Recreate' });
});

test('a key outside $retainKeys is 400 invalid patch format of retainKeys', () => {
  const e = failure(() => smp(pod(), { spec: { volumes: [{ name: 'data', hostPath: { path: '/d' }, $retainKeys: ['name'] }] } }));
  assert.equal(e.code, 400);
  assert.equal(e.message, 'invalid patch format of retainKeys');
});

test('$setElementOrder orders listed items and places server-only items by their live position', () => {
  const live = { spec: { containers: [{ name: 'a' }, { name: 'x', image: 'live' }, { name: 'b' }, { name: 'c' }] } };
  const out = smp(live, { spec: { '$setElementOrder/containers': [{ name: 'c' }, { name: 'b' }, { name: 'a' }], containers: [{ name: 'b', image: 'new' }] } });
  assert.deepEqual(out.spec.containers.map((c: Obj) => c.name), ['x', 'c', 'b', 'a']);
  assert.equal(out.spec.containers[2].image, 'new');
});

test('$setElementOrder orders a primitive list', () => {
  const out = smp(pod(), { metadata: { '$setElementOrder/finalizers': ['b', 'a', 'z'], finalizers: ['z'] } });
  assert.deepEqual(out.metadata.finalizers, ['b', 'a', 'z']);
});

test('a patch list item whose order disagrees with $setElementOrder is a 500 with upstream wording', () => {
  const e = failure(() => smp(pod(), { spec: { '$setElementOrder/containers': [{ name: 'app' }], containers: [{ name: 'sidecar', image: 'y' }] } }));
  assert.equal(e.code, 500);
  assert.match(e.message, /^The order in patch list:\n\[map\[image:y name:sidecar\]\]\n doesn't match \$setElementOrder list:\n\[map\[name:app\]\]\n$/);
});

test('a list item without its merge key is a 500 naming the key', () => {
  const e = failure(() => smp(pod(), { spec: { containers: [{ image: 'nginx' }] } }));
  assert.equal(e.code, 500);
  assert.equal(e.reason, '');
  assert.equal(e.message, 'map: map[image:nginx] does not contain declared merge key: name');
});

test('lists of lists in a merge list are 422', () => {
  const e = failure(() => smp({ metadata: { finalizers: [['a']] } }, { metadata: { finalizers: [['b']] } }));
  assert.equal(e.code, 422);
  assert.equal(e.detail, 'lists of lists are not supported');
});

test('an unknown $patch directive in a map is a 500', () => {
  const e = failure(() => smp(pod(), { metadata: { labels: { $patch: 'frob' } } }));
  assert.equal(e.message, 'unknown patch type: frob in map: map[$patch:frob]');
});

test('a malformed directive key is 400', () => {
  assert.equal(failure(() => smp(pod(), { metadata: { $deleteFromPrimitiveList: ['a'] } })).message, 'invalid patch format of primitive list');
});

test('unknown fields merge like free-form JSON', () => {
  const out = smp({ spec: { extra: { a: 1, b: [1] } } }, { spec: { extra: { c: 2, b: [2] } } });
  assert.deepEqual(out.spec.extra, { a: 1, b: [2], c: 2 });
});

test('nulls in newly added subtrees are dropped', () => {
  const out = smp({ spec: {} }, { spec: { securityContext: { runAsUser: null, runAsNonRoot: true } } });
  assert.deepEqual(out.spec.securityContext, { runAsNonRoot: true });
});

test('a body that is not a JSON object is 400', () => {
  assert.equal(failure(() => smp(pod(), '[]')).message, 'json: cannot unmarshal array into Go value of type map[string]interface {}');
  assert.equal(failure(() => smp(pod(), '{')).code, 400);
});

test('does not modify its inputs', () => {
  const live = pod();
  const patch = { spec: { containers: [{ name: 'sidecar', $patch: 'delete' }] } };
  smp(live, patch);
  assert.equal(live.spec.containers.length, 2);
  assert.deepEqual(patch.spec.containers[0], { name: 'sidecar', $patch: 'delete' });
});

test('a two-way patch reproduces the modified object when applied', () => {
  const original = pod();
  const modified = pod();
  modified.metadata.labels = { app: 'web', new: 'x' };
  modified.metadata.finalizers = ['b', 'c'];
  modified.spec.containers = [{ name: 'sidecar', image: 'busybox:2' }, { name: 'app', image: 'nginx:1', ports: [{ containerPort: 80, protocol: 'TCP' }], env: [{ name: 'A', value: '1' }] }];
  modified.spec.volumes = [{ name: 'data', hostPath: { path: '/x' } }];
  const patch = createTwoWayMergePatch(original, modified, podSchema) as Obj;
  assert.deepEqual(patch.metadata, {
    labels: { new: 'x', tier: null },
    '$deleteFromPrimitiveList/finalizers': ['a'],
    '$setElementOrder/finalizers': ['b', 'c'],
    finalizers: ['c'],
  });
  assert.deepEqual(patch.spec.containers, [{ name: 'sidecar', image: 'busybox:2' }]);
  assert.deepEqual(patch.spec['$setElementOrder/containers'], [{ name: 'sidecar' }, { name: 'app' }]);
  assert.deepEqual(patch.spec.volumes, [{ name: 'data', hostPath: { path: '/x' }, emptyDir: null, $retainKeys: ['hostPath', 'name'] }]);
  assert.deepEqual(smp(original, patch), modified);
});

test('an unchanged object gives an empty two-way patch', () => {
  assert.deepEqual(createTwoWayMergePatch(pod(), pod(), podSchema), {});
});

test('a removed list item becomes a $patch: delete entry', () => {
  const modified = pod();
  modified.spec.containers = [modified.spec.containers[0]];
  const patch = createTwoWayMergePatch(pod(), modified, podSchema) as Obj;
  assert.deepEqual(patch.spec, { containers: [{ name: 'sidecar', $patch: 'delete' }], '$setElementOrder/containers': [{ name: 'app' }] });
});
