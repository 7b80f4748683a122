import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestCluster, until } from '../../server/test-cluster.ts';
import { createLogger } from '../../base/log.ts';
import { ControllerManager } from '../engine/manager.ts';
import { isNotFound } from '../../api/status.ts';
import type { KubeObject } from '../../client/api-client.ts';
import { TtlAfterFinishedController } from './ttl-after-finished-controller.ts';

const JOBS = { group: 'batch', version: 'v1', plural: 'jobs', namespaced: true };
const PODS = { group: '', version: 'v1', plural: 'pods', namespaced: true };
const stamp = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');


const job = (name: string, ttl: number): KubeObject => ({
  apiVersion: 'batch/v1', kind: 'Job', metadata: { name },
  spec: { ttlSecondsAfterFinished: ttl, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } },
});

test('a finished job is deleted with its pods once its TTL has passed', async () => {
  // The garbage collector carries out the foreground deletion of the pods.
  const cluster = await startTestCluster({ controllers: ['garbage-collector'] });
  const abort = new AbortController();
  let offset = 0;
  try {
    const config = await cluster.config('system:kube-controller-manager', []);
    const manager = new ControllerManager([{ name: 'ttl-after-finished', workers: 1, create: () => new TtlAfterFinishedController({ now: () => Date.now() + offset }) }], config, createLogger({ component: 'test' }));
    await manager.start(abort.signal);
    const now = Date.now();
    const finish = async (name: string) => cluster.client.patch(JOBS, 'default', name, {
      status: { startTime: stamp(now - 5000), completionTime: stamp(now), succeeded: 1, conditions: [{ type: 'Complete', status: 'True', lastProbeTime: stamp(now), lastTransitionTime: stamp(now) }] },
    }, 'merge', 'status');
    const short = await cluster.client.create(JOBS, 'default', job('short', 30));
    await cluster.client.create(JOBS, 'default', job('long', 3600));
    await cluster.client.create(JOBS, 'default', job('running', 0));
    await cluster.client.create(PODS, 'default', {
      metadata: { name: 'short-pod', ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name: 'short', uid: short.metadata.uid, controller: true, blockOwnerDeletion: true }] },
      spec: { containers: [{ name: 'c', image: 'busybox' }] },
    });
    await finish('short');
    await finish('long');
    await new Promise((r) => setTimeout(r, 300));
    await cluster.client.get(JOBS, 'default', 'short');
    // A minute later by the controller's clock: only the 30s TTL has passed.
    offset = 60_000;
    await cluster.client.patch(JOBS, 'default', 'short', { metadata: { annotations: { poke: '1' } } });
    await cluster.client.patch(JOBS, 'default', 'long', { metadata: { annotations: { poke: '1' } } });
    const gone = (r: typeof JOBS, name: string) => until(`${name} deleted`, () => cluster.client.get(r, 'default', name).then(() => undefined, (e) => (isNotFound(e) ? true : undefined)));
    await gone(JOBS, 'short');
    await gone(PODS, 'short-pod');
    assert.ok(await cluster.client.get(JOBS, 'default', 'long'), 'a job whose TTL has not passed stays');
    assert.ok(await cluster.client.get(JOBS, 'default', 'running'), 'an unfinished job stays');
  } finally {
    abort.abort();
    await cluster.stop();
  }
});
