import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestCluster } from '../../server/test-cluster.ts';
import { StatusError } from '../../api/status.ts';

const PODS = { group: '', version: 'v1', plural: 'pods', namespaced: true };
const PVCS = { group: '', version: 'v1', plural: 'persistentvolumeclaims', namespaced: true };
const LIMITS = { group: '', version: 'v1', plural: 'limitranges', namespaced: true };

const pod = (name: string, resources?: object) => ({ metadata: { name }, spec: { containers: [{ name: 'c', image: 'x', ...(resources ? { resources } : {}) }] } });

async function rejection(p: Promise<unknown>): Promise<StatusError> {
  try { await p; } catch (e) { if (e instanceof StatusError) return e; throw e; }
  assert.fail('expected the write to be rejected');
}

test('a LimitRange fills in container defaults and records them in the limit-ranger annotation', async () => {
  const cluster = await startTestCluster();
  try {
    await cluster.client.create(LIMITS, 'default', { metadata: { name: 'lr' }, spec: { limits: [{ type: 'Container', default: { cpu: '500m', memory: '128Mi' }, defaultRequest: { cpu: '100m' } }] } });
    const created = await cluster.client.create(PODS, 'default', pod('p'));
    assert.deepEqual(created.spec.containers[0].resources, { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '100m', memory: '128Mi' } });
    assert.equal(created.metadata.annotations['kubernetes.io/limit-ranger'], 'LimitRanger plugin set: cpu, memory request for container c; cpu, memory limit for container c');
    // What a container states itself is kept.
    const own = await cluster.client.create(PODS, 'default', pod('q', { requests: { cpu: '200m' }, limits: { cpu: '300m' } }));
    assert.deepEqual(own.spec.containers[0].resources, { limits: { cpu: '300m', memory: '128Mi' }, requests: { cpu: '200m', memory: '128Mi' } });
    assert.equal(own.metadata.annotations['kubernetes.io/limit-ranger'], 'LimitRanger plugin set: memory request for container c; memory limit for container c');
  } finally { await cluster.stop(); }
});

test('pods and claims outside a LimitRange are forbidden with upstream messages', async () => {
  const cluster = await startTestCluster();
  try {
    await cluster.client.create(LIMITS, 'default', { metadata: { name: 'lr' }, spec: { limits: [
      { type: 'Container', min: { cpu: '100m' }, max: { cpu: '1' }, maxLimitRequestRatio: { cpu: '2' } },
      { type: 'PersistentVolumeClaim', min: { storage: '1Gi' }, max: { storage: '5Gi' } },
    ] } });
    const low = await rejection(cluster.client.create(PODS, 'default', pod('low', { requests: { cpu: '50m' }, limits: { cpu: '80m' } })));
    assert.equal(low.code, 403);
    assert.equal(low.reason, 'Forbidden');
    assert.equal(low.message, 'pods "low" is forbidden: minimum cpu usage per Container is 100m, but request is 50m');
    const high = await rejection(cluster.client.create(PODS, 'default', pod('high', { requests: { cpu: '200m' }, limits: { cpu: '2' } })));
    assert.equal(high.message, 'pods "high" is forbidden: [maximum cpu usage per Container is 1, but limit is 2, cpu max limit to request ratio per Container is 2, but provided ratio is 10.000000]');
    // A max without defaults becomes the default limit, and the default limit the default request.
    const bare = await cluster.client.create(PODS, 'default', pod('bare'));
    assert.deepEqual(bare.spec.containers[0].resources, { limits: { cpu: '1' }, requests: { cpu: '1' } });
    const ok = await cluster.client.create(PODS, 'default', pod('ok', { requests: { cpu: '500m' }, limits: { cpu: '1' } }));
    assert.equal(ok.metadata.name, 'ok');
    const claim = (name: string, storage: string) => ({ metadata: { name }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage } } } });
    const big = await rejection(cluster.client.create(PVCS, 'default', claim('big', '10Gi')));
    assert.equal(big.message, 'persistentvolumeclaims "big" is forbidden: maximum storage usage per PersistentVolumeClaim is 5Gi, but request is 10Gi');
    const small = await rejection(cluster.client.create(PVCS, 'default', claim('small', '500Mi')));
    assert.equal(small.message, 'persistentvolumeclaims "small" is forbidden: minimum storage usage per PersistentVolumeClaim is 1Gi, but request is 500Mi');
    await cluster.client.create(PVCS, 'default', claim('fine', '2Gi'));
  } finally { await cluster.stop(); }
});

test('a default limit below the pod\'s own request makes the pod invalid, as validation after defaulting does upstream', async () => {
  const cluster = await startTestCluster();
  try {
    await cluster.client.create(LIMITS, 'default', { metadata: { name: 'lr' }, spec: { limits: [{ type: 'Container', default: { memory: '100Mi' } }] } });
    const err = await rejection(cluster.client.create(PODS, 'default', pod('big', { requests: { memory: '200Mi' } })));
    assert.equal(err.code, 422);
    assert.equal(err.message, 'Pod "big" is invalid: spec.containers[0].resources.requests: Invalid value: "200Mi": must be less than or equal to memory limit of 100Mi');
  } finally { await cluster.stop(); }
});
