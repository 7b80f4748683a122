import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeNode, makeNodeInfo, makePod, testFramework } from '../../framework/fixtures.ts';
import { podInfoOf } from '../../framework/pod-info.ts';
import { pluginRegistry } from '../registry.ts';
import { pickCandidate, type Candidate } from './default-preemption.ts';

function fakeClient() {
  const calls: string[] = [];
  return {
    calls,
    async patch(_r: unknown, ns: string, name: string) { calls.push(`patch ${ns}/${name}`); return {}; },
    async delete(_r: unknown, ns: string, name: string) { calls.push(`delete ${ns}/${name}`); return {}; },
  };
}

const plugins = [{ name: 'NodeResourcesFit' }, { name: 'DefaultPreemption' }];

test('deletes the fewest lower-priority pods and nominates their node', async () => {
  const client = fakeClient();
  const n1 = makeNodeInfo(makeNode({ name: 'n1', cpu: '2' }), [
    makePod({ name: 'low-a', cpu: '1', priority: 1, nodeName: 'n1' }),
    makePod({ name: 'low-b', cpu: '1', priority: 2, nodeName: 'n1' }),
  ]);
  const n2 = makeNodeInfo(makeNode({ name: 'n2', cpu: '2' }), [makePod({ name: 'vip', cpu: '2', priority: 1000, nodeName: 'n2' })]);
  const f = testFramework(pluginRegistry, plugins, [n1, n2], client);
  const pod = makePod({ name: 'urgent', cpu: '1', priority: 100 });
  const { state, statuses } = f.filter(pod);
  const r = await f.fwk.runPostFilter(state, podInfoOf(pod), statuses);
  assert.equal(r.status.code, 'Success');
  assert.equal(r.nominatedNodeName, 'n1');
  // Only the least important pod goes: removing low-a frees enough.
  assert.deepEqual(client.calls, ['patch default/low-a', 'delete default/low-a']);
});

test('explains why preemption cannot help, per node', async () => {
  const n1 = makeNodeInfo(makeNode({ name: 'n1', cpu: '1' }), [makePod({ name: 'same', cpu: '1', priority: 100, nodeName: 'n1' })]);
  const tainted = makeNodeInfo(makeNode({ name: 'n2', taints: [{ key: 'k', effect: 'NoSchedule' }] }));
  const f = testFramework(pluginRegistry, [{ name: 'TaintToleration' }, ...plugins], [n1, tainted], fakeClient());
  const pod = makePod({ name: 'p', cpu: '1', priority: 100 });
  const { state, statuses } = f.filter(pod);
  const r = await f.fwk.runPostFilter(state, podInfoOf(pod), statuses);
  assert.equal(r.status.code, 'Unschedulable');
  assert.equal(r.status.message(), 'preemption: 0/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling.');
});

test('a pod with preemptionPolicy Never does not preempt', async () => {
  const client = fakeClient();
  const n1 = makeNodeInfo(makeNode({ name: 'n1', cpu: '1' }), [makePod({ name: 'low', cpu: '1', priority: 0, nodeName: 'n1' })]);
  const f = testFramework(pluginRegistry, plugins, [n1], client);
  const pod = makePod({ name: 'p', cpu: '1', priority: 100, spec: { preemptionPolicy: 'Never' } });
  const { state, statuses } = f.filter(pod);
  const r = await f.fwk.runPostFilter(state, podInfoOf(pod), statuses);
  assert.equal(r.status.message(), 'preemption: not eligible due to preemptionPolicy=Never.');
  assert.deepEqual(client.calls, []);
});

test('picks the node whose most important victim matters least, then fewer victims', () => {
  const v = (priority: number) => podInfoOf(makePod({ name: `v${priority}-${Math.random()}`, priority }));
  const cands: Candidate[] = [
    { node: 'a', victims: [v(10)], pdbViolations: 0 },
    { node: 'b', victims: [v(5), v(5)], pdbViolations: 0 },
    { node: 'c', victims: [v(5)], pdbViolations: 0 },
    { node: 'd', victims: [v(1)], pdbViolations: 1 },
  ];
  assert.equal(pickCandidate(cands)!.node, 'c');
});
