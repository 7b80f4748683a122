// The scheduler against a real in-process API server: Node objects with capacity, labels and
// taints; pods created through the API; outcomes read back (spec.nodeName, conditions, events).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestCluster, type TestCluster, until } from '../server/test-cluster.ts';
import type { ApiClient, KubeObject } from '../client/index.ts';
import { createLogger } from '../base/index.ts';
import { Scheduler } from './index.ts';

const PODS = { group: '', version: 'v1', plural: 'pods', namespaced: true };
const NODES = { group: '', version: 'v1', plural: 'nodes', namespaced: false };
const EVENTS = { group: '', version: 'v1', plural: 'events', namespaced: true };
const PRIORITY_CLASSES = { group: 'scheduling.k8s.io', version: 'v1', plural: 'priorityclasses', namespaced: false };

interface NodeSpec { name: string; cpu?: string; memory?: string; pods?: string; labels?: Record<string, string>; taints?: KubeObject[] }

async function createNode(client: ApiClient, n: NodeSpec): Promise<void> {
  const alloc = { cpu: n.cpu ?? '4', memory: n.memory ?? '8Gi', pods: n.pods ?? '110' };
  await client.create(NODES, undefined, {
    metadata: { name: n.name, labels: { 'kubernetes.io/hostname': n.name, 'kubernetes.io/os': 'linux', ...n.labels } },
    spec: n.taints ? { taints: n.taints } : {},
    status: { capacity: alloc, allocatable: alloc, conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'ready' }] },
  });
}

function podSpec(name: string, opts: { cpu?: string; memory?: string; labels?: Record<string, string>; spec?: KubeObject } = {}): KubeObject {
  const requests: Record<string, string> = {};
  if (opts.cpu) requests.cpu = opts.cpu;
  if (opts.memory) requests.memory = opts.memory;
  return {
    metadata: { name, labels: opts.labels ?? {} },
    spec: { containers: [{ name: 'c', image: 'pause', resources: { requests } }], ...opts.spec },
  };
}


async function withScheduler(fn: (c: ApiClient, cluster: TestCluster) => Promise<void>): Promise<void> {
  const cluster = await startTestCluster();
  const abort = new AbortController();
  try {
    const scheduler = new Scheduler(await cluster.config('system:kube-scheduler', []), createLogger({ test: 'scheduler' }));
    await scheduler.start(abort.signal);
    await fn(cluster.client, cluster);
  } finally {
    abort.abort();
    await cluster.stop();
  }
}

const nodeOf = async (c: ApiClient, name: string) => (await c.get(PODS, 'default', name)).spec.nodeName as string | undefined;

async function eventsFor(c: ApiClient, pod: string, reason: string): Promise<KubeObject[]> {
  const list = await c.list(EVENTS, 'default');
  return list.items.filter((e: KubeObject) => e.involvedObject?.name === pod && e.reason === reason);
}

test('spreads identical pods across identical nodes and records Scheduled events', async () => {
  await withScheduler(async (c) => {
    for (const n of ['n1', 'n2', 'n3']) await createNode(c, { name: n });
    for (let i = 0; i < 6; i++) await c.create(PODS, 'default', podSpec(`web-${i}`, { cpu: '500m', memory: '256Mi' }));
    const placed = await until('all pods bound', async () => {
      const names = await Promise.all([...Array(6).keys()].map((i) => nodeOf(c, `web-${i}`)));
      return names.every(Boolean) ? names : undefined;
    });
    const perNode = new Map<string, number>();
    for (const n of placed) perNode.set(n!, (perNode.get(n!) ?? 0) + 1);
    assert.deepEqual([...perNode.values()].sort(), [2, 2, 2]);
    const ev = await until('Scheduled event', async () => (await eventsFor(c, 'web-0', 'Scheduled'))[0]);
    assert.equal(ev.message, `Successfully assigned default/web-0 to ${placed[0]}`);
    assert.equal(ev.source.component, 'default-scheduler');
    const pod = await c.get(PODS, 'default', 'web-0');
    assert.equal(pod.status.conditions.find((x: KubeObject) => x.type === 'PodScheduled').status, 'True');
  });
});

test('respects resources: pods go only where their requests fit', async () => {
  await withScheduler(async (c) => {
    await createNode(c, { name: 'small', cpu: '1', memory: '1Gi' });
    await createNode(c, { name: 'big', cpu: '8', memory: '16Gi' });
    await c.create(PODS, 'default', podSpec('needs-2-cpu', { cpu: '2' }));
    await c.create(PODS, 'default', podSpec('needs-4gi', { memory: '4Gi' }));
    assert.equal(await until('bound', () => nodeOf(c, 'needs-2-cpu')), 'big');
    assert.equal(await until('bound', () => nodeOf(c, 'needs-4gi')), 'big');
  });
});

test('a pod that fits nowhere gets the exact FailedScheduling message and PodScheduled=False', async () => {
  await withScheduler(async (c) => {
    await createNode(c, { name: 'cp', cpu: '8', taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] });
    await createNode(c, { name: 'w1', cpu: '1' });
    await createNode(c, { name: 'w2', cpu: '1' });
    await c.create(PODS, 'default', podSpec('huge', { cpu: '4' }));
    const want = '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.';
    const ev = await until('FailedScheduling event', async () => (await eventsFor(c, 'huge', 'FailedScheduling'))[0]);
    assert.equal(ev.message, want);
    assert.equal(ev.type, 'Warning');
    assert.equal(ev.source.component, 'default-scheduler');
    const cond = await until('PodScheduled=False', async () => (await c.get(PODS, 'default', 'huge')).status?.conditions?.find((x: KubeObject) => x.type === 'PodScheduled'));
    assert.deepEqual([cond.status, cond.reason, cond.message], ['False', 'Unschedulable', want]);
    assert.equal(await nodeOf(c, 'huge'), undefined);
  });
});

test('an unschedulable pod is scheduled once a node it fits joins', async () => {
  await withScheduler(async (c) => {
    await createNode(c, { name: 'tiny', cpu: '1' });
    await c.create(PODS, 'default', podSpec('waits', { cpu: '2' }));
    await until('FailedScheduling', async () => (await eventsFor(c, 'waits', 'FailedScheduling'))[0]);
    await createNode(c, { name: 'roomy', cpu: '4' });
    assert.equal(await until('bound', () => nodeOf(c, 'waits')), 'roomy');
  });
});

test('topology spread across three zones is even', async () => {
  await withScheduler(async (c) => {
    const zones = ['a', 'b', 'c'];
    // Zone a has three nodes, so without spreading it would take most pods.
    const nodes: NodeSpec[] = [
      { name: 'a1', labels: { 'topology.kubernetes.io/zone': 'a' } }, { name: 'a2', labels: { 'topology.kubernetes.io/zone': 'a' } },
      { name: 'a3', labels: { 'topology.kubernetes.io/zone': 'a' } }, { name: 'b1', labels: { 'topology.kubernetes.io/zone': 'b' } },
      { name: 'c1', labels: { 'topology.kubernetes.io/zone': 'c' } },
    ];
    for (const n of nodes) await createNode(c, n);
    const spread = { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'spread' } } }] };
    for (let i = 0; i < 9; i++) await c.create(PODS, 'default', podSpec(`s-${i}`, { cpu: '100m', labels: { app: 'spread' }, spec: spread }));
    const placed = await until('all bound', async () => {
      const names = await Promise.all([...Array(9).keys()].map((i) => nodeOf(c, `s-${i}`)));
      return names.every(Boolean) ? names : undefined;
    });
    const perZone = new Map<string, number>();
    for (const n of placed) perZone.set(n![0]!, (perZone.get(n![0]!) ?? 0) + 1);
    assert.deepEqual(zones.map((z) => perZone.get(z)), [3, 3, 3]);
  });
});

test('preemption deletes a lower-priority pod and the preemptor takes its node', async () => {
  await withScheduler(async (c) => {
    await c.create(PRIORITY_CLASSES, undefined, { metadata: { name: 'high' }, value: 1000 });
    await createNode(c, { name: 'only', cpu: '2' });
    await c.create(PODS, 'default', podSpec('low', { cpu: '1500m' }));
    assert.equal(await until('low bound', () => nodeOf(c, 'low')), 'only');
    await c.create(PODS, 'default', podSpec('high', { cpu: '1500m', spec: { priorityClassName: 'high', priority: 1000 } }));
    const victim = await until('low terminating', async () => {
      const p = await c.get(PODS, 'default', 'low');
      return p.metadata.deletionTimestamp ? p : undefined;
    });
    const disruption = victim.status.conditions.find((x: KubeObject) => x.type === 'DisruptionTarget');
    assert.deepEqual([disruption?.reason, disruption?.message], ['PreemptionByScheduler', 'default-scheduler: preempting to accommodate a higher priority pod']);
    assert.equal(await until('high nominated', async () => (await c.get(PODS, 'default', 'high')).status?.nominatedNodeName), 'only');
    const ev = await until('Preempted event', async () => (await eventsFor(c, 'low', 'Preempted'))[0]);
    assert.match(ev.message, /^Preempted by pod [0-9a-f-]+ on node only$/);
    // The victim needs its kubelet to finish deleting; force it as a node would.
    await c.delete(PODS, 'default', 'low', { gracePeriodSeconds: 0 }).catch(() => undefined);
    assert.equal(await until('high bound', () => nodeOf(c, 'high'), 15_000), 'only');
  });
});
