import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestCluster, until } from './test-cluster.ts';
import { startFakeNode } from './fake-node.ts';
import { isNotFound } from '../api/status.ts';

const PODS = { group: '', version: 'v1', plural: 'pods', namespaced: true };


test('the fake node runs pods to Ready and finishes graceful deletions', async () => {
  const cluster = await startTestCluster();
  const node = await startFakeNode(cluster.client);
  try {
    await cluster.client.create(PODS, 'default', { metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'x' }] } });
    const running = await until('Running', async () => {
      const p = await cluster.client.get(PODS, 'default', 'p');
      return p.status?.phase === 'Running' && p.status.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True') ? p : undefined;
    });
    assert.equal(running.spec.nodeName, 'test-node');
    const deleted = await cluster.client.delete(PODS, 'default', 'p');
    assert.ok(deleted.metadata.deletionTimestamp, 'a pod on a node terminates gracefully');
    await until('gone', async () => cluster.client.get(PODS, 'default', 'p').then(() => undefined, (e) => (isNotFound(e) ? true : undefined)));
  } finally {
    node.stop();
    await cluster.stop();
  }
});
