import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestCluster, until } from '../../server/test-cluster.ts';
import { startFakeNode, type FakeNodeOptions } from '../../server/fake-node.ts';
import { ControllerManager } from '../engine/manager.ts';
import { createLogger } from '../../base/log.ts';
import type { ApiClient, KubeObject } from '../../client/api-client.ts';
import { newReplicaSetController } from './index.ts';

const PODS = { group: '', version: 'v1', plural: 'pods', namespaced: true };
const EVENTS = { group: '', version: 'v1', plural: 'events', namespaced: true };
const RS = { group: 'apps', version: 'v1', plural: 'replicasets', namespaced: true };
const NS = 'default';


/** A cluster running only this controller, with one fake node; stopped whatever happens. */
async function withCluster(fn: (client: ApiClient) => Promise<void>, node: FakeNodeOptions = {}): Promise<void> {
  const cluster = await startTestCluster();
  const abort = new AbortController();
  let fake: { stop(): void } | undefined;
  try {
    const config = await cluster.config('system:kube-controller-manager');
    await new ControllerManager([{ name: 'replicaset', workers: 2, create: newReplicaSetController }], config, createLogger({ component: 'test' })).start(abort.signal);
    fake = await startFakeNode(cluster.client, node);
    await fn(cluster.client);
  } finally {
    fake?.stop();
    abort.abort();
    await cluster.stop();
  }
}

function replicaSet(name: string, replicas: number, extra: { minReadySeconds?: number; image?: string } = {}): KubeObject {
  return {
    apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name },
    spec: {
      replicas, ...(extra.minReadySeconds ? { minReadySeconds: extra.minReadySeconds } : {}),
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name, tier: 'web' }, annotations: { note: 'from-template' } }, spec: { containers: [{ name: 'c', image: extra.image ?? 'nginx' }] } },
    },
  };
}

const activePodsOf = async (client: ApiClient, uid: string) =>
  ((await client.list(PODS, NS)).items as KubeObject[]).filter((p) => !p.metadata.deletionTimestamp && p.metadata.ownerReferences?.some((r: KubeObject) => r.uid === uid && r.controller));

const eventsFor = async (client: ApiClient, name: string, reason: string) =>
  ((await client.list(EVENTS, NS)).items as KubeObject[]).filter((e) => e.involvedObject?.name === name && e.reason === reason);

test('creates the missing pods when replicas rise, each from the template and owned by the ReplicaSet', async () => {
  await withCluster(async (client) => {
    const rs = await client.create(RS, NS, replicaSet('web', 2));
    let pods = await until('2 pods', async () => { const p = await activePodsOf(client, rs.metadata.uid); return p.length === 2 && p; });
    const pod = pods[0]!;
    assert.equal(pod.metadata.generateName, 'web-');
    assert.deepEqual(pod.metadata.labels, { app: 'web', tier: 'web' });
    assert.equal(pod.metadata.annotations?.note, 'from-template');
    assert.deepEqual(pod.metadata.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: rs.metadata.uid, controller: true, blockOwnerDeletion: true }]);

    // Through the scale subresource, as `kubectl scale` does.
    await client.patch(RS, NS, 'web', { spec: { replicas: 5 } }, 'merge', 'scale');
    pods = await until('5 pods', async () => { const p = await activePodsOf(client, rs.metadata.uid); return p.length === 5 && p; });
    await new Promise((r) => setTimeout(r, 300));
    assert.equal((await activePodsOf(client, rs.metadata.uid)).length, 5, 'no more than asked for');
    const created = await until('5 SuccessfulCreate events', async () => { const e = await eventsFor(client, 'web', 'SuccessfulCreate'); return e.length === 5 && e; });
    assert.deepEqual(created.map((e) => e.message).sort(), pods.map((p) => `Created pod: ${p.metadata.name}`).sort());
    assert.equal(created[0]!.source.component, 'replicaset-controller');
    assert.equal(created[0]!.type, 'Normal');
  });
});

test('deletes the surplus when replicas fall, the not-ready pod first', async () => {
  await withCluster(async (client) => {
    const rs = await client.create(RS, NS, replicaSet('web', 3));
    const pods = await until('3 ready', async () => {
      const cur = await client.get(RS, NS, 'web');
      return cur.status?.readyReplicas === 3 && activePodsOf(client, rs.metadata.uid);
    });
    const flaky = pods[1]!.metadata.name;
    await client.patch(PODS, NS, flaky, { metadata: { labels: { flaky: 'true' } } });
    await until('2 ready', async () => (await client.get(RS, NS, 'web')).status?.readyReplicas === 2);

    await client.patch(RS, NS, 'web', { spec: { replicas: 2 } });
    const left = await until('2 pods', async () => { const p = await activePodsOf(client, rs.metadata.uid); return p.length === 2 && p; });
    assert.ok(!left.some((p) => p.metadata.name === flaky), 'the not-ready pod went');
    const deleted = await until('SuccessfulDelete event', async () => { const e = await eventsFor(client, 'web', 'SuccessfulDelete'); return e.length > 0 && e; });
    assert.deepEqual(deleted.map((e) => e.message), [`Deleted pod: ${flaky}`]);
    const status = await until('status settles', async () => { const s = (await client.get(RS, NS, 'web')).status; return s?.replicas === 2 && s.readyReplicas === 2 && s; });
    assert.equal(status.availableReplicas, 2);
  }, { ready: (p) => p.metadata.labels?.flaky !== 'true' });
});

test('replaces a deleted pod', async () => {
  await withCluster(async (client) => {
    const rs = await client.create(RS, NS, replicaSet('web', 2));
    const before = await until('2 pods', async () => { const p = await activePodsOf(client, rs.metadata.uid); return p.length === 2 && p; });
    const victim = before[0]!.metadata.name;
    await client.delete(PODS, NS, victim);
    const after = await until('a replacement', async () => {
      const p = await activePodsOf(client, rs.metadata.uid);
      return p.length === 2 && !p.some((x) => x.metadata.name === victim) && p;
    });
    assert.ok(after.some((p) => p.metadata.name === before[1]!.metadata.name), 'the surviving pod is kept');
  });
});

test('adopts an orphan with matching labels and releases a pod whose labels change', async () => {
  await withCluster(async (client) => {
    await client.create(PODS, NS, { metadata: { name: 'orphan', labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
    const rs = await client.create(RS, NS, replicaSet('web', 2));
    const pods = await until('2 pods', async () => { const p = await activePodsOf(client, rs.metadata.uid); return p.length === 2 && p; });
    assert.ok(pods.some((p) => p.metadata.name === 'orphan'), 'the orphan was adopted');
    await new Promise((r) => setTimeout(r, 300));
    assert.equal((await activePodsOf(client, rs.metadata.uid)).length, 2, 'only one pod was created besides the orphan');
    const orphan = await client.get(PODS, NS, 'orphan');
    assert.deepEqual(orphan.metadata.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: rs.metadata.uid, controller: true, blockOwnerDeletion: true }]);

    await client.patch(PODS, NS, 'orphan', { metadata: { labels: { app: 'other' } } });
    await until('released', async () => !((await client.get(PODS, NS, 'orphan')).metadata.ownerReferences ?? []).some((r: KubeObject) => r.uid === rs.metadata.uid));
    const now = await until('a replacement', async () => {
      const p = await activePodsOf(client, rs.metadata.uid);
      return p.length === 2 && !p.some((x) => x.metadata.name === 'orphan') && p;
    });
    assert.equal(now.length, 2);
    assert.ok(await client.get(PODS, NS, 'orphan'), 'the released pod is left running');
  });
});

test('reports replicas, ready, available after minReadySeconds, and the observed generation', async () => {
  await withCluster(async (client) => {
    const rs = await client.create(RS, NS, replicaSet('web', 2, { minReadySeconds: 2 }));
    const ready = await until('2 ready', async () => { const s = (await client.get(RS, NS, 'web')).status; return s?.readyReplicas === 2 && s; });
    assert.equal(ready.replicas, 2);
    assert.equal(ready.fullyLabeledReplicas, 2);
    assert.equal(ready.availableReplicas ?? 0, 0, 'not available before minReadySeconds');
    assert.equal(ready.observedGeneration, rs.metadata.generation);
    const available = await until('2 available', async () => { const s = (await client.get(RS, NS, 'web')).status; return s?.availableReplicas === 2 && s; }, 6000);
    assert.equal(available.readyReplicas, 2);

    const scaled = await client.patch(RS, NS, 'web', { spec: { replicas: 1 } });
    assert.ok(scaled.metadata.generation > rs.metadata.generation);
    const after = await until('generation observed', async () => { const o = await client.get(RS, NS, 'web'); return o.status?.observedGeneration === scaled.metadata.generation && o.status.replicas === 1 && o.status; });
    assert.equal(after.availableReplicas, 1);
  });
});

test('a template that fails validation sets ReplicaFailure and a FailedCreate event without a create storm', async () => {
  await withCluster(async (client) => {
    // Templates may carry an image with surrounding spaces; pods may not.
    await client.create(RS, NS, replicaSet('web', 10, { image: 'nginx ' }));
    const cond = await until('ReplicaFailure', async () => ((await client.get(RS, NS, 'web')).status?.conditions ?? []).find((c: KubeObject) => c.type === 'ReplicaFailure'));
    assert.equal(cond.status, 'True');
    assert.equal(cond.reason, 'FailedCreate');
    assert.match(cond.message, /^Pod "web-[a-z0-9]{5}" is invalid: spec\.containers\[0\]\.image: Invalid value: "nginx ": must not have leading or trailing whitespace$/);
    const failed = await until('FailedCreate event', async () => { const e = await eventsFor(client, 'web', 'FailedCreate'); return e.length > 0 && e; });
    assert.equal(failed[0]!.type, 'Warning');
    assert.match(failed[0]!.message, /^Error creating: Pod "web-[a-z0-9]{5}" is invalid: /);

    await new Promise((r) => setTimeout(r, 1500));
    const attempts = (await eventsFor(client, 'web', 'FailedCreate')).reduce((n, e) => n + (e.count ?? 1), 0);
    // Without slow start the first sync alone would try all 10; backoff then spaces out retries.
    assert.ok(attempts < 20, `attempts to create: ${attempts}`);
    assert.equal((await client.get(RS, NS, 'web')).status?.replicas ?? 0, 0);

    // Fixing the template lets the pods come and clears the condition.
    const fixed = await client.get(RS, NS, 'web');
    fixed.spec.template.spec.containers[0].image = 'nginx';
    await client.update(RS, NS, fixed);
    const status = await until('10 replicas, no failure', async () => { const s = (await client.get(RS, NS, 'web')).status; return s?.replicas === 10 && !s.conditions && s; });
    assert.equal(status.replicas, 10);
  });
});
