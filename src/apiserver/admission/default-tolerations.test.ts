import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addDefaultTolerations, defaultTolerationSeconds } from './default-tolerations.ts';

const podsDesc = { group: '', plural: 'pods' } as any;

test('a new pod gets 300-second tolerations for the not-ready and unreachable NoExecute taints', async () => {
  const pod = { metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'x' }] } };
  await defaultTolerationSeconds.admit('CREATE', podsDesc, pod, undefined, {} as any, { dryRun: false });
  assert.deepEqual((pod.spec as any).tolerations, [
    { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
  ]);
});

test('tolerations the pod already has for those taints are kept and not duplicated', () => {
  const own = { tolerations: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 2 }] };
  assert.ok(addDefaultTolerations(own));
  assert.deepEqual(own.tolerations.map((t: any) => [t.key, t.tolerationSeconds]), [['node.kubernetes.io/unreachable', 2], ['node.kubernetes.io/not-ready', 300]]);
  const everything = { tolerations: [{ operator: 'Exists' }] };
  assert.ok(!addDefaultTolerations(everything), 'a toleration with no key and no effect tolerates every taint');
  const noSchedule = { tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoSchedule' }] };
  addDefaultTolerations(noSchedule);
  assert.equal(noSchedule.tolerations.length, 3, 'a NoSchedule toleration does not cover the NoExecute taint');
});

test('status writes, updates and other resources are left alone', async () => {
  const pod = { spec: {} as any };
  await defaultTolerationSeconds.admit('UPDATE', podsDesc, pod, undefined, {} as any, { dryRun: false });
  await defaultTolerationSeconds.admit('CREATE', podsDesc, pod, undefined, {} as any, { dryRun: false, subresource: 'status' });
  await defaultTolerationSeconds.admit('CREATE', { group: 'apps', plural: 'deployments' } as any, pod, undefined, {} as any, { dryRun: false });
  assert.equal(pod.spec.tolerations, undefined);
});
