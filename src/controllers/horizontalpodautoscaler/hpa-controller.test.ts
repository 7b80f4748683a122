import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestCluster, type TestCluster, until } from '../../server/test-cluster.ts';
import { ControllerManager } from '../engine/manager.ts';
import { HorizontalPodAutoscalerController, type HorizontalPodAutoscalerOptions } from './hpa-controller.ts';
import { createLogger } from '../../base/log.ts';
import { ApiClient, type KubeObject } from '../../client/api-client.ts';
import { reportNodeUsage } from '../../api/metrics/index.ts';

const PODS = { group: '', version: 'v1', plural: 'pods', namespaced: true };
const EVENTS = { group: '', version: 'v1', plural: 'events', namespaced: true };
const DEPLOYMENTS = { group: 'apps', version: 'v1', plural: 'deployments', namespaced: true };
const HPAS = { group: 'autoscaling', version: 'v2', plural: 'horizontalpodautoscalers', namespaced: true };


async function withHpa(opts: HorizontalPodAutoscalerOptions, fn: (cluster: TestCluster, node: ApiClient) => Promise<void>): Promise<void> {
  const cluster = await startTestCluster();
  const abort = new AbortController();
  const node = new ApiClient({ ...(await cluster.config('system:node:n1', ['system:nodes'])), userAgent: 'test-node' });
  try {
    const manager = new ControllerManager([{ name: 'horizontal-pod-autoscaler', workers: 2, create: () => new HorizontalPodAutoscalerController(opts) }],
      await cluster.config('system:kube-controller-manager'), createLogger({ component: 'test' }));
    await manager.start(abort.signal);
    await fn(cluster, node);
  } finally {
    abort.abort();
    node.close();
    await cluster.stop();
  }
}

const longAgo = new Date(Date.now() - 600_000).toISOString().replace(/\.\d+Z$/, 'Z');

/** A running, long-ready pod on node n1 asking for 100m cpu. */
async function runningPod(cluster: TestCluster, name: string): Promise<void> {
  await cluster.client.create(PODS, 'default', { metadata: { name, labels: { app: 'web' } }, spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'x', resources: { requests: { cpu: '100m' } } }] } });
  await cluster.client.patch(PODS, 'default', name, { status: { phase: 'Running', startTime: longAgo, conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: longAgo }] } }, 'merge', 'status');
}

/** The node reports every pod using `cpu`. */
const report = (node: ApiClient, cpu: string, pods: string[]) => reportNodeUsage(node, 'n1', {
  timestamp: new Date().toISOString().replace(/\.\d+Z$/, 'Z'), window: '10s', node: { cpu: '1', memory: '1Gi' },
  pods: pods.map((name) => ({ namespace: 'default', name, containers: [{ name: 'c', cpu, memory: '10Mi' }] })),
});

const replicas = (cluster: TestCluster) => cluster.client.get(DEPLOYMENTS, 'default', 'web').then((d) => d.spec.replicas as number);
const condition = (hpa: KubeObject, type: string) => (hpa.status?.conditions ?? []).find((c: KubeObject) => c.type === type);

test('the autoscaler scales a target up when reported usage is above target and down after the stabilization window', async () => {
  await withHpa({ syncPeriodMs: 200, downscaleStabilizationMs: 2000 }, async (cluster, node) => {
    await cluster.client.create(DEPLOYMENTS, 'default', { metadata: { name: 'web' }, spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } } });
    await runningPod(cluster, 'web-0');
    await runningPod(cluster, 'web-1');
    await report(node, '60m', ['web-0', 'web-1']);
    await cluster.client.create(HPAS, 'default', { metadata: { name: 'web' }, spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 5,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }],
    } });
    // 60% of request against 50%: ratio 1.2 over two ready pods → 3.
    await until('scaled to 3', async () => ((await replicas(cluster)) === 3 ? true : undefined));
    const up = await until('status after scale-up', async () => {
      const h = await cluster.client.get(HPAS, 'default', 'web');
      return h.status?.currentReplicas === 3 ? h : undefined;
    });
    assert.deepEqual(up.status.currentMetrics, [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 60, averageValue: '60m' } } }]);
    assert.ok(up.status.lastScaleTime);
    assert.equal(condition(up, 'ScalingActive').reason, 'ValidMetricFound');
    assert.equal(condition(up, 'ScalingActive').message, 'the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)');
    const events = await until('rescale event', async () => {
      const list = await cluster.client.list(EVENTS, 'default');
      const e = list.items.filter((x: KubeObject) => x.reason === 'SuccessfulRescale');
      return e.length ? e : undefined;
    });
    assert.equal(events[0].message, 'New size: 3; reason: cpu resource utilization (percentage of request) above target');
    assert.equal(events[0].source.component, 'horizontal-pod-autoscaler-controller');

    // Usage drops: held by the highest recommendation of the window, then down to the minimum.
    const dropped = Date.now();
    await report(node, '10m', ['web-0', 'web-1']);
    const held = await until('stabilized', async () => {
      const h = await cluster.client.get(HPAS, 'default', 'web');
      return condition(h, 'AbleToScale')?.reason === 'ScaleDownStabilized' ? h : undefined;
    });
    assert.equal(condition(held, 'AbleToScale').message, 'recent recommendations were higher than current one, applying the highest recent recommendation');
    assert.equal(await replicas(cluster), 3);
    await until('scaled to 1', async () => ((await replicas(cluster)) === 1 ? true : undefined));
    assert.ok(Date.now() - dropped >= 1500, 'not before the stabilization window has passed');
    const down = await until('scale-down event', async () => {
      const list = await cluster.client.list(EVENTS, 'default');
      return list.items.find((x: KubeObject) => x.reason === 'SuccessfulRescale' && x.message.startsWith('New size: 1'));
    });
    assert.equal(down.message, 'New size: 1; reason: All metrics below target');
  });
});

test('the autoscaler reports missing metrics and a missing target in its conditions', async () => {
  await withHpa({ syncPeriodMs: 200 }, async (cluster, _node) => {
    await cluster.client.create(HPAS, 'default', { metadata: { name: 'ghost' }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'nothere' }, maxReplicas: 3 } });
    const ghost = await until('FailedGetScale', async () => {
      const h = await cluster.client.get(HPAS, 'default', 'ghost');
      return condition(h, 'AbleToScale')?.reason === 'FailedGetScale' ? h : undefined;
    });
    assert.equal(condition(ghost, 'AbleToScale').status, 'False');
    assert.equal(condition(ghost, 'AbleToScale').message, 'the HPA controller was unable to get the target\'s current scale: deployments.apps "nothere" not found');

    await cluster.client.create(DEPLOYMENTS, 'default', { metadata: { name: 'web' }, spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } } });
    await runningPod(cluster, 'web-0');
    await cluster.client.create(HPAS, 'default', { metadata: { name: 'web' }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, maxReplicas: 3 } });
    const blind = await until('FailedGetResourceMetric', async () => {
      const h = await cluster.client.get(HPAS, 'default', 'web');
      return condition(h, 'ScalingActive')?.reason === 'FailedGetResourceMetric' ? h : undefined;
    });
    assert.equal(condition(blind, 'ScalingActive').message, 'the HPA was unable to compute the replica count: failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API');
    assert.equal(condition(blind, 'AbleToScale').reason, 'SucceededGetScale');
    assert.equal(await replicas(cluster), 1);
  });
});
