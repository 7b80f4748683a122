import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeNode, makeNodeInfo, makePod, reasonsByNode, testFramework } from '../../framework/fixtures.ts';
import { pluginRegistry } from '../registry.ts';
import { requiredNodeNames } from './node-affinity.ts';

const nodes = () => [
  makeNodeInfo(makeNode({ name: 'ssd-a', labels: { disk: 'ssd', zone: 'a', cores: '16' } })),
  makeNodeInfo(makeNode({ name: 'hdd-b', labels: { disk: 'hdd', zone: 'b', cores: '4' } })),
];
const REASON = "UnschedulableAndUnresolvable: node(s) didn't match Pod's node affinity/selector";

test('nodeSelector keeps only nodes with every label', () => {
  const f = testFramework(pluginRegistry, [{ name: 'NodeAffinity' }], nodes());
  assert.deepEqual(reasonsByNode(f.filter(makePod({ name: 'p', spec: { nodeSelector: { disk: 'ssd' } } })).statuses), { 'ssd-a': '', 'hdd-b': REASON });
});

test('required node affinity: terms are ORed, expressions ANDed, Gt compares integers', () => {
  const f = testFramework(pluginRegistry, [{ name: 'NodeAffinity' }], nodes());
  const aff = (terms: unknown[]) => makePod({ name: 'p', spec: { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } } } } });
  assert.deepEqual(reasonsByNode(f.filter(aff([{ matchExpressions: [{ key: 'cores', operator: 'Gt', values: ['8'] }] }])).statuses), { 'ssd-a': '', 'hdd-b': REASON });
  assert.deepEqual(reasonsByNode(f.filter(aff([{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }, { key: 'disk', operator: 'NotIn', values: ['ssd'] }] }, { matchExpressions: [{ key: 'zone', operator: 'In', values: ['b'] }] }])).statuses), { 'ssd-a': REASON, 'hdd-b': '' });
});

test('a DaemonSet-style metadata.name pin names the only nodes worth filtering', () => {
  const pin = { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['hdd-b'] }] }] };
  assert.deepEqual([...requiredNodeNames(pin)!], ['hdd-b']);
  assert.equal(requiredNodeNames({ nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'Exists' }] }] }), undefined);
});

test('scores nodes by the weights of preferred terms they match', () => {
  const f = testFramework(pluginRegistry, [{ name: 'NodeAffinity', weight: 2 }], nodes());
  const pod = makePod({ name: 'p', spec: { affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [
    { weight: 80, preference: { matchExpressions: [{ key: 'zone', operator: 'In', values: ['b'] }] } },
    { weight: 20, preference: { matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }] } },
  ] } } } });
  const s = f.score(pod);
  assert.equal(s.get('hdd-b'), 200);
  assert.equal(s.get('ssd-a'), 50);
});
