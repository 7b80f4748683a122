import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeNode, makeNodeInfo, makePod, reasonsByNode, testFramework } from '../../framework/fixtures.ts';
import { pluginRegistry } from '../registry.ts';

const zone = (name: string, z: string, pods: ReturnType<typeof makePod>[] = []) => makeNodeInfo(makeNode({ name, labels: { zone: z } }), pods);
const term = (app: string, key = 'zone') => ({ labelSelector: { matchLabels: { app } }, topologyKey: key });

test('required affinity: only nodes in a domain holding a matching pod', () => {
  const nodes = [zone('a1', 'a', [makePod({ name: 'db', labels: { app: 'db' }, nodeName: 'a1' })]), zone('a2', 'a'), zone('b1', 'b')];
  const f = testFramework(pluginRegistry, [{ name: 'InterPodAffinity' }], nodes);
  const pod = makePod({ name: 'web', spec: { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('db')] } } } });
  assert.deepEqual(reasonsByNode(f.filter(pod).statuses), { a1: '', a2: '', b1: "UnschedulableAndUnresolvable: node(s) didn't match pod affinity rules" });
});

test('required affinity to its own kind lets the first pod go anywhere', () => {
  const f = testFramework(pluginRegistry, [{ name: 'InterPodAffinity' }], [zone('a1', 'a'), zone('b1', 'b')]);
  const pod = makePod({ name: 'first', labels: { app: 'group' }, spec: { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('group')] } } } });
  assert.deepEqual(reasonsByNode(f.filter(pod).statuses), { a1: '', b1: '' });
});

test('required anti-affinity, both the incoming pod\'s and existing pods\'', () => {
  const nodes = [zone('a1', 'a', [makePod({ name: 'w1', labels: { app: 'web' }, nodeName: 'a1' })]), zone('b1', 'b')];
  const f = testFramework(pluginRegistry, [{ name: 'InterPodAffinity' }], nodes);
  const pod = makePod({ name: 'w2', labels: { app: 'web' }, spec: { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('web')] } } } });
  assert.deepEqual(reasonsByNode(f.filter(pod).statuses), { a1: "Unschedulable: node(s) didn't match pod anti-affinity rules", b1: '' });
  const loner = makePod({ name: 'loner', nodeName: 'b1', labels: { app: 'loner' }, spec: { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('web')] } } } });
  const g = testFramework(pluginRegistry, [{ name: 'InterPodAffinity' }], [zone('a1', 'a'), zone('b1', 'b', [loner])]);
  assert.deepEqual(reasonsByNode(g.filter(makePod({ name: 'w3', labels: { app: 'web' } })).statuses), { a1: '', b1: "Unschedulable: node(s) didn't satisfy existing pods anti-affinity rules" });
});

test('preferred affinity and anti-affinity score domains up and down', () => {
  const nodes = [zone('a1', 'a', [makePod({ name: 'cache', labels: { app: 'cache' }, nodeName: 'a1' })]), zone('b1', 'b', [makePod({ name: 'noisy', labels: { app: 'noisy' }, nodeName: 'b1' })]), zone('c1', 'c')];
  const f = testFramework(pluginRegistry, [{ name: 'InterPodAffinity', weight: 2 }], nodes);
  const pod = makePod({ name: 'p', spec: { affinity: {
    podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 50, podAffinityTerm: term('cache') }] },
    podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 50, podAffinityTerm: term('noisy') }] },
  } } });
  const s = f.score(pod);
  assert.deepEqual([s.get('a1'), s.get('c1'), s.get('b1')], [200, 100, 0]);
});
