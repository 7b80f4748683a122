import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeNode, makeNodeInfo, makePod, reasonsByNode, testFramework } from '../../framework/fixtures.ts';
import { pluginRegistry } from '../registry.ts';

test('a pod naming its node fits only that node', () => {
  const f = testFramework(pluginRegistry, [{ name: 'NodeName' }], [makeNodeInfo(makeNode({ name: 'a' })), makeNodeInfo(makeNode({ name: 'b' }))]);
  assert.deepEqual(reasonsByNode(f.filter(makePod({ name: 'p', spec: { nodeName: 'b' } })).statuses), { a: "UnschedulableAndUnresolvable: node(s) didn't match the requested node name", b: '' });
});
