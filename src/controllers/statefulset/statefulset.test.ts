import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestCluster, type TestCluster, until } from '../../server/test-cluster.ts';
import { startFakeNode, type FakeNode } from '../../server/fake-node.ts';
import { ControllerManager } from '../engine/manager.ts';
import { createLogger } from '../../base/log.ts';
import { Informer } from '../../client/informer.ts';
import type { KubeObject } from '../../client/api-client.ts';
import { statefulSetControllerDescriptor, STATEFULSETS } from './index.ts';
import { CONTROLLER_REVISIONS } from '../engine/history.ts';

const PODS = { group: '', version: 'v1', plural: 'pods', namespaced: true };
const CLAIMS = { group: '', version: 'v1', plural: 'persistentvolumeclaims', namespaced: true };
const EVENTS = { group: '', version: 'v1', plural: 'events', namespaced: true };


interface Env { cluster: TestCluster; node: FakeNode; ready: Set<string> | undefined; onStop(fn: () => void): void; stop(): Promise<void> }

/** A cluster running only the StatefulSet controller and a fake node; ready limits which pods become Ready. */
async function start(opts: { ready?: Set<string> } = {}): Promise<Env> {
  const cluster = await startTestCluster();
  const abort = new AbortController();
  let node: FakeNode | undefined;
  try {
    const manager = new ControllerManager([statefulSetControllerDescriptor], await cluster.config('system:kube-controller-manager'), createLogger({ component: 'test' }));
    await manager.start(abort.signal);
    node = await startFakeNode(cluster.client, { ready: opts.ready ? (p) => opts.ready!.has(p.metadata.name) : undefined });
  } catch (e) {
    abort.abort();
    await cluster.stop();
    throw e;
  }
  const cleanups: (() => void)[] = [];
  return {
    cluster, node, ready: opts.ready, onStop: (fn) => cleanups.push(fn),
    async stop() { for (const fn of cleanups) fn(); node!.stop(); abort.abort(); await cluster.stop(); },
  };
}

function statefulSet(name: string, spec: KubeObject = {}): KubeObject {
  return {
    apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name },
    spec: {
      serviceName: name, replicas: 3, selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx:1' }] } },
      ...spec,
    },
  };
}

const podNames = async (c: TestCluster) => ((await c.client.list(PODS, 'default')).items as KubeObject[]).map((p) => p.metadata.name).sort();
const getPod = (c: TestCluster, name: string) => c.client.get(PODS, 'default', name).catch(() => undefined);
const isReady = (p: KubeObject | undefined) => !!p?.status?.conditions?.some((c: KubeObject) => c.type === 'Ready' && c.status === 'True');

/** Lets the fake node report a pod Ready (it re-reads the gate on the pod's next change). */
async function allowReady(env: Env, name: string): Promise<void> {
  env.ready!.add(name);
  await env.cluster.client.patch(PODS, 'default', name, { metadata: { annotations: { 'test/ready': 'yes' } } }, 'merge');
  await until(`${name} Ready`, async () => isReady(await getPod(env.cluster, name)));
}

test('OrderedReady creates each pod only after the previous one is Running and Ready, with its stable identity', async () => {
  const env = await start({ ready: new Set() });
  try {
    await env.cluster.client.create(STATEFULSETS, 'default', statefulSet('web'));
    const web0 = await until('web-0 running', async () => { const p = await getPod(env.cluster, 'web-0'); return p?.status?.phase === 'Running' ? p : undefined; });
    await new Promise((r) => setTimeout(r, 400));
    assert.deepEqual(await podNames(env.cluster), ['web-0'], 'web-1 waits while web-0 is not Ready');
    assert.equal(web0.spec.hostname, 'web-0');
    assert.equal(web0.spec.subdomain, 'web');
    assert.equal(web0.metadata.labels['statefulset.kubernetes.io/pod-name'], 'web-0');
    assert.equal(web0.metadata.labels['apps.kubernetes.io/pod-index'], '0');
    assert.match(web0.metadata.labels['controller-revision-hash'], /^web-[bcdfghjklmnpqrstvwxz2456789]+$/);
    assert.equal(web0.metadata.ownerReferences[0].kind, 'StatefulSet');

    await allowReady(env, 'web-0');
    await until('web-1 created', async () => (await podNames(env.cluster)).includes('web-1'));
    await new Promise((r) => setTimeout(r, 300));
    assert.ok(!(await podNames(env.cluster)).includes('web-2'), 'web-2 waits for web-1');
    await allowReady(env, 'web-1');
    await until('web-2 created', async () => (await podNames(env.cluster)).includes('web-2'));
    await allowReady(env, 'web-2');
    const set = await until('status', async () => {
      const s = await env.cluster.client.get(STATEFULSETS, 'default', 'web');
      return s.status?.readyReplicas === 3 && s.status.availableReplicas === 3 ? s : undefined;
    });
    assert.equal(set.status.replicas, 3);
    assert.equal(set.status.currentRevision, set.status.updateRevision);
    assert.equal(set.status.observedGeneration, set.metadata.generation);
    const events = (await env.cluster.client.list(EVENTS, 'default')).items as KubeObject[];
    assert.ok(events.some((e) => e.reason === 'SuccessfulCreate' && e.message === 'create Pod web-0 in StatefulSet web successful'));
  } finally {
    await env.stop();
  }
});

test('scaling down removes pods from the highest ordinal, one at a time', async () => {
  const env = await start();
  const order: string[] = [];
  const abort = new AbortController();
  try {
    await env.cluster.client.create(STATEFULSETS, 'default', statefulSet('web'));
    await until('3 ready', async () => (await env.cluster.client.get(STATEFULSETS, 'default', 'web')).status?.readyReplicas === 3);
    const watcher = new Informer(env.cluster.client, PODS, createLogger({ component: 'test' }));
    const note = (p: KubeObject) => { if (!order.includes(p.metadata.name)) order.push(p.metadata.name); };
    watcher.addHandler({ update: (_o, p) => { if (p.metadata.deletionTimestamp) note(p); }, delete: note });
    await watcher.start(abort.signal);
    await env.cluster.client.patch(STATEFULSETS, 'default', 'web', { spec: { replicas: 1 } }, 'merge');
    await until('scaled to 1', async () => (await podNames(env.cluster)).join() === 'web-0');
    assert.deepEqual(order, ['web-2', 'web-1']);
    const events = (await env.cluster.client.list(EVENTS, 'default')).items as KubeObject[];
    assert.ok(events.some((e) => e.reason === 'SuccessfulDelete' && e.message === 'delete Pod web-2 in StatefulSet web successful'));
    await until('status replicas 1', async () => (await env.cluster.client.get(STATEFULSETS, 'default', 'web')).status?.replicas === 1);
  } finally {
    abort.abort();
    await env.stop();
  }
});

test('Parallel creates every pod at once without waiting for readiness', async () => {
  const env = await start({ ready: new Set() });
  try {
    await env.cluster.client.create(STATEFULSETS, 'default', statefulSet('par', { podManagementPolicy: 'Parallel', replicas: 4, serviceName: 'svc' }));
    await until('4 pods', async () => (await podNames(env.cluster)).length === 4 || undefined);
    assert.deepEqual(await podNames(env.cluster), ['par-0', 'par-1', 'par-2', 'par-3']);
    const s = await until('status', async () => { const x = await env.cluster.client.get(STATEFULSETS, 'default', 'par'); return x.status?.replicas === 4 ? x : undefined; });
    assert.equal(s.status.readyReplicas ?? 0, 0);
    assert.equal((await getPod(env.cluster, 'par-3'))!.spec.subdomain, 'svc');
  } finally {
    await env.stop();
  }
});

test('claims from volumeClaimTemplates are made per ordinal before the pod and kept on scale-down', async () => {
  const env = await start();
  try {
    await env.cluster.client.create(STATEFULSETS, 'default', statefulSet('db', {
      replicas: 2, ordinals: { start: 5 },
      volumeClaimTemplates: [{ metadata: { name: 'data', labels: { tier: 'storage' } }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
    }));
    await until('2 ready', async () => (await env.cluster.client.get(STATEFULSETS, 'default', 'db')).status?.readyReplicas === 2);
    const claims = ((await env.cluster.client.list(CLAIMS, 'default')).items as KubeObject[]);
    assert.deepEqual(claims.map((c) => c.metadata.name).sort(), ['data-db-5', 'data-db-6']);
    const claim = claims.find((c) => c.metadata.name === 'data-db-5')!;
    assert.deepEqual(claim.metadata.labels, { tier: 'storage', app: 'db' });
    assert.equal(claim.metadata.ownerReferences, undefined, 'Retain policies leave claims unowned');
    const pod = (await getPod(env.cluster, 'db-5'))!;
    assert.deepEqual(pod.spec.volumes.find((v: KubeObject) => v.name === 'data').persistentVolumeClaim, { claimName: 'data-db-5' });
    const events = (await env.cluster.client.list(EVENTS, 'default')).items as KubeObject[];
    assert.ok(events.some((e) => e.message === 'create Claim data-db-5 Pod db-5 in StatefulSet db success'));

    await env.cluster.client.patch(STATEFULSETS, 'default', 'db', { spec: { replicas: 1 } }, 'merge');
    await until('scaled down', async () => (await podNames(env.cluster)).join() === 'db-5');
    const after = ((await env.cluster.client.list(CLAIMS, 'default')).items as KubeObject[]).map((c) => c.metadata.name).sort();
    assert.deepEqual(after, ['data-db-5', 'data-db-6']);
  } finally {
    await env.stop();
  }
});

test('whenDeleted=Delete makes the set own its claims; whenScaled=Delete hands a condemned claim to its pod', async () => {
  const env = await start();
  try {
    const created = await env.cluster.client.create(STATEFULSETS, 'default', statefulSet('kv', {
      replicas: 2, persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete', whenScaled: 'Delete' },
      volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
    }));
    await until('2 ready', async () => (await env.cluster.client.get(STATEFULSETS, 'default', 'kv')).status?.readyReplicas === 2);
    const claim = await env.cluster.client.get(CLAIMS, 'default', 'data-kv-1');
    assert.deepEqual(claim.metadata.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'kv', uid: created.metadata.uid }]);
    const pod1 = (await getPod(env.cluster, 'kv-1'))!;
    await env.cluster.client.patch(STATEFULSETS, 'default', 'kv', { spec: { replicas: 1 } }, 'merge');
    await until('scaled down', async () => (await podNames(env.cluster)).join() === 'kv-0');
    // No garbage collector runs here: the hand-over is what we can see.
    const handed = await env.cluster.client.get(CLAIMS, 'default', 'data-kv-1');
    assert.deepEqual(handed.metadata.ownerReferences, [{ apiVersion: 'v1', kind: 'Pod', name: 'kv-1', uid: pod1.metadata.uid }]);
  } finally {
    await env.stop();
  }
});

test('a rolling update with a partition replaces only ordinals at or above it, highest first', async () => {
  const env = await start();
  try {
    await env.cluster.client.create(STATEFULSETS, 'default', statefulSet('web', { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 1 } } }));
    const before = await until('3 ready', async () => { const s = await env.cluster.client.get(STATEFULSETS, 'default', 'web'); return s.status?.readyReplicas === 3 ? s : undefined; });
    const oldRev = before.status.currentRevision;
    const replaced: string[] = [];
    const abort = new AbortController();
    const watcher = new Informer(env.cluster.client, PODS, createLogger({ component: 'test' }));
    watcher.addHandler({ delete: (p) => replaced.push(p.metadata.name) });
    await watcher.start(abort.signal);
    env.onStop(() => abort.abort());
    await env.cluster.client.patch(STATEFULSETS, 'default', 'web', { spec: { template: { spec: { containers: [{ name: 'c', image: 'nginx:2' }] } } } }, 'strategic');
    const updated = await until('partitioned update done', async () => {
      const s = await env.cluster.client.get(STATEFULSETS, 'default', 'web');
      return s.status?.updatedReplicas === 2 && s.status.readyReplicas === 3 && s.status.updateRevision !== oldRev ? s : undefined;
    });
    const image = async (n: string) => (await getPod(env.cluster, n))?.spec.containers[0].image;
    const rev = async (n: string) => (await getPod(env.cluster, n))?.metadata.labels['controller-revision-hash'];
    assert.equal(await image('web-0'), 'nginx:1');
    assert.equal(await rev('web-0'), oldRev);
    assert.equal(await image('web-1'), 'nginx:2');
    assert.equal(await image('web-2'), 'nginx:2');
    assert.equal(await rev('web-2'), updated.status.updateRevision);
    assert.equal(updated.status.currentRevision, oldRev, 'a partitioned update is not complete');
    assert.equal(updated.status.currentReplicas, 1);
    assert.deepEqual(replaced, ['web-2', 'web-1'], 'replaced from the highest ordinal down to the partition');

    await env.cluster.client.patch(STATEFULSETS, 'default', 'web', { spec: { updateStrategy: { rollingUpdate: { partition: 0 } } } }, 'merge');
    const done = await until('update complete', async () => {
      const s = await env.cluster.client.get(STATEFULSETS, 'default', 'web');
      return s.status?.currentRevision === updated.status.updateRevision && s.status.readyReplicas === 3 && s.status.updatedReplicas === 3 ? s : undefined;
    });
    assert.equal(await image('web-0'), 'nginx:2');
    assert.equal(done.status.currentReplicas, 3);
    const revisions = ((await env.cluster.client.list(CONTROLLER_REVISIONS, 'default')).items as KubeObject[]).sort((a, b) => a.revision - b.revision);
    assert.deepEqual(revisions.map((r) => [r.metadata.name, r.revision]), [[oldRev, 1], [done.status.updateRevision, 2]]);
    assert.equal(revisions[1].data.spec.template.spec.containers[0].image, 'nginx:2');
    assert.equal(revisions[1].data.spec.template.$patch, 'replace');
  } finally {
    await env.stop();
  }
});
