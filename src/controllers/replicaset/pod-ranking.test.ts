import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../client/api-client.ts';
import { podDeletionCost, podsToDelete, rankPodsForDeletion, POD_DELETION_COST } from './pod-ranking.ts';

const NOW = Date.parse('2025-06-01T12:00:00Z');
const ago = (s: number) => new Date(NOW - s * 1000).toISOString().replace(/\.\d+Z$/, 'Z');

interface PodShape { node?: string; phase?: string; readyFor?: number; created?: number; restarts?: number; cost?: string; uid?: string }
function pod(name: string, s: PodShape = {}): KubeObject {
  return {
    metadata: {
      name, uid: s.uid ?? name,
      ...(s.created !== undefined ? { creationTimestamp: ago(s.created) } : { creationTimestamp: ago(1000) }),
      ...(s.cost !== undefined ? { annotations: { [POD_DELETION_COST]: s.cost } } : {}),
    },
    spec: { nodeName: s.node ?? 'n1', containers: [{ name: 'c' }] },
    status: {
      phase: s.phase ?? 'Running',
      conditions: [{ type: 'Ready', status: s.readyFor !== undefined ? 'True' : 'False', lastTransitionTime: ago(s.readyFor ?? 5000) }],
      containerStatuses: [{ name: 'c', restartCount: s.restarts ?? 0 }],
    },
  };
}
const names = (pods: KubeObject[]) => pods.map((p) => p.metadata.name);
const shuffled = <T>(xs: T[]) => [...xs].reverse();

test('ranks unassigned, then pending, unknown, not ready, recently ready, long ready', () => {
  const pods = [
    pod('unassigned', { node: '', phase: 'Pending' }),
    pod('pending', { phase: 'Pending' }),
    pod('unknown', { phase: 'Unknown' }),
    pod('not-ready'),
    pod('ready-10s', { readyFor: 10 }),
    pod('ready-1h', { readyFor: 3600 }),
  ];
  assert.deepEqual(names(rankPodsForDeletion(shuffled(pods), [], NOW)), names(pods));
});

test('a lower pod-deletion-cost goes first, before readiness age counts', () => {
  const pods = [pod('cheap', { readyFor: 3600, cost: '-5' }), pod('plain', { readyFor: 10 }), pod('dear', { readyFor: 10, cost: '100' })];
  assert.deepEqual(names(rankPodsForDeletion(shuffled(pods), [], NOW)), ['cheap', 'plain', 'dear']);
});

test('pods on nodes crowded with related pods go first', () => {
  const a = pod('on-crowded', { node: 'n1', readyFor: 3600 });
  const b = pod('on-quiet', { node: 'n2', readyFor: 3600 });
  const related = [a, b, pod('sibling-1', { node: 'n1' }), pod('sibling-2', { node: 'n1' })];
  assert.deepEqual(names(rankPodsForDeletion([b, a], related, NOW)), ['on-crowded', 'on-quiet']);
  const finished = [a, b, { ...pod('done-1', { node: 'n2' }), status: { phase: 'Succeeded' } }, { ...pod('done-2', { node: 'n2' }), status: { phase: 'Failed' } }];
  assert.deepEqual(names(rankPodsForDeletion([a, b], finished, NOW)), ['on-crowded', 'on-quiet'], 'finished related pods do not count');
});

test('more restarts go first, then newer pods, a pod with no creation time first of all', () => {
  const restarts = [pod('restarts-3', { readyFor: 60, restarts: 3 }), pod('restarts-0', { readyFor: 60 })];
  assert.deepEqual(names(rankPodsForDeletion(shuffled(restarts), [], NOW)), ['restarts-3', 'restarts-0']);
  const noTime = pod('no-time');
  delete noTime.metadata.creationTimestamp;
  const created = [noTime, pod('new', { created: 10 }), pod('old', { created: 10_000 })];
  assert.deepEqual(names(rankPodsForDeletion(shuffled(created), [], NOW)), ['no-time', 'new', 'old']);
});

test('ages within the same power of two count as equal and fall back to uid order', () => {
  // 10s and 11s old share floor(log2(ns)) = 33: uid decides, not the second between them.
  const pods = [pod('newer', { created: 10, uid: 'b' }), pod('older', { created: 11, uid: 'a' })];
  assert.deepEqual(names(rankPodsForDeletion(pods, [], NOW)), ['older', 'newer']);
  const ready = [pod('ready-newer', { readyFor: 10, uid: 'b' }), pod('ready-older', { readyFor: 11, uid: 'a' })];
  assert.deepEqual(names(rankPodsForDeletion(ready, [], NOW)), ['ready-older', 'ready-newer']);
});

test('chooses the count least valuable pods, or all of them without ranking', () => {
  const pods = [pod('ready', { readyFor: 60 }), pod('pending', { phase: 'Pending' }), pod('not-ready')];
  assert.deepEqual(names(podsToDelete(pods, [], 2, NOW)), ['pending', 'not-ready']);
  assert.deepEqual(names(podsToDelete(pods, [], 3, NOW)), ['ready', 'pending', 'not-ready']);
});

test('reads pod-deletion-cost as upstream: int32 without a plus sign or leading zeros', () => {
  const cost = (v: string) => podDeletionCost({ metadata: { annotations: { [POD_DELETION_COST]: v } } });
  assert.equal(cost('-7'), -7);
  assert.equal(cost('0'), 0);
  assert.equal(cost('2147483647'), 2147483647);
  assert.equal(cost('2147483648'), 0);
  assert.equal(cost('+10'), 0);
  assert.equal(cost('008'), 0);
  assert.equal(cost('1.5'), 0);
  assert.equal(podDeletionCost({ metadata: {} }), 0);
});
