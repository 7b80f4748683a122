import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestCluster, type TestCluster, until } from '../../server/test-cluster.ts';
import { ControllerManager } from '../engine/manager.ts';
import { createLogger } from '../../base/log.ts';
import { Informer } from '../../client/informer.ts';
import type { ApiClient, KubeObject } from '../../client/api-client.ts';
import { daemonSetControllerDescriptor, DAEMONSETS, targetNodeName } from './index.ts';
import { CONTROLLER_REVISIONS } from '../engine/history.ts';

const PODS = { group: '', version: 'v1', plural: 'pods', namespaced: true };
const NODES = { group: '', version: 'v1', plural: 'nodes', namespaced: false };
const EVENTS = { group: '', version: 'v1', plural: 'events', namespaced: true };
const stamp = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');


function nodeObject(name: string, extra: { labels?: Record<string, string>; taints?: KubeObject[] } = {}): KubeObject {
  return {
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...(extra.labels ?? {}) } },
    spec: extra.taints ? { taints: extra.taints } : {},
    status: { conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', lastHeartbeatTime: stamp(), lastTransitionTime: stamp() }] },
  };
}

/**
 * Stands in for the scheduler and the kubelets: binds each daemon pod to the node its
 * metadata.name affinity names, reports it Running and Ready after readyAfterMs, and finishes
 * graceful deletions.
 */
async function startNodeAgents(client: ApiClient, signal: AbortSignal, readyAfterMs = 0): Promise<void> {
  const pods = new Informer(client, PODS, createLogger({ component: 'test-nodes' }));
  const busy = new Set<string>();
  const sync = async (pod: KubeObject) => {
    const { namespace: ns, name } = pod.metadata;
    if (busy.has(name) || signal.aborted) return;
    busy.add(name);
    try {
      if (pod.metadata.deletionTimestamp) {
        await client.delete(PODS, ns, name, { gracePeriodSeconds: 0, preconditions: { uid: pod.metadata.uid } });
      } else if (!pod.spec.nodeName) {
        const target = targetNodeName(pod);
        if (target) await client.request('POST', `/api/v1/namespaces/${ns}/pods/${name}/binding`, { apiVersion: 'v1', kind: 'Binding', metadata: { name, uid: pod.metadata.uid }, target: { kind: 'Node', name: target } });
      } else if (pod.status?.phase !== 'Running') {
        if (readyAfterMs) await new Promise((r) => setTimeout(r, readyAfterMs));
        const now = stamp();
        await client.patch(PODS, ns, name, { status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: now }, { type: 'PodScheduled', status: 'True', lastTransitionTime: now }] } }, 'merge', 'status');
      }
    } catch { /* gone or changed meanwhile: the next event retries */ } finally { busy.delete(name); }
    // Events that arrived while busy were skipped: look at the latest state once more.
    const latest = pods.get(`${ns}/${name}`);
    if (latest && latest.metadata.resourceVersion !== pod.metadata.resourceVersion) void sync(latest);
  };
  pods.addHandler({ add: (p) => void sync(p), update: (_o, p) => void sync(p) });
  await pods.start(signal);
}

interface Env { cluster: TestCluster; stop(): Promise<void> }

async function start(nodes: KubeObject[], readyAfterMs = 0): Promise<Env> {
  const cluster = await startTestCluster();
  const abort = new AbortController();
  try {
    for (const n of nodes) await cluster.client.create(NODES, undefined, n);
    const manager = new ControllerManager([daemonSetControllerDescriptor], await cluster.config('system:kube-controller-manager'), createLogger({ component: 'test' }));
    await manager.start(abort.signal);
    await startNodeAgents(cluster.client, abort.signal, readyAfterMs);
  } catch (e) {
    abort.abort();
    await cluster.stop();
    throw e;
  }
  return { cluster, async stop() { abort.abort(); await cluster.stop(); } };
}

function daemonSet(name: string, spec: KubeObject = {}, podSpec: KubeObject = {}): KubeObject {
  return {
    apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name },
    spec: {
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'agent:1' }], ...podSpec } },
      ...spec,
    },
  };
}

const livePods = async (c: TestCluster) => ((await c.client.list(PODS, 'default')).items as KubeObject[]).filter((p) => !p.metadata.deletionTimestamp);
const podNodes = async (c: TestCluster) => (await livePods(c)).map((p) => p.spec.nodeName ?? `unbound:${targetNodeName(p)}`).sort();
const status = async (c: TestCluster, name: string) => (await c.client.get(DAEMONSETS, 'default', name)).status ?? {};

test('a DaemonSet runs one pod per node, each pinned to its node by affinity, with the daemon tolerations', async () => {
  const env = await start([nodeObject('n1'), nodeObject('n2'), nodeObject('n3')]);
  try {
    const ds = await env.cluster.client.create(DAEMONSETS, 'default', daemonSet('agent'));
    await until('3 ready', async () => (await status(env.cluster, 'agent')).numberReady === 3);
    assert.deepEqual(await podNodes(env.cluster), ['n1', 'n2', 'n3']);
    const pod = (await livePods(env.cluster)).find((p) => p.spec.nodeName === 'n2')!;
    assert.deepEqual(pod.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms, [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n2'] }] }]);
    assert.deepEqual(pod.spec.tolerations.map((t: KubeObject) => `${t.key}:${t.effect}`), [
      'node.kubernetes.io/not-ready:NoExecute', 'node.kubernetes.io/unreachable:NoExecute', 'node.kubernetes.io/disk-pressure:NoSchedule',
      'node.kubernetes.io/memory-pressure:NoSchedule', 'node.kubernetes.io/pid-pressure:NoSchedule', 'node.kubernetes.io/unschedulable:NoSchedule',
    ]);
    assert.match(pod.metadata.name, /^agent-[a-z0-9]{5}$/);
    assert.equal(pod.metadata.ownerReferences[0].uid, ds.metadata.uid);
    const revisions = (await env.cluster.client.list(CONTROLLER_REVISIONS, 'default')).items as KubeObject[];
    assert.equal(revisions.length, 1);
    assert.equal(pod.metadata.labels['controller-revision-hash'], revisions[0].metadata.labels['controller-revision-hash']);
    assert.equal(revisions[0].metadata.name, `agent-${pod.metadata.labels['controller-revision-hash']}`);
    assert.equal(revisions[0].revision, 1);
    const s = await until('status settled', async () => { const x = await status(env.cluster, 'agent'); return x.numberAvailable === 3 && x.updatedNumberScheduled === 3 ? x : undefined; });
    assert.equal(s.desiredNumberScheduled, 3);
    assert.equal(s.currentNumberScheduled, 3);
    assert.equal(s.numberMisscheduled, 0);
    assert.equal(s.numberUnavailable, undefined);
    const events = (await env.cluster.client.list(EVENTS, 'default')).items as KubeObject[];
    assert.ok(events.some((e) => e.reason === 'SuccessfulCreate' && e.message === `Created pod: ${pod.metadata.name}`));
  } finally {
    await env.stop();
  }
});

test('a DaemonSet follows nodes being added, relabelled and removed', async () => {
  const env = await start([nodeObject('n1', { labels: { role: 'edge' } }), nodeObject('n2')]);
  try {
    await env.cluster.client.create(DAEMONSETS, 'default', daemonSet('edge', {}, { nodeSelector: { role: 'edge' } }));
    await until('pod on n1', async () => (await podNodes(env.cluster)).join() === 'n1');
    await env.cluster.client.create(NODES, undefined, nodeObject('n3', { labels: { role: 'edge' } }));
    await until('pod on n3', async () => (await podNodes(env.cluster)).join() === 'n1,n3');
    await env.cluster.client.patch(NODES, undefined, 'n2', { metadata: { labels: { role: 'edge' } } }, 'merge');
    await until('pod on relabelled n2', async () => (await podNodes(env.cluster)).join() === 'n1,n2,n3');
    await env.cluster.client.patch(NODES, undefined, 'n1', { metadata: { labels: { role: null } } }, 'merge');
    await until('pod gone from n1', async () => (await podNodes(env.cluster)).join() === 'n2,n3');
    await until('desired 2', async () => { const s = await status(env.cluster, 'edge'); return s.desiredNumberScheduled === 2 && s.numberReady === 2; });
    await env.cluster.client.delete(NODES, undefined, 'n3');
    const s = await until('n3 no longer counted', async () => { const x = await status(env.cluster, 'edge'); return x.desiredNumberScheduled === 1 ? x : undefined; });
    assert.equal(s.currentNumberScheduled, 1);
    assert.equal(s.numberMisscheduled, 0);
  } finally {
    await env.stop();
  }
});

test('a DaemonSet skips nodes whose taints it does not tolerate', async () => {
  const env = await start([
    nodeObject('plain'),
    nodeObject('gpu', { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] }),
    nodeObject('cordoned', { taints: [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }] }),
    nodeObject('special', { taints: [{ key: 'special', effect: 'NoExecute' }] }),
  ]);
  try {
    await env.cluster.client.create(DAEMONSETS, 'default', daemonSet('plain'));
    await env.cluster.client.create(DAEMONSETS, 'default', daemonSet('gpu', {}, { tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }] }));
    await until('plain settled', async () => (await status(env.cluster, 'plain')).numberReady === 2);
    await until('gpu settled', async () => (await status(env.cluster, 'gpu')).numberReady === 3);
    const byDs = async (app: string) => (await livePods(env.cluster)).filter((p) => p.metadata.labels.app === app).map((p) => p.spec.nodeName).sort();
    assert.deepEqual(await byDs('plain'), ['cordoned', 'plain'], 'the default unschedulable toleration lets it onto a cordoned node');
    assert.deepEqual(await byDs('gpu'), ['cordoned', 'gpu', 'plain']);
    assert.equal((await status(env.cluster, 'plain')).desiredNumberScheduled, 2);
    // A NoExecute taint added later evicts the pods that do not tolerate it.
    await env.cluster.client.patch(NODES, undefined, 'plain', { spec: { taints: [{ key: 'drain', effect: 'NoExecute' }] } }, 'merge');
    await until('evicted', async () => (await byDs('plain')).join() === 'cordoned');
  } finally {
    await env.stop();
  }
});

test('a template change rolls out node by node within maxUnavailable', async () => {
  const env = await start([nodeObject('n1'), nodeObject('n2'), nodeObject('n3'), nodeObject('n4')], 150);
  const abort = new AbortController();
  try {
    await env.cluster.client.create(DAEMONSETS, 'default', daemonSet('roll', { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } } }));
    const before = await until('4 available', async () => { const s = await status(env.cluster, 'roll'); return s.numberAvailable === 4 ? s : undefined; });
    assert.equal(before.updatedNumberScheduled, 4);
    // Watch how many nodes have a ready, not terminating pod throughout the rollout.
    let fewestAvailable = 4;
    let counting = false;
    const watcher = new Informer(env.cluster.client, PODS, createLogger({ component: 'test' }));
    const recount = () => {
      if (!counting) return;
      const nodes = new Set(watcher.list().filter((p) => !p.metadata.deletionTimestamp && p.status?.conditions?.some((c: KubeObject) => c.type === 'Ready' && c.status === 'True')).map((p) => p.spec.nodeName));
      fewestAvailable = Math.min(fewestAvailable, nodes.size);
    };
    watcher.addHandler({ add: recount, update: recount, delete: recount });
    await watcher.start(abort.signal);
    counting = true;
    recount();

    await env.cluster.client.patch(DAEMONSETS, 'default', 'roll', { spec: { template: { spec: { containers: [{ name: 'c', image: 'agent:2' }] } } } }, 'strategic');
    const done = await until('rolled out', async () => {
      const ds = await env.cluster.client.get(DAEMONSETS, 'default', 'roll');
      const s = ds.status ?? {};
      return s.observedGeneration === ds.metadata.generation && s.updatedNumberScheduled === 4 && s.numberAvailable === 4 ? ds : undefined;
    }, 20_000);
    const pods = await livePods(env.cluster);
    assert.equal(pods.length, 4);
    assert.ok(pods.every((p) => p.spec.containers[0].image === 'agent:2'));
    assert.equal(fewestAvailable, 3, 'one node at a time was without a ready pod');
    const revisions = ((await env.cluster.client.list(CONTROLLER_REVISIONS, 'default')).items as KubeObject[]).sort((a, b) => a.revision - b.revision);
    assert.equal(revisions.length, 2);
    assert.equal(revisions[1].revision, 2);
    assert.ok(pods.every((p) => p.metadata.labels['controller-revision-hash'] === revisions[1].metadata.labels['controller-revision-hash']));
    assert.equal(done.status.desiredNumberScheduled, 4);
  } finally {
    abort.abort();
    await env.stop();
  }
});

test('with maxSurge a new pod starts beside the old one, which goes only once the new one is available', async () => {
  const env = await start([nodeObject('n1'), nodeObject('n2'), nodeObject('n3')], 100);
  const abort = new AbortController();
  try {
    await env.cluster.client.create(DAEMONSETS, 'default', daemonSet('surge', { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } } }));
    await until('3 available', async () => (await status(env.cluster, 'surge')).numberAvailable === 3);
    let fewestReadyNodes = 3;
    let mostPods = 0;
    let counting = false;
    const watcher = new Informer(env.cluster.client, PODS, createLogger({ component: 'test' }));
    const recount = () => {
      if (!counting) return;
      const live = watcher.list().filter((p) => !p.metadata.deletionTimestamp);
      const ready = new Set(live.filter((p) => p.status?.conditions?.some((c: KubeObject) => c.type === 'Ready' && c.status === 'True')).map((p) => p.spec.nodeName));
      fewestReadyNodes = Math.min(fewestReadyNodes, ready.size);
      mostPods = Math.max(mostPods, live.length);
    };
    watcher.addHandler({ add: recount, update: recount, delete: recount });
    await watcher.start(abort.signal);
    counting = true;
    await env.cluster.client.patch(DAEMONSETS, 'default', 'surge', { spec: { template: { spec: { containers: [{ name: 'c', image: 'agent:2' }] } } } }, 'strategic');
    await until('rolled out', async () => {
      const ds = await env.cluster.client.get(DAEMONSETS, 'default', 'surge');
      const s = ds.status ?? {};
      return s.observedGeneration === ds.metadata.generation && s.updatedNumberScheduled === 3 && s.numberAvailable === 3 && (await livePods(env.cluster)).length === 3;
    }, 20_000);
    assert.ok((await livePods(env.cluster)).every((p) => p.spec.containers[0].image === 'agent:2'));
    assert.equal(fewestReadyNodes, 3, 'every node kept a ready pod throughout');
    assert.equal(mostPods, 4, 'one surge pod at a time');
  } finally {
    abort.abort();
    await env.stop();
  }
});
