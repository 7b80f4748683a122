import { test } from 'node:test';
import assert from 'node:assert/strict';
import { noScheduleTaints, tolerationSeconds, withManagedTaints, NOT_READY, UNREACHABLE } from './taints.ts';
import { clusterHealth, zoneEvictionQps } from './zones.ts';

const node = (ready: string, extra: Record<string, unknown> = {}) => ({
  metadata: { name: 'n', labels: { 'topology.kubernetes.io/zone': 'a' } },
  spec: extra,
  status: { conditions: [{ type: 'Ready', status: ready }, { type: 'MemoryPressure', status: 'True' }] },
});

test('conditions and cordoning map to upstream NoSchedule taints', () => {
  assert.deepEqual(noScheduleTaints(node('Unknown', { unschedulable: true })).map((t) => t.key), [UNREACHABLE, 'node.kubernetes.io/memory-pressure', 'node.kubernetes.io/unschedulable']);
  assert.deepEqual(noScheduleTaints(node('False')).map((t) => t.key), [NOT_READY, 'node.kubernetes.io/memory-pressure']);
});

test('managed taints are replaced while foreign taints and the timeAdded of kept ones survive', () => {
  const current = [
    { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' },
    { key: NOT_READY, effect: 'NoExecute', timeAdded: '2020-01-01T00:00:00Z' },
    { key: UNREACHABLE, effect: 'NoSchedule' },
  ];
  const now = new Date('2024-05-05T05:05:05Z');
  const swapped = withManagedTaints(current, [{ key: UNREACHABLE, effect: 'NoSchedule' }], UNREACHABLE, now);
  assert.deepEqual(swapped, [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }, { key: UNREACHABLE, effect: 'NoSchedule' }, { key: UNREACHABLE, effect: 'NoExecute', timeAdded: '2024-05-05T05:05:05Z' }]);
  const kept = withManagedTaints(current, [], NOT_READY, now);
  assert.equal(kept.find((t) => t.effect === 'NoExecute')?.timeAdded, '2020-01-01T00:00:00Z');
  assert.deepEqual(withManagedTaints(current, [], undefined, now), [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }]);
});

test('a pod may stay for its least tolerationSeconds, forever without one, and not at all when a taint is not tolerated', () => {
  const taints = [{ key: UNREACHABLE, effect: 'NoExecute' }, { key: 'custom', value: 'x', effect: 'NoExecute' }];
  const pod = (tolerations: unknown[]) => ({ spec: { tolerations } });
  assert.equal(tolerationSeconds(pod([{ key: UNREACHABLE, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 }]), taints), 0, 'custom is not tolerated');
  assert.equal(tolerationSeconds(pod([{ key: UNREACHABLE, operator: 'Exists', tolerationSeconds: 30 }, { key: 'custom', operator: 'Equal', value: 'x', tolerationSeconds: 10 }]), taints), 10);
  assert.equal(tolerationSeconds(pod([{ operator: 'Exists' }]), taints), Infinity);
  assert.equal(tolerationSeconds(pod([{ key: 'custom', operator: 'Equal', value: 'y' }, { operator: 'Exists', tolerationSeconds: -5 }]), taints), 0);
});

test('zones slow down or stop tainting as more of their nodes fail', () => {
  const s = { evictionQps: 0.1, secondaryEvictionQps: 0.01, largeClusterThreshold: 50, unhealthyZoneThreshold: 0.55 };
  const nodes = (ready: number, down: number) => [...Array(ready)].map(() => node('True')).concat([...Array(down)].map(() => node('Unknown')));
  assert.equal(clusterHealth(nodes(5, 2), s).zones.get(':\x00:a')?.state, 'Normal');
  const partial = clusterHealth(nodes(2, 3), s).zones.get(':\x00:a')!;
  assert.equal(partial.state, 'PartialDisruption');
  assert.equal(zoneEvictionQps(partial.state, partial.size, s), 0, 'a small partly disrupted zone stops');
  assert.equal(zoneEvictionQps('PartialDisruption', 100, s), 0.01, 'a large one slows down');
  assert.ok(clusterHealth(nodes(0, 3), s).allDisrupted);
});
