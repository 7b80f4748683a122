import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeNode, makeNodeInfo, makePod, testFramework } from './framework/fixtures.ts';
import { CycleState } from './framework/cycle-state.ts';
import { FitError } from './framework/fit-error.ts';
import { podInfoOf } from './framework/pod-info.ts';
import { defaultProfile, pluginRegistry } from './plugins/registry.ts';
import { numFeasibleNodesToFind, PodScheduler } from './schedule-pod.ts';

const profilePlugins = defaultProfile.plugins.filter((p) => p.name !== 'PrioritySort' && p.name !== 'DefaultBinder');

function fitMessage(nodes: ReturnType<typeof makeNodeInfo>[], pod: ReturnType<typeof makePod>): string {
  const f = testFramework(pluginRegistry, profilePlugins, nodes);
  try {
    new PodScheduler().schedule(f.fwk, new CycleState(), podInfoOf(pod), nodes);
  } catch (err) {
    assert.ok(err instanceof FitError);
    return err.message;
  }
  assert.fail('pod was scheduled');
}

test('the fit error counts each reason over nodes and sorts the parts as strings', () => {
  const nodes = [
    makeNodeInfo(makeNode({ name: 'cp', taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] })),
    makeNodeInfo(makeNode({ name: 'w1', cpu: '1' })), makeNodeInfo(makeNode({ name: 'w2', cpu: '1', memory: '1Gi' })),
    makeNodeInfo(makeNode({ name: 'off', unschedulable: true })),
  ];
  assert.equal(fitMessage(nodes, makePod({ name: 'p', cpu: '2', memory: '2Gi' })),
    '0/4 nodes are available: 1 Insufficient memory, 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 1 node(s) were unschedulable, 2 Insufficient cpu.');
});

test('nodes outside a PreFilter narrowing are reported by plugin', () => {
  const nodes = [makeNodeInfo(makeNode({ name: 'a', cpu: '1' })), makeNodeInfo(makeNode({ name: 'b' })), makeNodeInfo(makeNode({ name: 'c' }))];
  const pinned = makePod({ name: 'ds', cpu: '2', spec: { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['a'] }] }] } } } } });
  assert.equal(fitMessage(nodes, pinned), "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't satisfy plugin(s) [NodeAffinity].");
});

test('filters a shrinking share of large clusters, never under 100 nodes', () => {
  assert.equal(numFeasibleNodesToFind(50), 50);
  assert.equal(numFeasibleNodesToFind(100), 100);
  assert.equal(numFeasibleNodesToFind(1000), 420);
  assert.equal(numFeasibleNodesToFind(5000), 500);
  assert.equal(numFeasibleNodesToFind(200), 100);
});

test('places a pod on the best-scoring node', () => {
  const nodes = [makeNodeInfo(makeNode({ name: 'full', cpu: '4' }), [makePod({ name: 'x', cpu: '3', memory: '6Gi', nodeName: 'full' })]), makeNodeInfo(makeNode({ name: 'empty', cpu: '4' }))];
  const f = testFramework(pluginRegistry, profilePlugins, nodes);
  const r = new PodScheduler().schedule(f.fwk, new CycleState(), podInfoOf(makePod({ name: 'p', cpu: '500m', memory: '1Gi' })), nodes);
  assert.deepEqual(r, { nodeName: 'empty', evaluatedNodes: 2, feasibleNodes: 2 });
});
