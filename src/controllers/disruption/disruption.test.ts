import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestCluster, until } from '../../server/test-cluster.ts';
import { startFakeNode } from '../../server/fake-node.ts';

const PODS = { group: '', version: 'v1', plural: 'pods', namespaced: true };
const PDBS = { group: 'policy', version: 'v1', plural: 'poddisruptionbudgets', namespaced: true };
const DEPLOYS = { group: 'apps', version: 'v1', plural: 'deployments', namespaced: true };


test('a disruption budget counts healthy pods and allows only the disruptions it can afford', async () => {
  const cluster = await startTestCluster({ controllers: ['disruption', 'deployment', 'replicaset'] });
  const node = await startFakeNode(cluster.client);
  try {
    const c = cluster.client;
    await c.create(DEPLOYS, 'default', { metadata: { name: 'web' }, spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } } });
    await c.create(PDBS, 'default', { metadata: { name: 'min2' }, spec: { minAvailable: 2, selector: { matchLabels: { app: 'web' } } } });
    await c.create(PDBS, 'default', { metadata: { name: 'pct' }, spec: { maxUnavailable: '34%', selector: { matchLabels: { app: 'web' } } } });
    const min2 = await until('min2 status', async () => { const p = await c.get(PDBS, 'default', 'min2'); return p.status?.currentHealthy === 3 ? p : undefined; });
    assert.deepEqual([min2.status.expectedPods, min2.status.desiredHealthy, min2.status.disruptionsAllowed], [3, 2, 1]);
    assert.equal(min2.status.conditions[0].reason, 'SufficientPods');
    const pct = await until('pct status', async () => { const p = await c.get(PDBS, 'default', 'pct'); return p.status?.currentHealthy === 3 ? p : undefined; });
    assert.deepEqual([pct.status.expectedPods, pct.status.desiredHealthy, pct.status.disruptionsAllowed], [3, 1, 2], 'expected pods come from the deployment\'s scale; 34% of 3 rounds up to 2');
    await c.delete(PDBS, 'default', 'pct');
    const pods = (await c.list(PODS, 'default', { labelSelector: 'app=web' })).items;
    const evict = (name: string) => c.request('POST', `/api/v1/namespaces/default/pods/${name}/eviction`, { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name } });
    await evict(pods[0].metadata.name);
    await assert.rejects(evict(pods[1].metadata.name), (e: any) => e.code === 429);
  } finally {
    node.stop();
    await cluster.stop();
  }
});
