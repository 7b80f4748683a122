import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeNode, makeNodeInfo, makePod, reasonsByNode, testFramework } from '../../framework/fixtures.ts';
import { pluginRegistry } from '../registry.ts';

test('a cordoned node takes only pods tolerating its unschedulable taint', () => {
  const f = testFramework(pluginRegistry, [{ name: 'NodeUnschedulable' }], [makeNodeInfo(makeNode({ name: 'cordoned', unschedulable: true })), makeNodeInfo(makeNode({ name: 'open' }))]);
  assert.deepEqual(reasonsByNode(f.filter(makePod({ name: 'p' })).statuses), { cordoned: 'UnschedulableAndUnresolvable: node(s) were unschedulable', open: '' });
  const tolerant = makePod({ name: 'ds', spec: { tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }] } });
  assert.deepEqual(reasonsByNode(f.filter(tolerant).statuses), { cordoned: '', open: '' });
});
