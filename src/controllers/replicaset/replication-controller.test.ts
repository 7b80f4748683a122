import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestCluster, until } from '../../server/test-cluster.ts';
import { startFakeNode } from '../../server/fake-node.ts';
import { ControllerManager } from '../engine/manager.ts';
import { createLogger } from '../../base/log.ts';
import type { ApiClient, KubeObject } from '../../client/api-client.ts';
import { newReplicationController } from './index.ts';

const PODS = { group: '', version: 'v1', plural: 'pods', namespaced: true };
const EVENTS = { group: '', version: 'v1', plural: 'events', namespaced: true };
const RC = { group: '', version: 'v1', plural: 'replicationcontrollers', namespaced: true };
const NS = 'default';


async function withCluster(fn: (client: ApiClient) => Promise<void>): Promise<void> {
  const cluster = await startTestCluster();
  const abort = new AbortController();
  let fake: { stop(): void } | undefined;
  try {
    const config = await cluster.config('system:kube-controller-manager');
    await new ControllerManager([{ name: 'replicationcontroller', workers: 2, create: newReplicationController }], config, createLogger({ component: 'test' })).start(abort.signal);
    fake = await startFakeNode(cluster.client);
    await fn(cluster.client);
  } finally {
    fake?.stop();
    abort.abort();
    await cluster.stop();
  }
}

const controller = (name: string, replicas: number, image = 'nginx'): KubeObject => ({
  apiVersion: 'v1', kind: 'ReplicationController', metadata: { name },
  spec: { replicas, selector: { app: name }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image }] } } },
});

const activePodsOf = async (client: ApiClient, uid: string) =>
  ((await client.list(PODS, NS)).items as KubeObject[]).filter((p) => !p.metadata.deletionTimestamp && p.metadata.ownerReferences?.some((r: KubeObject) => r.uid === uid && r.controller));

const eventsFor = async (client: ApiClient, name: string, reason: string) =>
  ((await client.list(EVENTS, NS)).items as KubeObject[]).filter((e) => e.involvedObject?.name === name && e.reason === reason);

test('a ReplicationController gets its pods, scales through the scale subresource and reports status', async () => {
  await withCluster(async (client) => {
    await client.create(PODS, NS, { metadata: { name: 'orphan', labels: { app: 'legacy' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
    const rc = await client.create(RC, NS, controller('legacy', 3));
    const pods = await until('3 pods', async () => { const p = await activePodsOf(client, rc.metadata.uid); return p.length === 3 && p; });
    assert.ok(pods.some((p) => p.metadata.name === 'orphan'), 'the matching orphan was adopted');
    const made = pods.find((p) => p.metadata.name !== 'orphan')!;
    assert.equal(made.metadata.generateName, 'legacy-');
    assert.deepEqual(made.metadata.ownerReferences, [{ apiVersion: 'v1', kind: 'ReplicationController', name: 'legacy', uid: rc.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    const status = await until('3 ready', async () => { const s = (await client.get(RC, NS, 'legacy')).status; return s?.readyReplicas === 3 && s; });
    assert.equal(status.replicas, 3);
    assert.equal(status.availableReplicas, 3);
    assert.equal(status.fullyLabeledReplicas, 3);
    assert.equal(status.observedGeneration, rc.metadata.generation);
    const created = await until('SuccessfulCreate events', async () => { const e = await eventsFor(client, 'legacy', 'SuccessfulCreate'); return e.length === 2 && e; });
    assert.equal(created[0]!.source.component, 'replication-controller');
    assert.equal(created[0]!.involvedObject.kind, 'ReplicationController');

    await client.patch(RC, NS, 'legacy', { spec: { replicas: 1 } }, 'merge', 'scale');
    await until('1 pod', async () => (await activePodsOf(client, rc.metadata.uid)).length === 1);
    await until('status of 1', async () => (await client.get(RC, NS, 'legacy')).status?.replicas === 1);
    const deleted = await until('SuccessfulDelete events', async () => { const e = await eventsFor(client, 'legacy', 'SuccessfulDelete'); return e.length === 2 && e; });
    for (const e of deleted) assert.match(e.message, /^Deleted pod: /);
  });
});

test('a ReplicationController whose template fails validation reports ReplicaFailure and FailedCreate', async () => {
  await withCluster(async (client) => {
    await client.create(RC, NS, controller('legacy', 5, ' nginx'));
    const cond = await until('ReplicaFailure', async () => ((await client.get(RC, NS, 'legacy')).status?.conditions ?? []).find((c: KubeObject) => c.type === 'ReplicaFailure'));
    assert.equal(cond.status, 'True');
    assert.equal(cond.reason, 'FailedCreate');
    assert.match(cond.message, /must not have leading or trailing whitespace/);
    const failed = await until('FailedCreate event', async () => { const e = await eventsFor(client, 'legacy', 'FailedCreate'); return e.length > 0 && e; });
    assert.match(failed[0]!.message, /^Error creating: Pod "legacy-[a-z0-9]{5}" is invalid: /);
    await new Promise((r) => setTimeout(r, 1000));
    const attempts = (await eventsFor(client, 'legacy', 'FailedCreate')).reduce((n, e) => n + (e.count ?? 1), 0);
    assert.ok(attempts < 15, `attempts to create: ${attempts}`);
  });
});
