import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeNode, makeNodeInfo, makePod, reasonsByNode, testFramework } from '../../framework/fixtures.ts';
import { pluginRegistry } from '../registry.ts';

const nodes = () => [
  makeNodeInfo(makeNode({ name: 'cp', taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] })),
  makeNodeInfo(makeNode({ name: 'gpu', taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoExecute' }] })),
  makeNodeInfo(makeNode({ name: 'soft', taints: [{ key: 'spot', value: 'true', effect: 'PreferNoSchedule' }] })),
  makeNodeInfo(makeNode({ name: 'plain' })),
];

test('rejects nodes with an untolerated NoSchedule or NoExecute taint, naming it', () => {
  const f = testFramework(pluginRegistry, [{ name: 'TaintToleration' }], nodes());
  assert.deepEqual(reasonsByNode(f.filter(makePod({ name: 'p' })).statuses), {
    cp: 'UnschedulableAndUnresolvable: node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }',
    gpu: 'UnschedulableAndUnresolvable: node(s) had untolerated taint {dedicated: gpu}',
    soft: '', plain: '',
  });
});

test('tolerations by key and value, or Exists, let the pod in', () => {
  const f = testFramework(pluginRegistry, [{ name: 'TaintToleration' }], nodes());
  const pod = makePod({ name: 'p', spec: { tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu' }, { key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }] } });
  assert.deepEqual(Object.values(reasonsByNode(f.filter(pod).statuses)), ['', '', '', '']);
  const wrongValue = makePod({ name: 'q', spec: { tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'cpu' }] } });
  assert.match(reasonsByNode(f.filter(wrongValue).statuses).gpu!, /untolerated taint \{dedicated: gpu\}/);
});

test('scores nodes with untolerated PreferNoSchedule taints lower', () => {
  const f = testFramework(pluginRegistry, [{ name: 'TaintToleration', weight: 3 }], nodes());
  const scores = f.score(makePod({ name: 'p' }));
  assert.equal(scores.get('soft'), 0);
  assert.equal(scores.get('plain'), 300);
});
