import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestCluster } from './test-cluster.ts';
import { isNotFound } from '../api/status.ts';

const CM = { group: '', version: 'v1', plural: 'configmaps', namespaced: true };

test('an in-process cluster serves the API and runs only the controllers asked for', async () => {
  const cluster = await startTestCluster({ controllers: ['garbage-collector'] });
  try {
    const owner = await cluster.client.create(CM, 'default', { metadata: { name: 'owner' } });
    await cluster.client.create(CM, 'default', { metadata: { name: 'child', ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: owner.metadata.uid }] } });
    await cluster.client.delete(CM, 'default', 'owner');
    const deadline = Date.now() + 10_000;
    for (;;) {
      try { await cluster.client.get(CM, 'default', 'child'); } catch (e) { if (isNotFound(e)) break; throw e; }
      assert.ok(Date.now() < deadline, 'the garbage collector removed the orphaned child');
      await new Promise((r) => setTimeout(r, 50));
    }
    const other = await cluster.config('system:node:n1', ['system:nodes']);
    assert.match(other.certPem, /BEGIN CERTIFICATE/);
  } finally {
    await cluster.stop();
  }
});
