import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeNode, makeNodeInfo, makePod, reasonsByNode, testFramework } from '../../framework/fixtures.ts';
import { podInfoOf } from '../../framework/pod-info.ts';
import { pluginRegistry } from '../registry.ts';
import { leastAllocatedScore } from './node-resources-fit.ts';

const fit = (nodes: ReturnType<typeof makeNodeInfo>[]) => testFramework(pluginRegistry, [{ name: 'NodeResourcesFit' }], nodes);

test('rejects nodes without room with every insufficient resource, in upstream order', () => {
  const busy = makeNodeInfo(makeNode({ name: 'busy', cpu: '2', memory: '2Gi' }), [makePod({ name: 'x', cpu: '1500m', memory: '1Gi', nodeName: 'busy' })]);
  const full = makeNodeInfo(makeNode({ name: 'full', pods: '1' }), [makePod({ name: 'y', nodeName: 'full' })]);
  const roomy = makeNodeInfo(makeNode({ name: 'roomy', cpu: '8', memory: '16Gi' }));
  const { statuses } = fit([busy, full, roomy]).filter(makePod({ name: 'p', cpu: '1', memory: '1500Mi' }));
  assert.deepEqual(reasonsByNode(statuses), {
    busy: 'Unschedulable: Insufficient cpu; Insufficient memory',
    full: 'Unschedulable: Too many pods',
    roomy: '',
  });
});

test('counts init containers at their peak and the pod overhead', () => {
  const node = makeNodeInfo(makeNode({ name: 'n', cpu: '2' }));
  const initHeavy = makePod({ name: 'init', cpu: '100m', spec: { initContainers: [{ name: 'i', image: 'x', resources: { requests: { cpu: '3' } } }] } });
  assert.deepEqual(reasonsByNode(fit([node]).filter(initHeavy).statuses), { n: 'Unschedulable: Insufficient cpu' });
  const withOverhead = makePod({ name: 'oh', cpu: '1500m', spec: { overhead: { cpu: '600m' } } });
  assert.deepEqual(reasonsByNode(fit([node]).filter(withOverhead).statuses), { n: 'Unschedulable: Insufficient cpu' });
  assert.equal(podInfoOf(withOverhead).requests.requests.cpu, 2100);
  // Sidecars run beside the app containers, so they add up.
  const sidecar = makePod({ name: 'sc', cpu: '1', spec: { initContainers: [{ name: 's', image: 'x', restartPolicy: 'Always', resources: { requests: { cpu: '1500m' } } }] } });
  assert.equal(podInfoOf(sidecar).requests.requests.cpu, 2500);
});

test('rejects extended resources the node lacks', () => {
  const gpu = makeNodeInfo(makeNode({ name: 'gpu', extra: { 'nvidia.com/gpu': '1' } }));
  const plain = makeNodeInfo(makeNode({ name: 'plain' }));
  const pod = makePod({ name: 'p', spec: { containers: [{ name: 'c', image: 'x', resources: { requests: { 'nvidia.com/gpu': '1' } } }] } });
  assert.deepEqual(reasonsByNode(fit([gpu, plain]).filter(pod).statuses), { gpu: '', plain: 'Unschedulable: Insufficient nvidia.com/gpu' });
});

test('LeastAllocated prefers the emptier node and counts request-less pods at defaults', () => {
  const empty = makeNodeInfo(makeNode({ name: 'empty', cpu: '4', memory: '8Gi' }));
  const half = makeNodeInfo(makeNode({ name: 'half', cpu: '4', memory: '8Gi' }), [makePod({ name: 'x', cpu: '2', memory: '4Gi', nodeName: 'half' })]);
  const pod = podInfoOf(makePod({ name: 'p', cpu: '1', memory: '2Gi' }));
  assert.equal(leastAllocatedScore(pod, empty), 75);
  assert.equal(leastAllocatedScore(pod, half), 25);
  const bare = podInfoOf(makePod({ name: 'bare' }));
  assert.deepEqual(bare.requests.nonZero, { cpu: 100, memory: 200 * 1024 * 1024 });
});
