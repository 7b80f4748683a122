import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeNode, makePod } from '../framework/fixtures.ts';
import { SchedulerCache } from './cache.ts';

test('an assumed pod takes its resources at once, and forget gives them back', () => {
  const c = new SchedulerCache();
  c.addNode(makeNode({ name: 'n1' }));
  const pod = makePod({ name: 'p', cpu: '1500m' });
  c.assume(pod, 'n1');
  assert.equal(c.isAssumed('default/p'), true);
  assert.equal(c.node('n1')!.requested.cpu, 1500);
  assert.throws(() => c.assume(pod, 'n1'), /already in the scheduler cache/);
  c.forget('default/p');
  assert.equal(c.isAssumed('default/p'), false);
  assert.equal(c.node('n1')!.requested.cpu, 0);
  assert.equal(c.node('n1')!.pods.size, 0);
});

test('the bound pod from the informer confirms the assumed one, even on another node', () => {
  const c = new SchedulerCache();
  c.addNode(makeNode({ name: 'n1' }));
  c.addNode(makeNode({ name: 'n2' }));
  const pod = makePod({ name: 'p', cpu: '1', uid: 'u1' });
  c.assume(pod, 'n1');
  c.finishBinding('default/p');
  c.addPod(makePod({ name: 'p', cpu: '1', uid: 'u1', nodeName: 'n2' }));
  assert.equal(c.isAssumed('default/p'), false);
  assert.equal(c.node('n1')!.pods.size, 0);
  assert.equal(c.node('n2')!.requested.cpu, 1000);
  // Forgetting a confirmed pod does nothing.
  c.forget('default/p');
  assert.equal(c.node('n2')!.pods.size, 1);
});

test('removing a pod frees its node; a deleted node with pods lingers unlisted', () => {
  const c = new SchedulerCache();
  c.addNode(makeNode({ name: 'n1' }));
  const bound = makePod({ name: 'p', cpu: '1', nodeName: 'n1', uid: 'u2' });
  c.addPod(bound);
  c.removeNode('n1');
  assert.deepEqual(c.nodes(), []);
  assert.equal(c.node('n1'), undefined);
  c.addNode(makeNode({ name: 'n1' }));
  assert.equal(c.node('n1')!.requested.cpu, 1000);
  c.removePod(bound);
  assert.equal(c.node('n1')!.requested.cpu, 0);
});

test('a pod bound to a node the cache has not seen yet counts once the node arrives', () => {
  const c = new SchedulerCache();
  c.addPod(makePod({ name: 'early', cpu: '2', nodeName: 'late-node' }));
  assert.deepEqual(c.nodes(), []);
  c.addNode(makeNode({ name: 'late-node' }));
  assert.equal(c.nodes()[0]!.requested.cpu, 2000);
});
