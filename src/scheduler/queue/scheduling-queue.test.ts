import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makePod } from '../framework/fixtures.ts';
import { SchedulingQueue } from './scheduling-queue.ts';
import { defaultProfile, pluginRegistry } from '../plugins/registry.ts';
import { Framework } from '../framework/framework.ts';
import { createLogger } from '../../base/index.ts';

function newQueue() {
  let now = 1_000_000;
  const fwk = new Framework(defaultProfile, pluginRegistry, {
    client: {} as never, recorder: { event() {} }, log: createLogger({}), nodes: () => [], node: () => undefined,
    namespaceLabels: () => undefined, podDisruptionBudgets: () => [], nominatedPodsFor: () => [],
  });
  const q = new SchedulingQueue({ less: (a, b) => fwk.less(a, b), events: fwk.events(), now: () => now });
  return { q, advance: (ms: number) => { now += ms; } };
}

test('pops higher priority first, then in arrival order', async () => {
  const { q, advance } = newQueue();
  q.add(makePod({ name: 'low-1', priority: 0 })); advance(1);
  q.add(makePod({ name: 'high', priority: 10 })); advance(1);
  q.add(makePod({ name: 'low-2', priority: 0 }));
  const order = [];
  for (let i = 0; i < 3; i++) order.push((await q.pop())!.podInfo.pod.metadata.name);
  assert.deepEqual(order, ['high', 'low-1', 'low-2']);
});

test('backoff doubles per attempt from 1s and stops at 10s', async () => {
  const { q } = newQueue();
  q.add(makePod({ name: 'p' }));
  const qp = (await q.pop())!;
  const durations = [];
  for (let attempts = 1; attempts <= 6; attempts++) durations.push(q.backoffDuration({ ...qp, attempts }));
  assert.deepEqual(durations, [1000, 2000, 4000, 8000, 10000, 10000]);
});

test('a pod that failed with an error waits out its backoff, then becomes active', async () => {
  const { q, advance } = newQueue();
  q.add(makePod({ name: 'p' }));
  const qp = (await q.pop())!;
  q.addUnschedulable(qp, q.schedulingCycle);
  assert.equal(q.where('default/p'), 'backoff');
  advance(999); q.flushBackoffCompleted();
  assert.equal(q.where('default/p'), 'backoff');
  advance(1); q.flushBackoffCompleted();
  assert.equal(q.where('default/p'), 'active');
});

test('an unschedulable pod moves only on an event its rejecting plugin registered for', async () => {
  const { q, advance } = newQueue();
  q.add(makePod({ name: 'p', cpu: '8' }));
  const qp = (await q.pop())!;
  qp.unschedulablePlugins = new Set(['NodeResourcesFit']);
  q.addUnschedulable(qp, q.schedulingCycle);
  assert.equal(q.where('default/p'), 'unschedulable');
  q.onEvent({ resource: 'Node', action: 'UpdateNodeLabel', label: 'NodeUpdate' });
  assert.equal(q.where('default/p'), 'unschedulable');
  advance(5000);
  q.onEvent({ resource: 'AssignedPod', action: 'Delete', label: 'AssignedPodDelete' });
  assert.equal(q.where('default/p'), 'active');
});

test('an event during the pod\'s own cycle sends it to backoff instead of waiting for another', async () => {
  const { q } = newQueue();
  q.add(makePod({ name: 'p' }));
  const qp = (await q.pop())!;
  const cycle = q.schedulingCycle;
  q.onEvent({ resource: 'Node', action: 'Add', label: 'NodeAdd' });
  qp.unschedulablePlugins = new Set(['NodeResourcesFit']);
  q.addUnschedulable(qp, cycle);
  assert.equal(q.where('default/p'), 'backoff');
});

test('a node event moves a pod rejected by taints still in backoff to backoffQ', async () => {
  const { q } = newQueue();
  q.add(makePod({ name: 'p' }));
  const qp = (await q.pop())!;
  qp.unschedulablePlugins = new Set(['TaintToleration']);
  q.addUnschedulable(qp, q.schedulingCycle);
  q.onEvent({ resource: 'Node', action: 'UpdateNodeTaint', label: 'NodeTaintChange' });
  assert.equal(q.where('default/p'), 'backoff');
});

test('unschedulable pods are retried after five minutes regardless', async () => {
  const { q, advance } = newQueue();
  q.add(makePod({ name: 'p' }));
  const qp = (await q.pop())!;
  qp.unschedulablePlugins = new Set(['NodeAffinity']);
  q.addUnschedulable(qp, q.schedulingCycle);
  advance(4 * 60_000); q.flushUnschedulableLeftover();
  assert.equal(q.where('default/p'), 'unschedulable');
  advance(60_000); q.flushUnschedulableLeftover();
  assert.equal(q.where('default/p'), 'active');
});

test('a gated pod waits until its scheduling gates are removed', async () => {
  const { q } = newQueue();
  const gated = makePod({ name: 'g', spec: { schedulingGates: [{ name: 'example.com/wait' }] } });
  q.add(gated);
  assert.equal(q.where('default/g'), 'gated');
  q.update(gated, makePod({ name: 'g' }));
  assert.equal(q.where('default/g'), 'active');
});

test('pop waits for a pod and close wakes it with nothing', async () => {
  const { q } = newQueue();
  const waiting = q.pop();
  q.add(makePod({ name: 'late' }));
  assert.equal((await waiting)!.podInfo.key, 'default/late');
  const again = q.pop();
  q.close();
  assert.equal(await again, undefined);
});
