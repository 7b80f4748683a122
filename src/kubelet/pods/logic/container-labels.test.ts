import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CONTAINER_HASH_LABEL, containerChanged, containerLabels, containerHash, podContainers, POD_UID_LABEL } from './container-labels.ts';
import { ctr, makePod, record } from './test-fixtures.ts';

test('the hash changes with the image and the name only', () => {
  const base = { name: 'a', image: 'nginx:1', env: [{ name: 'X', value: '1' }] };
  assert.equal(containerHash(base), containerHash({ ...base, env: [] }));
  assert.notEqual(containerHash(base), containerHash({ ...base, image: 'nginx:2' }));
  assert.notEqual(containerHash(base), containerHash({ ...base, name: 'b' }));
  assert.match(containerHash(base), /^[0-9a-f]{1,8}$/);
});

test('labels name the pod, the container, its hash and restart count', () => {
  const pod = makePod({ containers: [ctr('a')] });
  const labels = containerLabels(pod, { ...ctr('a'), terminationMessagePath: '/dev/termination-log' }, 3);
  assert.equal(labels['io.kubernetes.pod.name'], 'web');
  assert.equal(labels['io.kubernetes.pod.namespace'], 'shop');
  assert.equal(labels[POD_UID_LABEL], 'uid-1');
  assert.equal(labels['io.kubernetes.container.name'], 'a');
  assert.equal(labels['io.kubernetes.container.restartCount'], '3');
  assert.equal(labels['io.kubernetes.container.terminationMessagePath'], '/dev/termination-log');
  assert.equal(labels[CONTAINER_HASH_LABEL], containerHash(ctr('a')));
});

test('a container is changed when its recorded hash differs; no hash means unchanged', () => {
  const pod = makePod({ containers: [ctr('a')] });
  const rec = record(pod, ctr('a'), 'running');
  assert.equal(containerChanged(ctr('a'), rec), false);
  assert.equal(containerChanged({ ...ctr('a'), image: 'a:2' }, rec), true);
  assert.equal(containerChanged({ ...ctr('a'), image: 'a:2' }, { ...rec, labels: {} }), false);
});

test('podContainers picks one pod by uid, newest first', () => {
  const pod = makePod({ containers: [ctr('a')] });
  const other = makePod({ containers: [ctr('a')] }, { uid: 'uid-2' });
  const r0 = record(pod, ctr('a'), 'exited');
  const r1 = record(pod, ctr('a'), 'running', { attempt: 1 });
  const x = record(other, ctr('a'), 'running');
  assert.deepEqual(podContainers('uid-1', [r0, x, r1]).map((r) => r.id), [r1.id, r0.id]);
});
