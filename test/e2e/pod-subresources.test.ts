// Pod binding and eviction through the API: a binding sets the node once and marks the pod
// scheduled; an eviction honours the pod's disruption budget (kubectl drain's 429 retry).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestCluster, type TestCluster } from '../../src/server/test-cluster.ts';
import { isNotFound, isStatusError } from '../../src/api/status.ts';

const PODS = { group: '', version: 'v1', plural: 'pods', namespaced: true };
const PDBS = { group: 'policy', version: 'v1', plural: 'poddisruptionbudgets', namespaced: true };
let cluster: TestCluster;
before(async () => { cluster = await startTestCluster(); });
after(() => cluster.stop());

const pod = (name: string, labels: Record<string, string> = {}) => ({ metadata: { name, labels }, spec: { containers: [{ name: 'c', image: 'busybox' }] } });

test('a binding assigns the node once and sets PodScheduled', async () => {
  const c = cluster.client;
  await c.create(PODS, 'default', pod('bind-me'));
  const status = await c.request('POST', '/api/v1/namespaces/default/pods/bind-me/binding', { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'bind-me' }, target: { apiVersion: 'v1', kind: 'Node', name: 'node-a' } });
  assert.equal(status.status, 'Success');
  const p = await c.get(PODS, 'default', 'bind-me');
  assert.equal(p.spec.nodeName, 'node-a');
  assert.equal(p.status.conditions.find((x: any) => x.type === 'PodScheduled').status, 'True');
  await assert.rejects(
    c.request('POST', '/api/v1/namespaces/default/bindings', { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'bind-me' }, target: { kind: 'Node', name: 'node-b' } }),
    (e) => isStatusError(e) && e.code === 409 && /already assigned to node "node-a"/.test(e.message),
  );
});

test('an eviction blocked by a disruption budget is 429; allowed ones delete the pod and spend the budget', async () => {
  const c = cluster.client;
  await c.create(PODS, 'default', pod('guarded', { app: 'db' }));
  await c.create(PODS, 'default', pod('free'));
  const pdb = await c.create(PDBS, 'default', { metadata: { name: 'db' }, spec: { minAvailable: 1, selector: { matchLabels: { app: 'db' } } } });
  const evict = (name: string) => c.request('POST', `/api/v1/namespaces/default/pods/${name}/eviction`, { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace: 'default' } });
  await assert.rejects(evict('guarded'), (e) => isStatusError(e) && e.code === 429 && e.reason === 'TooManyRequests');
  await c.update(PDBS, 'default', { ...pdb, status: { observedGeneration: 1, disruptionsAllowed: 1, currentHealthy: 2, desiredHealthy: 1, expectedPods: 2 } }, 'status');
  assert.equal((await evict('guarded')).status, 'Success');
  await assert.rejects(c.get(PODS, 'default', 'guarded'), isNotFound);
  const spent = await c.get(PDBS, 'default', 'db');
  assert.equal(spent.status.disruptionsAllowed, 0);
  assert.ok(spent.status.disruptedPods.guarded);
  assert.equal((await evict('free')).status, 'Success');
  await assert.rejects(c.get(PODS, 'default', 'free'), isNotFound);
});

test('evictions racing each other and the budget\'s status writes all succeed, each spending the budget once', async () => {
  const c = cluster.client;
  const names = Array.from({ length: 40 }, (_, i) => `race-${i}`);
  for (const n of names) await c.create(PODS, 'default', pod(n, { app: 'race' }));
  const pdb = await c.create(PDBS, 'default', { metadata: { name: 'race' }, spec: { minAvailable: 0, selector: { matchLabels: { app: 'race' } } } });
  await c.update(PDBS, 'default', { ...pdb, status: { observedGeneration: 1, disruptionsAllowed: 100, currentHealthy: 8, desiredHealthy: 0, expectedPods: 8 } }, 'status');
  // What the disruption controller does meanwhile: rewrite the status (with a fresh resourceVersion each time).
  let writing = true;
  const writer = async () => {
    while (writing) {
      const cur = await c.get(PDBS, 'default', 'race');
      await c.update(PDBS, 'default', { ...cur, status: { ...cur.status, currentHealthy: (cur.status.currentHealthy + 1) % 50 } }, 'status').catch(() => undefined);
    }
  };
  const writers = Promise.all([writer(), writer(), writer()]);
  const results = await Promise.allSettled(names.map((n) => c.request('POST', `/api/v1/namespaces/default/pods/${n}/eviction`, { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: n, namespace: 'default' } })));
  writing = false;
  await writers;
  assert.deepEqual(results.map((r) => r.status === 'rejected' ? String((r as PromiseRejectedResult).reason) : 'ok'), names.map(() => 'ok'));
  assert.equal((await c.get(PDBS, 'default', 'race')).status.disruptionsAllowed, 100 - names.length);
});
