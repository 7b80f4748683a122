import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestCluster, type TestCluster, until } from '../../server/test-cluster.ts';
import { ControllerManager } from '../engine/manager.ts';
import { nodeLifecycleDescriptor } from './index.ts';
import { SimulatedNodes } from '../../kubelet/index.ts';
import { createLogger } from '../../base/log.ts';
import { isNotFound } from '../../api/status.ts';
import type { KubeObject } from '../../client/api-client.ts';

const PODS = { group: '', version: 'v1', plural: 'pods', namespaced: true };
const NODES = { group: '', version: 'v1', plural: 'nodes', namespaced: false };
const EVENTS = { group: '', version: 'v1', plural: 'events', namespaced: true };
const UNREACHABLE = 'node.kubernetes.io/unreachable';
const NOT_READY = 'node.kubernetes.io/not-ready';


interface Env { c: TestCluster; sim: SimulatedNodes }

async function withCluster(nodes: number, fn: (env: Env) => Promise<void>): Promise<void> {
  const c = await startTestCluster();
  const abort = new AbortController();
  try {
    const log = createLogger({ component: 'node-lifecycle-test' });
    const sim = new SimulatedNodes({
      client: await c.config('sim-nodes', ['system:nodes', 'system:masters']), count: nodes, leaseRenewMs: 200,
      timings: { createMs: 20, startMs: 40, initContainerMs: 40, terminateMs: 100, jitterMs: 0 }, log,
    });
    await sim.start(abort.signal);
    const manager = new ControllerManager(
      [nodeLifecycleDescriptor({ nodeMonitorGracePeriodMs: 1200, evictionQps: 100 })],
      await c.config('system:kube-controller-manager'), log,
    );
    await manager.start(abort.signal);
    await fn({ c, sim });
  } finally {
    abort.abort();
    await c.stop();
  }
}

async function runPod(c: TestCluster, name: string, node: string, tolerations: KubeObject[] = []): Promise<void> {
  await c.client.create(PODS, 'default', { metadata: { name }, spec: { tolerations, containers: [{ name: 'c', image: 'nginx' }] } });
  await c.client.request('POST', `/api/v1/namespaces/default/pods/${name}/binding`, { apiVersion: 'v1', kind: 'Binding', metadata: { name }, target: { kind: 'Node', name: node } });
  await until(`${name} Ready`, async () => (ready(await c.client.get(PODS, 'default', name)) === 'True' ? true : undefined));
}

const ready = (o: KubeObject) => (o.status?.conditions ?? []).find((c: KubeObject) => c.type === 'Ready')?.status;
const taintsOf = async (c: TestCluster, node: string) => ((await c.client.get(NODES, undefined, node)).spec.taints ?? []) as KubeObject[];
const hasTaint = (taints: KubeObject[], key: string, effect: string) => taints.some((t) => t.key === key && t.effect === effect);

test('a node that stops renewing its lease goes Unknown, is tainted unreachable, and its pods are evicted when their toleration runs out', async () => {
  await withCluster(2, async ({ c, sim }) => {
    const brief = [{ key: UNREACHABLE, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 1 }, { key: NOT_READY, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 1 }];
    await runPod(c, 'brief', 'sim-node-0', brief);
    await runPod(c, 'stays', 'sim-node-0', [{ key: UNREACHABLE, operator: 'Exists', effect: 'NoExecute' }, { key: NOT_READY, operator: 'Exists', effect: 'NoExecute' }]);
    await runPod(c, 'elsewhere', 'sim-node-1', brief);
    const stoppedAt = Date.now();
    sim.stopNode('sim-node-0');

    const unknown = await until('node Unknown', async () => {
      const n = await c.client.get(NODES, undefined, 'sim-node-0');
      return ready(n) === 'Unknown' ? n : undefined;
    });
    assert.ok(Date.now() - stoppedAt >= 1000, 'not before the grace period');
    for (const cond of unknown.status.conditions) {
      assert.deepEqual([cond.status, cond.reason, cond.message], ['Unknown', 'NodeStatusUnknown', 'Kubelet stopped posting node status.'], cond.type);
    }
    const taints = await until('unreachable taints', async () => {
      const t = await taintsOf(c, 'sim-node-0');
      return hasTaint(t, UNREACHABLE, 'NoExecute') && hasTaint(t, UNREACHABLE, 'NoSchedule') ? t : undefined;
    });
    assert.ok(taints.find((t) => t.effect === 'NoExecute')?.timeAdded, 'a NoExecute taint records when it was added');
    const taintedAt = Date.now();

    const evicted = await until('brief evicted', async () => {
      const p = await c.client.get(PODS, 'default', 'brief').catch(() => undefined);
      return p?.metadata.deletionTimestamp ? p : undefined;
    });
    assert.ok(Date.now() - taintedAt >= 700, 'evicted only after its tolerationSeconds');
    const disruption = evicted.status.conditions.find((x: KubeObject) => x.type === 'DisruptionTarget');
    assert.deepEqual([disruption?.status, disruption?.reason, disruption?.message], ['True', 'DeletionByTaintManager', 'Taint manager: deleting due to NoExecute taint']);

    const stays = await c.client.get(PODS, 'default', 'stays');
    assert.equal(stays.metadata.deletionTimestamp, undefined, 'a pod tolerating the taint forever stays');
    assert.equal(ready(stays), 'False', 'pods on a node that is not Ready are marked not Ready');
    const elsewhere = await c.client.get(PODS, 'default', 'elsewhere');
    assert.equal(ready(elsewhere), 'True');
    assert.equal(elsewhere.metadata.deletionTimestamp, undefined);
    assert.deepEqual(await taintsOf(c, 'sim-node-1'), []);

    const events = (await c.client.list(EVENTS, 'default')).items as KubeObject[];
    assert.ok(events.some((e) => e.reason === 'TaintManagerEviction' && e.message === 'Marking for deletion Pod default/brief'));

    sim.startNode('sim-node-0');
    await until('Ready again without taints', async () => {
      const n = await c.client.get(NODES, undefined, 'sim-node-0');
      return ready(n) === 'True' && !(n.spec.taints ?? []).length ? n : undefined;
    });
    await until('the evicted pod finished on the returning node', async () => c.client.get(PODS, 'default', 'brief').then(() => undefined, (e) => (isNotFound(e) ? true : undefined)));
    await until('the remaining pod Ready again', async () => (ready(await c.client.get(PODS, 'default', 'stays')) === 'True' ? true : undefined));
  });
});

test('condition and cordon taints follow the node: not-ready for Ready=False, unschedulable while cordoned', async () => {
  await withCluster(2, async ({ c, sim }) => {
    await c.client.patch(NODES, undefined, 'sim-node-1', { spec: { unschedulable: true } });
    await until('unschedulable taint', async () => (hasTaint(await taintsOf(c, 'sim-node-1'), 'node.kubernetes.io/unschedulable', 'NoSchedule') ? true : undefined));
    await c.client.patch(NODES, undefined, 'sim-node-1', { spec: { unschedulable: null } });
    await until('no taints after uncordon', async () => ((await taintsOf(c, 'sim-node-1')).length === 0 ? true : undefined));

    // A kubelet that is alive but not ready posts Ready=False.
    sim.stopNode('sim-node-0');
    const n = await c.client.get(NODES, undefined, 'sim-node-0');
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    const conditions = n.status.conditions.map((x: KubeObject) => (x.type === 'Ready' ? { ...x, status: 'False', reason: 'KubeletNotReady', message: 'container runtime is down', lastHeartbeatTime: now, lastTransitionTime: now } : x));
    await c.client.patch(NODES, undefined, 'sim-node-0', { status: { conditions } }, 'merge', 'status');
    const t = await until('not-ready taints', async () => {
      const t = await taintsOf(c, 'sim-node-0');
      return hasTaint(t, NOT_READY, 'NoExecute') && hasTaint(t, NOT_READY, 'NoSchedule') ? t : undefined;
    });
    assert.ok(!hasTaint(t, UNREACHABLE, 'NoExecute'));
    sim.startNode('sim-node-0');
    await until('taints removed once Ready', async () => ((await taintsOf(c, 'sim-node-0')).length === 0 ? true : undefined));
  });
});

test('when every node is down nothing is tainted NoExecute, so no pod is evicted', async () => {
  await withCluster(1, async ({ c, sim }) => {
    await runPod(c, 'p', 'sim-node-0', [{ key: UNREACHABLE, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 0 }]);
    sim.stopNode('sim-node-0');
    await until('NoSchedule taint of the Unknown node', async () => (hasTaint(await taintsOf(c, 'sim-node-0'), UNREACHABLE, 'NoSchedule') ? true : undefined));
    await new Promise((r) => setTimeout(r, 500));
    assert.ok(!hasTaint(await taintsOf(c, 'sim-node-0'), UNREACHABLE, 'NoExecute'), 'no NoExecute taint in full disruption');
    assert.equal((await c.client.get(PODS, 'default', 'p')).metadata.deletionTimestamp, undefined);
  });
});
