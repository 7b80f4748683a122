import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nodeShouldRunDaemonPod, pinToNode, targetNodeName, withDaemonTolerations } from './node-fit.ts';

const node = (name: string, labels: Record<string, string> = {}, taints: object[] = []) => ({ metadata: { name, labels }, spec: { taints } });
const ds = (podSpec: object) => ({ spec: { template: { spec: { containers: [{ name: 'c', image: 'x' }], ...podSpec } } } });

test('required node affinity: any term may match, all expressions of a term must, an empty term matches nothing', () => {
  const affinity = (terms: object[]) => ({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } } } });
  const set = ds(affinity([
    { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a', 'b'] }, { key: 'gpu', operator: 'DoesNotExist' }] },
    { matchExpressions: [{ key: 'cores', operator: 'Gt', values: ['8'] }] },
  ]));
  assert.equal(nodeShouldRunDaemonPod(node('n', { zone: 'a' }), set).shouldRun, true);
  assert.equal(nodeShouldRunDaemonPod(node('n', { zone: 'a', gpu: 'yes' }), set).shouldRun, false);
  assert.equal(nodeShouldRunDaemonPod(node('n', { cores: '16' }), set).shouldRun, true);
  assert.equal(nodeShouldRunDaemonPod(node('n', { cores: '4' }), set).shouldRun, false);
  assert.equal(nodeShouldRunDaemonPod(node('n', { zone: 'a' }), ds(affinity([{}]))).shouldRun, false);
  const byName = ds(affinity([{ matchFields: [{ key: 'metadata.name', operator: 'NotIn', values: ['skip'] }] }]));
  assert.equal(nodeShouldRunDaemonPod(node('skip'), byName).shouldRun, false);
  assert.equal(nodeShouldRunDaemonPod(node('other'), byName).shouldRun, true);
});

test('an untolerated NoSchedule taint keeps new pods off but lets running ones stay; NoExecute evicts them', () => {
  const plain = ds({});
  assert.deepEqual(nodeShouldRunDaemonPod(node('n', {}, [{ key: 'k', effect: 'NoSchedule' }]), plain), { shouldRun: false, shouldContinueRunning: true });
  assert.deepEqual(nodeShouldRunDaemonPod(node('n', {}, [{ key: 'k', effect: 'NoExecute' }]), plain), { shouldRun: false, shouldContinueRunning: false });
  assert.deepEqual(nodeShouldRunDaemonPod(node('n', {}, [{ key: 'k', effect: 'PreferNoSchedule' }]), plain), { shouldRun: true, shouldContinueRunning: true });
  assert.equal(nodeShouldRunDaemonPod(node('n', {}, [{ key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' }]), plain).shouldRun, true, 'daemon pods tolerate not-ready');
  assert.equal(nodeShouldRunDaemonPod(node('n', {}, [{ key: 'node.kubernetes.io/network-unavailable', effect: 'NoSchedule' }]), plain).shouldRun, false);
  assert.equal(nodeShouldRunDaemonPod(node('n', {}, [{ key: 'node.kubernetes.io/network-unavailable', effect: 'NoSchedule' }]), ds({ hostNetwork: true })).shouldRun, true, 'host-network pods tolerate network-unavailable');
  assert.equal(nodeShouldRunDaemonPod(node('n', {}, [{ key: 'k', value: 'v', effect: 'NoSchedule' }]), ds({ tolerations: [{ key: 'k', value: 'w' }] })).shouldRun, false, 'Equal compares values');
  assert.equal(nodeShouldRunDaemonPod(node('n', {}, [{ key: 'k', value: 'v', effect: 'NoSchedule' }]), ds({ tolerations: [{ operator: 'Exists' }] })).shouldRun, true, 'an empty key with Exists tolerates everything');
});

test('the daemon tolerations replace identical ones instead of repeating them', () => {
  const t = withDaemonTolerations({ tolerations: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 5 }, { key: 'mine', operator: 'Exists' }] });
  const unreachable = t.filter((x) => x.key === 'node.kubernetes.io/unreachable');
  assert.deepEqual(unreachable, [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' }], 'same key, operator, value and effect: replaced');
  assert.equal(t.length, 7);
  assert.equal(withDaemonTolerations({ tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' }] }).length, 6);
});

test('pinning keeps the other affinity and replaces the required node terms', () => {
  const pinned = pinToNode({ podAntiAffinity: { x: 1 }, nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [1], requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [] }] } } }, 'n7');
  assert.deepEqual(pinned.podAntiAffinity, { x: 1 });
  assert.deepEqual(pinned.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution, [1]);
  assert.equal(targetNodeName({ spec: { affinity: pinned } }), 'n7');
  assert.equal(targetNodeName({ spec: { nodeName: 'bound', affinity: pinned } }), 'bound');
});
