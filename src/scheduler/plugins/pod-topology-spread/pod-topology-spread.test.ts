import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeNode, makeNodeInfo, makePod, reasonsByNode, testFramework } from '../../framework/fixtures.ts';
import { pluginRegistry } from '../registry.ts';

const ZONE = 'topology.kubernetes.io/zone';
const node = (name: string, z: string | undefined, apps: number) =>
  makeNodeInfo(makeNode({ name, labels: z ? { [ZONE]: z } : {} }), [...Array(apps).keys()].map((i) => makePod({ name: `${name}-${i}`, labels: { app: 'web' }, nodeName: name })));
const spreadPod = (when: string, maxSkew = 1) => makePod({ name: 'p', labels: { app: 'web' }, spec: { topologySpreadConstraints: [{ maxSkew, topologyKey: ZONE, whenUnsatisfiable: when, labelSelector: { matchLabels: { app: 'web' } } }] } });

test('DoNotSchedule rejects domains that would exceed maxSkew and nodes missing the key', () => {
  const f = testFramework(pluginRegistry, [{ name: 'PodTopologySpread' }], [node('a1', 'a', 2), node('b1', 'b', 1), node('c1', 'c', 1), node('bare', undefined, 0)]);
  assert.deepEqual(reasonsByNode(f.filter(spreadPod('DoNotSchedule')).statuses), {
    a1: "Unschedulable: node(s) didn't match pod topology spread constraints",
    b1: '', c1: '',
    bare: "UnschedulableAndUnresolvable: node(s) didn't match pod topology spread constraints (missing required label)",
  });
  assert.deepEqual(reasonsByNode(f.filter(spreadPod('DoNotSchedule', 2)).statuses).a1, '');
});

test('pods in other namespaces or not selected do not count', () => {
  const other = makeNodeInfo(makeNode({ name: 'a1', labels: { [ZONE]: 'a' } }), [
    makePod({ name: 'x', namespace: 'other', labels: { app: 'web' }, nodeName: 'a1' }),
    makePod({ name: 'y', labels: { app: 'db' }, nodeName: 'a1' }),
  ]);
  const f = testFramework(pluginRegistry, [{ name: 'PodTopologySpread' }], [other, node('b1', 'b', 0)]);
  assert.deepEqual(reasonsByNode(f.filter(spreadPod('DoNotSchedule')).statuses), { a1: '', b1: '' });
});

test('ScheduleAnyway scores emptier domains higher without rejecting any', () => {
  const f = testFramework(pluginRegistry, [{ name: 'PodTopologySpread', weight: 2 }], [node('a1', 'a', 3), node('b1', 'b', 1), node('c1', 'c', 0)]);
  assert.deepEqual(Object.values(reasonsByNode(f.filter(spreadPod('ScheduleAnyway')).statuses)), ['', '', '']);
  const s = f.score(spreadPod('ScheduleAnyway'));
  assert.ok(s.get('c1')! > s.get('b1')! && s.get('b1')! > s.get('a1')!, JSON.stringify([...s]));
  assert.equal(s.get('c1'), 200);
});
