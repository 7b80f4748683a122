import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestCluster, type TestCluster, until } from '../../server/test-cluster.ts';
import { ControllerManager } from '../engine/manager.ts';
import { ResourceQuotaController } from './resource-quota-controller.ts';
import { createLogger } from '../../base/log.ts';
import { StatusError } from '../../api/status.ts';
import type { KubeObject } from '../../client/api-client.ts';

const PODS = { group: '', version: 'v1', plural: 'pods', namespaced: true };
const QUOTAS = { group: '', version: 'v1', plural: 'resourcequotas', namespaced: true };
const CONFIGMAPS = { group: '', version: 'v1', plural: 'configmaps', namespaced: true };
const SERVICES = { group: '', version: 'v1', plural: 'services', namespaced: true };
const DEPLOYMENTS = { group: 'apps', version: 'v1', plural: 'deployments', namespaced: true };


async function rejection(p: Promise<unknown>): Promise<StatusError> {
  try { await p; } catch (e) { if (e instanceof StatusError) return e; throw e; }
  assert.fail('expected the write to be rejected');
}

async function withQuotaController(fn: (cluster: TestCluster) => Promise<void>): Promise<void> {
  const cluster = await startTestCluster();
  const abort = new AbortController();
  try {
    const manager = new ControllerManager([{ name: 'resourcequota', workers: 2, create: () => new ResourceQuotaController() }],
      await cluster.config('system:kube-controller-manager'), createLogger({ component: 'test' }));
    await manager.start(abort.signal);
    await fn(cluster);
  } finally {
    abort.abort();
    await cluster.stop();
  }
}

/** The quota once the controller has accounted for it with the expected usage. */
const usedIs = (cluster: TestCluster, name: string, used: Record<string, string>) => until(`quota ${name} used ${JSON.stringify(used)}`, async () => {
  const q = await cluster.client.get(QUOTAS, 'default', name);
  const sorted = (o: Record<string, string> | undefined) => JSON.stringify(Object.entries(o ?? {}).sort());
  return sorted(q.status?.used) === sorted(used) ? q : undefined;
});

const pod = (name: string, cpu?: string, extra: KubeObject = {}) => ({
  metadata: { name },
  spec: { containers: [{ name: 'c', image: 'x', ...(cpu ? { resources: { requests: { cpu }, limits: { cpu } } } : {}) }], ...extra },
});

test('a quota over cpu rejects pods past its limit with the upstream message and counts what runs', async () => {
  await withQuotaController(async (cluster) => {
    await cluster.client.create(QUOTAS, 'default', { metadata: { name: 'compute' }, spec: { hard: { 'requests.cpu': '2', 'limits.cpu': '2', pods: '5' } } });
    await usedIs(cluster, 'compute', { 'limits.cpu': '0', pods: '0', 'requests.cpu': '0' });
    await cluster.client.create(PODS, 'default', pod('a', '1500m'));
    const charged = await cluster.client.get(QUOTAS, 'default', 'compute');
    assert.deepEqual(charged.status.used, { 'limits.cpu': '1500m', pods: '1', 'requests.cpu': '1500m' }, 'admission charges at once');
    // A dry run is checked but not charged.
    await cluster.client.request('POST', '/api/v1/namespaces/default/pods?dryRun=All', pod('dry', '100m'));
    assert.deepEqual((await cluster.client.get(QUOTAS, 'default', 'compute')).status.used, charged.status.used);
    const dryOver = await rejection(cluster.client.request('POST', '/api/v1/namespaces/default/pods?dryRun=All', pod('dry', '1')));
    assert.equal(dryOver.code, 403);
    const over = await rejection(cluster.client.create(PODS, 'default', pod('b', '1')));
    assert.equal(over.code, 403);
    assert.equal(over.message, 'pods "b" is forbidden: exceeded quota: compute, requested: limits.cpu=1,requests.cpu=1, used: limits.cpu=1500m,requests.cpu=1500m, limited: limits.cpu=2,requests.cpu=2');
    const unset = await rejection(cluster.client.create(PODS, 'default', pod('c')));
    assert.equal(unset.message, 'pods "c" is forbidden: failed quota: compute: must specify limits.cpu for: c; requests.cpu for: c');
    // Deleting the pod releases its usage (the controller recounts).
    await cluster.client.delete(PODS, 'default', 'a');
    await usedIs(cluster, 'compute', { 'limits.cpu': '0', pods: '0', 'requests.cpu': '0' });
    await cluster.client.create(PODS, 'default', pod('b', '1'));
    const q = await usedIs(cluster, 'compute', { 'limits.cpu': '1', pods: '1', 'requests.cpu': '1' });
    assert.deepEqual(q.status.hard, { 'limits.cpu': '2', pods: '5', 'requests.cpu': '2' });
  });
});

test('two concurrent creates cannot both take the last slot of a quota', async () => {
  await withQuotaController(async (cluster) => {
    await cluster.client.create(QUOTAS, 'default', { metadata: { name: 'objects' }, spec: { hard: { configmaps: '3', 'count/deployments.apps': '1' } } });
    // kube-root-ca.crt is not published here, so no configmap exists yet.
    await usedIs(cluster, 'objects', { configmaps: '0', 'count/deployments.apps': '0' });
    await cluster.client.create(CONFIGMAPS, 'default', { metadata: { name: 'one' } });
    await cluster.client.create(CONFIGMAPS, 'default', { metadata: { name: 'two' } });
    for (let round = 0; round < 3; round++) {
      const results = await Promise.allSettled([0, 1, 2, 3].map((i) => cluster.client.create(CONFIGMAPS, 'default', { metadata: { name: `race-${round}-${i}` } })));
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      assert.equal(won.length, round === 0 ? 1 : 0, 'exactly one create takes the last slot');
      for (const l of lost) assert.match((l.reason as Error).message, /^configmaps "race-\d-\d" is forbidden: exceeded quota: objects, requested: configmaps=1, used: configmaps=3, limited: configmaps=3$/);
    }
    const list = await cluster.client.list(CONFIGMAPS, 'default');
    assert.equal(list.items.length, 3);
    const dep = (name: string) => ({ metadata: { name }, spec: { selector: { matchLabels: { a: name } }, template: { metadata: { labels: { a: name } }, spec: { containers: [{ name: 'c', image: 'x' }] } } } });
    await cluster.client.create(DEPLOYMENTS, 'default', dep('d1'));
    const second = await rejection(cluster.client.create(DEPLOYMENTS, 'default', dep('d2')));
    assert.equal(second.message, 'deployments.apps "d2" is forbidden: exceeded quota: objects, requested: count/deployments.apps=1, used: count/deployments.apps=1, limited: count/deployments.apps=1');
    await usedIs(cluster, 'objects', { configmaps: '3', 'count/deployments.apps': '1' });
  });
});

test('scoped quotas count only the pods in their scope; services count node ports and load balancers', async () => {
  await withQuotaController(async (cluster) => {
    await cluster.client.create(QUOTAS, 'default', { metadata: { name: 'besteffort' }, spec: { hard: { pods: '1' }, scopes: ['BestEffort'] } });
    await cluster.client.create(QUOTAS, 'default', { metadata: { name: 'high' }, spec: { hard: { pods: '1' }, scopeSelector: { matchExpressions: [{ scopeName: 'PriorityClass', operator: 'In', values: ['high'] }] } } });
    await cluster.client.create(QUOTAS, 'default', { metadata: { name: 'svc' }, spec: { hard: { services: '5', 'services.nodeports': '2', 'services.loadbalancers': '1' } } });
    await usedIs(cluster, 'besteffort', { pods: '0' });
    await usedIs(cluster, 'high', { pods: '0' });
    // The API server's own `kubernetes` service lives in default and counts, as upstream.
    await usedIs(cluster, 'svc', { services: '1', 'services.loadbalancers': '0', 'services.nodeports': '0' });
    await cluster.client.create(PODS, 'default', pod('be1'));
    const be2 = await rejection(cluster.client.create(PODS, 'default', pod('be2')));
    assert.equal(be2.message, 'pods "be2" is forbidden: exceeded quota: besteffort, requested: pods=1, used: pods=1, limited: pods=1');
    // A pod with requests is outside the BestEffort scope.
    await cluster.client.create(PODS, 'default', pod('burst', '100m'));
    const nodePort = { metadata: { name: 'np' }, spec: { type: 'NodePort', ports: [{ name: 'a', port: 80 }, { name: 'b', port: 81 }] } };
    await cluster.client.create(SERVICES, 'default', nodePort);
    const lb = await rejection(cluster.client.create(SERVICES, 'default', { metadata: { name: 'lb' }, spec: { type: 'LoadBalancer', ports: [{ port: 80 }] } }));
    assert.equal(lb.message, 'services "lb" is forbidden: exceeded quota: svc, requested: services.nodeports=1, used: services.nodeports=2, limited: services.nodeports=2');
    await usedIs(cluster, 'svc', { services: '2', 'services.loadbalancers': '0', 'services.nodeports': '2' });
    await usedIs(cluster, 'besteffort', { pods: '1' });
    await usedIs(cluster, 'high', { pods: '0' });
  });
});
