import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestCluster, until } from '../../server/test-cluster.ts';
import { startFakeNode, type FakeNodeOptions } from '../../server/fake-node.ts';
import { ControllerManager } from '../engine/manager.ts';
import { createLogger } from '../../base/log.ts';
import type { ApiClient, KubeObject } from '../../client/api-client.ts';
import { computeHash, deploymentControllerDescriptor } from './index.ts';

const PODS = { group: '', version: 'v1', plural: 'pods', namespaced: true };
const EVENTS = { group: '', version: 'v1', plural: 'events', namespaced: true };
const RS = { group: 'apps', version: 'v1', plural: 'replicasets', namespaced: true };
const DEPLOY = { group: 'apps', version: 'v1', plural: 'deployments', namespaced: true };
const NS = 'default';


/** A cluster running the deployment and replicaset controllers and one fake node; stopped whatever happens. */
async function withCluster(fn: (client: ApiClient) => Promise<void>, node: FakeNodeOptions = {}): Promise<void> {
  // The replicaset controller runs in the cluster's own controller manager; the fake node binds pods.
  const cluster = await startTestCluster({ controllers: ['replicaset'], scheduler: false });
  const abort = new AbortController();
  let fake: { stop(): void } | undefined;
  try {
    const config = await cluster.config('system:kube-controller-manager');
    await new ControllerManager([deploymentControllerDescriptor], config, createLogger({ component: 'test' })).start(abort.signal);
    fake = await startFakeNode(cluster.client, node);
    await fn(cluster.client);
  } finally {
    fake?.stop();
    abort.abort();
    await cluster.stop();
  }
}

function deployment(name: string, replicas: number, image: string, spec: KubeObject = {}): KubeObject {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name },
    spec: {
      replicas, selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image }] } },
      ...spec,
    },
  };
}

const setImage = (client: ApiClient, name: string, image: string) =>
  client.patch(DEPLOY, NS, name, { spec: { template: { spec: { containers: [{ name: 'c', image }] } } } }, 'strategic');

const replicaSetsOf = async (client: ApiClient, d: KubeObject): Promise<KubeObject[]> =>
  ((await client.list(RS, NS)).items as KubeObject[]).filter((rs) => rs.metadata.ownerReferences?.some((r: KubeObject) => r.uid === d.metadata.uid && r.controller));

const isReady = (p: KubeObject) => !p.metadata.deletionTimestamp && (p.status?.conditions ?? []).some((c: KubeObject) => c.type === 'Ready' && c.status === 'True');
const podsOf = async (client: ApiClient, app: string): Promise<KubeObject[]> =>
  ((await client.list(PODS, NS, { labelSelector: `app=${app}` })).items as KubeObject[]);
const eventMessages = async (client: ApiClient, name: string, reason: string): Promise<string[]> =>
  ((await client.list(EVENTS, NS)).items as KubeObject[]).filter((e) => e.involvedObject?.name === name && e.reason === reason).map((e) => e.message);
const condition = (d: KubeObject, type: string): KubeObject | undefined => (d.status?.conditions ?? []).find((c: KubeObject) => c.type === type);

/**
 * Follows the app's pods through a watch, calling check with the full set after every change,
 * so no intermediate state is missed. Returns a stop function.
 */
async function followPods(client: ApiClient, app: string, check: (pods: KubeObject[]) => void): Promise<() => void> {
  const list = await client.list(PODS, NS, { labelSelector: `app=${app}` });
  const pods = new Map<string, KubeObject>((list.items as KubeObject[]).map((p) => [p.metadata.name, p]));
  check([...pods.values()]);
  const abort = new AbortController();
  void client.watch(PODS, NS, { labelSelector: `app=${app}`, resourceVersion: list.metadata.resourceVersion }, (e) => {
    if (e.type === 'DELETED') pods.delete(e.object.metadata.name);
    else if (e.type === 'ADDED' || e.type === 'MODIFIED') pods.set(e.object.metadata.name, e.object);
    else return;
    check([...pods.values()]);
  }, abort.signal).catch(() => undefined);
  return () => abort.abort();
}

/** The deployment as `kubectl rollout status` sees it: observed, all updated, no old, all available. */
const rolledOut = (client: ApiClient, name: string) => until(`${name} rolled out`, async () => {
  const d = await client.get(DEPLOY, NS, name);
  const want = d.spec.replicas;
  return d.status?.observedGeneration >= d.metadata.generation && (d.status?.updatedReplicas ?? 0) === want
    && (d.status?.replicas ?? 0) === want && (d.status?.availableReplicas ?? 0) === want && d;
});

test('creates its ReplicaSet named by the pod-template hash, labelled on selector, template and pods', async () => {
  await withCluster(async (client) => {
    const created = await client.create(DEPLOY, NS, deployment('web', 3, 'nginx:1'));
    const hash = computeHash(created.spec.template);
    const d = await rolledOut(client, 'web');
    const [rs, ...others] = await replicaSetsOf(client, d);
    assert.equal(others.length, 0);
    assert.equal(rs!.metadata.name, `web-${hash}`);
    assert.match(hash, /^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
    assert.equal(rs!.metadata.labels['pod-template-hash'], hash);
    assert.deepEqual(rs!.spec.selector.matchLabels, { app: 'web', 'pod-template-hash': hash });
    assert.equal(rs!.spec.template.metadata.labels['pod-template-hash'], hash);
    assert.deepEqual(rs!.metadata.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: d.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    assert.equal(rs!.metadata.annotations['deployment.kubernetes.io/revision'], '1');
    assert.equal(rs!.metadata.annotations['deployment.kubernetes.io/desired-replicas'], '3');
    assert.equal(rs!.metadata.annotations['deployment.kubernetes.io/max-replicas'], '4', '3 + 25% surge rounded up');
    const pods = await podsOf(client, 'web');
    assert.equal(pods.length, 3);
    for (const p of pods) assert.equal(p.metadata.labels['pod-template-hash'], hash);

    assert.equal(d.metadata.annotations['deployment.kubernetes.io/revision'], '1');
    assert.equal(d.status.readyReplicas, 3);
    assert.equal(d.status.unavailableReplicas, undefined, 'zero counts are omitted');
    const available = condition(d, 'Available')!;
    assert.deepEqual([available.status, available.reason, available.message], ['True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.']);
    const progressing = await until('NewReplicaSetAvailable', async () => {
      const c = condition(await client.get(DEPLOY, NS, 'web'), 'Progressing');
      return c?.reason === 'NewReplicaSetAvailable' && c;
    });
    assert.equal(progressing.status, 'True');
    assert.equal(progressing.message, `ReplicaSet "web-${hash}" has successfully progressed.`);
    assert.deepEqual(await until('scaling event', async () => { const m = await eventMessages(client, 'web', 'ScalingReplicaSet'); return m.length > 0 && m; }),
      [`Scaled up replica set web-${hash} from 0 to 3`]);
  });
});

test('scaling 3 → 10 → 2 resizes the ReplicaSet without a new revision', async () => {
  await withCluster(async (client) => {
    await client.create(DEPLOY, NS, deployment('web', 3, 'nginx:1'));
    let d = await rolledOut(client, 'web');
    const [rs] = await replicaSetsOf(client, d);
    const name = rs!.metadata.name;
    await client.patch(DEPLOY, NS, 'web', { spec: { replicas: 10 } }, 'merge', 'scale');
    d = await rolledOut(client, 'web');
    assert.equal((await podsOf(client, 'web')).filter(isReady).length, 10);
    await client.patch(DEPLOY, NS, 'web', { spec: { replicas: 2 } }, 'merge');
    d = await rolledOut(client, 'web');
    const rss = await replicaSetsOf(client, d);
    assert.deepEqual(rss.map((r) => r.metadata.name), [name], 'still the one ReplicaSet');
    assert.equal(rss[0]!.spec.replicas, 2);
    assert.equal(rss[0]!.metadata.annotations['deployment.kubernetes.io/desired-replicas'], '2');
    assert.equal(rss[0]!.metadata.annotations['deployment.kubernetes.io/revision'], '1');
    await until('2 pods', async () => (await podsOf(client, 'web')).length === 2);
    const events = await until('3 scaling events', async () => { const m = await eventMessages(client, 'web', 'ScalingReplicaSet'); return m.length === 3 && m; });
    assert.deepEqual(events.sort(), [`Scaled down replica set ${name} from 10 to 2`, `Scaled up replica set ${name} from 0 to 3`, `Scaled up replica set ${name} from 3 to 10`]);
  });
});

test('a template change rolls v1 to v2 never dropping below replicas − maxUnavailable ready pods', async () => {
  await withCluster(async (client) => {
    await client.create(DEPLOY, NS, deployment('web', 4, 'v1', { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 1 } } }));
    await rolledOut(client, 'web');
    await until('4 ready', async () => (await podsOf(client, 'web')).filter(isReady).length === 4);
    const readyCounts: number[] = [];
    const stop = await followPods(client, 'web', (pods) => readyCounts.push(pods.filter(isReady).length));
    let maxSpecTotal = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const rss = (await client.list(RS, NS)).items as KubeObject[];
        maxSpecTotal = Math.max(maxSpecTotal, rss.reduce((n, r) => n + r.spec.replicas, 0));
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    try {
      await setImage(client, 'web', 'v2');
      const d = await rolledOut(client, 'web');
      assert.equal(d.metadata.annotations['deployment.kubernetes.io/revision'], '2');
      await until('only v2 pods', async () => { const p = await podsOf(client, 'web'); return p.length === 4 && p.every((x) => x.spec.containers[0].image === 'v2' && isReady(x)); });
    } finally {
      sampling = false;
      stop();
      await sampler;
    }
    assert.ok(readyCounts.length > 20, `followed every pod change (${readyCounts.length})`);
    assert.ok(Math.min(...readyCounts) >= 3, `ready pods never below 4 − 1: ${readyCounts.join(',')}`);
    assert.ok(maxSpecTotal <= 5, 'ReplicaSets never sized beyond 4 + 1 surge');
    const rss = await replicaSetsOf(client, await client.get(DEPLOY, NS, 'web'));
    const byRevision = Object.fromEntries(rss.map((r) => [r.metadata.annotations['deployment.kubernetes.io/revision'], r.spec.replicas]));
    assert.deepEqual(byRevision, { 1: 0, 2: 4 }, 'the old ReplicaSet is kept, scaled to zero');
  });
});

test('Recreate scales the old ReplicaSet to zero before any new pod starts', async () => {
  await withCluster(async (client) => {
    await client.create(DEPLOY, NS, deployment('web', 3, 'v1', { strategy: { type: 'Recreate' } }));
    await rolledOut(client, 'web');
    let overlap = false;
    const stop = await followPods(client, 'web', (pods) => {
      const images = new Set(pods.map((p) => p.spec.containers[0].image));
      if (images.has('v1') && images.has('v2')) overlap = true;
    });
    try {
      await setImage(client, 'web', 'v2');
      await rolledOut(client, 'web');
      await until('3 v2 pods', async () => { const p = await podsOf(client, 'web'); return p.length === 3 && p.every((x) => x.spec.containers[0].image === 'v2'); });
    } finally {
      stop();
    }
    assert.ok(!overlap, 'no v2 pod existed while any v1 pod (even a terminating one) did');
    const events = await eventMessages(client, 'web', 'ScalingReplicaSet');
    assert.equal(events.filter((m) => / from 3 to 0$/.test(m)).length, 1);
    assert.equal(events.filter((m) => / from 0 to 3$/.test(m)).length, 2);
  });
});

test('rolling back to a revision restores its template, and the old ReplicaSet takes the next revision', async () => {
  await withCluster(async (client) => {
    await client.create(DEPLOY, NS, deployment('web', 2, 'v1'));
    let d = await rolledOut(client, 'web');
    await setImage(client, 'web', 'v2');
    d = await rolledOut(client, 'web');
    const rss = await replicaSetsOf(client, d);
    const v1 = rss.find((r) => r.metadata.annotations['deployment.kubernetes.io/revision'] === '1')!;
    // What `kubectl rollout undo` does for apps/v1: the deployment takes the RS's template without the hash label.
    const template = structuredClone(v1.spec.template);
    delete template.metadata.labels['pod-template-hash'];
    await client.patch(DEPLOY, NS, 'web', [{ op: 'replace', path: '/spec/template', value: template }], 'json');
    d = await rolledOut(client, 'web');
    assert.equal(d.spec.template.spec.containers[0].image, 'v1');
    const after = await until('revision 3 on the v1 ReplicaSet', async () => {
      const rs = (await replicaSetsOf(client, d)).find((r) => r.metadata.uid === v1.metadata.uid)!;
      return rs.metadata.annotations['deployment.kubernetes.io/revision'] === '3' && rs;
    });
    assert.equal(after.metadata.annotations['deployment.kubernetes.io/revision-history'], '1');
    assert.equal(after.spec.replicas, 2);
    assert.equal((await replicaSetsOf(client, d)).length, 2, 'no new ReplicaSet for an old template');
    assert.equal((await until('deployment revision 3', async () => { const x = await client.get(DEPLOY, NS, 'web'); return x.metadata.annotations['deployment.kubernetes.io/revision'] === '3' && x; })).status.updatedReplicas, 2);
    await until('only v1 pods', async () => { const p = await podsOf(client, 'web'); return p.length === 2 && p.every((x) => x.spec.containers[0].image === 'v1'); });
  });
});

test('a rollout whose new pods never become ready exceeds its progress deadline and keeps the old pods', async () => {
  await withCluster(async (client) => {
    await client.create(DEPLOY, NS, deployment('web', 3, 'v1', { progressDeadlineSeconds: 2 }));
    await rolledOut(client, 'web');
    await setImage(client, 'web', 'v2');
    const d = await until('ProgressDeadlineExceeded', async () => {
      const x = await client.get(DEPLOY, NS, 'web');
      return condition(x, 'Progressing')?.reason === 'ProgressDeadlineExceeded' && x;
    }, 10_000);
    const rss = await replicaSetsOf(client, d);
    const newRS = rss.find((r) => r.metadata.annotations['deployment.kubernetes.io/revision'] === '2')!;
    const oldRS = rss.find((r) => r.metadata.annotations['deployment.kubernetes.io/revision'] === '1')!;
    const c = condition(d, 'Progressing')!;
    assert.equal(c.status, 'False');
    assert.equal(c.message, `ReplicaSet "${newRS.metadata.name}" has timed out progressing.`);
    assert.equal(oldRS.spec.replicas, 3, 'maxUnavailable 0 (25% of 3 rounded down): no old pod goes');
    assert.equal(newRS.spec.replicas, 1, 'one surge pod');
    assert.equal(condition(d, 'Available')!.status, 'True');
    const pods = await podsOf(client, 'web');
    assert.equal(pods.filter((p) => p.spec.containers[0].image === 'v1' && isReady(p)).length, 3);
    await new Promise((r) => setTimeout(r, 500));
    assert.equal((await client.get(RS, NS, oldRS.metadata.name)).spec.replicas, 3, 'still holding the old pods');
  }, { ready: (pod) => pod.spec.containers[0].image !== 'v2' });
});

test('a paused deployment does not roll out a template change but still reports status; resuming rolls it out', async () => {
  await withCluster(async (client) => {
    await client.create(DEPLOY, NS, deployment('web', 2, 'v1'));
    await rolledOut(client, 'web');
    await client.patch(DEPLOY, NS, 'web', { spec: { paused: true } }, 'merge');
    const changed = await setImage(client, 'web', 'v2');
    await client.patch(DEPLOY, NS, 'web', { spec: { replicas: 3 } }, 'merge');
    const d = await until('status observed while paused', async () => {
      const x = await client.get(DEPLOY, NS, 'web');
      return x.status?.observedGeneration === changed.metadata.generation + 1 && x.status.replicas === 3 && x;
    });
    const c = condition(d, 'Progressing')!;
    assert.deepEqual([c.status, c.reason, c.message], ['Unknown', 'DeploymentPaused', 'Deployment is paused']);
    assert.equal((await replicaSetsOf(client, d)).length, 1, 'no new ReplicaSet while paused');
    assert.equal(d.status.updatedReplicas, undefined, 'the running pods are not of the current template');
    assert.ok((await podsOf(client, 'web')).every((p) => p.spec.containers[0].image === 'v1'));
    await client.patch(DEPLOY, NS, 'web', { spec: { paused: false } }, 'merge');
    await rolledOut(client, 'web');
    await until('3 v2 pods', async () => { const p = await podsOf(client, 'web'); return p.length === 3 && p.every((x) => x.spec.containers[0].image === 'v2'); });
  });
});

test('revisionHistoryLimit removes the oldest scaled-down ReplicaSets', async () => {
  await withCluster(async (client) => {
    await client.create(DEPLOY, NS, deployment('web', 1, 'v1', { revisionHistoryLimit: 1 }));
    let d = await rolledOut(client, 'web');
    for (const image of ['v2', 'v3']) {
      await setImage(client, 'web', image);
      d = await rolledOut(client, 'web');
    }
    const rss = await until('2 ReplicaSets left', async () => { const r = await replicaSetsOf(client, d); return r.length === 2 && r; });
    assert.deepEqual(rss.map((r) => r.metadata.annotations['deployment.kubernetes.io/revision']).sort(), ['2', '3']);
    assert.equal(rss.find((r) => r.spec.template.spec.containers[0].image === 'v3')!.spec.replicas, 1);
  });
});

test('a name taken by a foreign ReplicaSet bumps collisionCount and the hash', async () => {
  await withCluster(async (client) => {
    // Paused: no ReplicaSet yet, so the name can be taken first.
    const d = await client.create(DEPLOY, NS, deployment('web', 1, 'v1', { paused: true }));
    const taken = `web-${computeHash(d.spec.template)}`;
    await client.create(RS, NS, {
      metadata: { name: taken, labels: { app: 'other' } },
      spec: { replicas: 0, selector: { matchLabels: { app: 'other' } }, template: { metadata: { labels: { app: 'other' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } },
    });
    await client.patch(DEPLOY, NS, 'web', { spec: { paused: false } }, 'merge');
    const done = await rolledOut(client, 'web');
    assert.equal(done.status.collisionCount, 1);
    const rss = await replicaSetsOf(client, done);
    assert.deepEqual(rss.map((r) => r.metadata.name), [`web-${computeHash(d.spec.template, 1)}`]);
    assert.equal((await client.get(RS, NS, taken)).metadata.ownerReferences, undefined, 'the foreign ReplicaSet is left alone');
  });
});

test('minReadySeconds holds pods back from available after they are ready', async () => {
  await withCluster(async (client) => {
    await client.create(DEPLOY, NS, deployment('web', 2, 'v1', { minReadySeconds: 2 }));
    const readyAt = await until('2 ready', async () => { const d = await client.get(DEPLOY, NS, 'web'); return d.status?.readyReplicas === 2 && d; });
    assert.ok((readyAt.status.availableReplicas ?? 0) < 2, 'not yet available when first ready');
    const rs = (await replicaSetsOf(client, readyAt))[0]!;
    assert.equal(rs.spec.minReadySeconds, 2, 'the ReplicaSet carries minReadySeconds');
    const started = Date.now();
    await rolledOut(client, 'web');
    // Ready times have seconds precision, so 2s can be as little as just over 1s.
    assert.ok(Date.now() - started >= 900, 'availability waited for minReadySeconds');
  });
});

test('resizing mid-rollout spreads the change over old and new ReplicaSets in proportion', async () => {
  await withCluster(async (client) => {
    await client.create(DEPLOY, NS, deployment('web', 10, 'v1', { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 3, maxUnavailable: 2 } } }));
    const d = await rolledOut(client, 'web');
    await setImage(client, 'web', 'v2');
    const sizes = async () => Object.fromEntries((await replicaSetsOf(client, d)).map((r) => [r.spec.template.spec.containers[0].image, r.spec.replicas]));
    // v2 pods never become ready: old goes down to 10 − 2, new up to the 13 allowed in total.
    await until('stuck at 8 old + 5 new', async () => { const s = await sizes(); return s.v1 === 8 && s.v2 === 5; });
    await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual(await sizes(), { v1: 8, v2: 5 }, 'the rollout holds the availability floor');
    await client.patch(DEPLOY, NS, 'web', { spec: { replicas: 20 } }, 'merge', 'scale');
    // 23 allowed − 13 present = 10 to add: v1 round(8·23/13) − 8 = 6, v2 round(5·23/13) − 5 = 4.
    await until('14 old + 9 new', async () => { const s = await sizes(); return s.v1 === 14 && s.v2 === 9; });
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(await sizes(), { v1: 14, v2: 9 }, 'and it stays there');
    const events = await eventMessages(client, 'web', 'ScalingReplicaSet');
    assert.ok(events.some((m) => / from 8 to 14$/.test(m)) && events.some((m) => / from 5 to 9$/.test(m)), events.join('\n'));
  }, { ready: (pod) => pod.spec.containers[0].image !== 'v2' });
});

test('an old ReplicaSet whose status still counts pods it just deleted does not take the rollout below the floor', async () => {
  // Only the deployment controller runs: the ReplicaSets' statuses are whatever this test writes.
  const cluster = await startTestCluster({ controllers: [], scheduler: false });
  const abort = new AbortController();
  try {
    const client = cluster.client;
    const config = await cluster.config('system:kube-controller-manager');
    await new ControllerManager([deploymentControllerDescriptor], config, createLogger({ component: 'test' })).start(abort.signal);
    const d = await client.create(DEPLOY, NS, deployment('web', 4, 'v1', { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 1 } } }));
    const byImage = async () => new Map((await replicaSetsOf(client, d)).map((r) => [r.spec.template.spec.containers[0].image as string, r]));
    const setAvailable = async (rs: KubeObject, n: number) => {
      const fresh = await client.get(RS, NS, rs.metadata.name);
      await client.update(RS, NS, { ...fresh, status: { replicas: fresh.spec.replicas, readyReplicas: n, availableReplicas: n, observedGeneration: fresh.metadata.generation } }, 'status');
    };
    const v1 = await until('v1 ReplicaSet', async () => (await byImage()).get('v1'));
    await setAvailable(v1, 4);
    await setImage(client, 'web', 'v2');
    // One surge pod, and one old pod may go: v1 4 → 3, v2 0 → 1, then v2 → 2 (5 in all).
    await until('v1 at 3, v2 at 2', async () => { const m = await byImage(); return m.get('v1')?.spec.replicas === 3 && m.get('v2')?.spec.replicas === 2; });
    // One new pod turns available while v1's status still reports the 4 pods it had.
    await setAvailable((await byImage()).get('v2')!, 1);
    const v1Now = await until('v1 scaled down', async () => { const rs = (await byImage()).get('v1')!; return rs.spec.replicas < 3 && rs; });
    // 3 available old + 1 new, floor 3: one more old pod may go, not two.
    assert.equal(v1Now.spec.replicas, 2);
  } finally {
    abort.abort();
    await cluster.stop();
  }
});
