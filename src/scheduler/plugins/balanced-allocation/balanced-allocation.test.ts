import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeNode, makeNodeInfo, makePod } from '../../framework/fixtures.ts';
import { podInfoOf } from '../../framework/pod-info.ts';
import { balancedScore } from './balanced-allocation.ts';

test('prefers the node where cpu and memory end up used in equal shares', () => {
  const pod = podInfoOf(makePod({ name: 'p', cpu: '1', memory: '1Gi' }));
  const cpuHeavy = makeNodeInfo(makeNode({ name: 'a', cpu: '4', memory: '4Gi' }), [makePod({ name: 'x', cpu: '2', nodeName: 'a' })]);
  const even = makeNodeInfo(makeNode({ name: 'b', cpu: '4', memory: '4Gi' }), [makePod({ name: 'y', cpu: '2', memory: '2Gi', nodeName: 'b' })]);
  assert.equal(balancedScore(pod, even), 100);
  assert.equal(balancedScore(pod, cpuHeavy), 75);
});
