import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestCluster, type TestCluster, until } from '../../server/test-cluster.ts';
import { SimulatedNodes } from './simulated-nodes.ts';
import { isNotFound } from '../../api/status.ts';
import type { KubeObject } from '../../client/api-client.ts';
import { createLogger } from '../../base/log.ts';
import { Informer } from '../../client/informer.ts';

const PODS = { group: '', version: 'v1', plural: 'pods', namespaced: true };
const NODES = { group: '', version: 'v1', plural: 'nodes', namespaced: false };
const LEASES = { group: 'coordination.k8s.io', version: 'v1', plural: 'leases', namespaced: true };
const FAST = { createMs: 30, initContainerMs: 150, startMs: 60, terminateMs: 150, jitterMs: 0 };


async function withSim(opts: { count?: number; zones?: number; leaseRenewMs?: number }, fn: (c: TestCluster, sim: SimulatedNodes) => Promise<void>): Promise<void> {
  const cluster = await startTestCluster();
  const abort = new AbortController();
  try {
    const sim = new SimulatedNodes({
      client: await cluster.config('sim-nodes', ['system:nodes', 'system:masters']), count: opts.count ?? 1, zones: opts.zones,
      timings: FAST, leaseRenewMs: opts.leaseRenewMs ?? 10_000, log: createLogger({ component: 'sim-test' }),
    });
    await sim.start(abort.signal);
    await fn(cluster, sim);
  } finally {
    abort.abort();
    await cluster.stop();
  }
}

async function bind(c: TestCluster, pod: KubeObject, node: string): Promise<KubeObject> {
  const created = await c.client.create(PODS, 'default', pod);
  await c.client.request('POST', `/api/v1/namespaces/default/pods/${created.metadata.name}/binding`, {
    apiVersion: 'v1', kind: 'Binding', metadata: { name: created.metadata.name }, target: { kind: 'Node', name: node },
  });
  return created;
}

const condition = (p: KubeObject, type: string) => (p.status?.conditions ?? []).find((c: KubeObject) => c.type === type);

test('simulated nodes register like kubelets and keep their leases renewed', async () => {
  await withSim({ count: 3, zones: 2, leaseRenewMs: 150 }, async (c, sim) => {
    assert.deepEqual(sim.nodeNames, ['sim-node-0', 'sim-node-1', 'sim-node-2']);
    const nodes = (await c.client.list(NODES)).items as KubeObject[];
    assert.equal(nodes.length, 3);
    const n0 = nodes.find((n) => n.metadata.name === 'sim-node-0')!;
    const n1 = nodes.find((n) => n.metadata.name === 'sim-node-1')!;
    assert.equal(n0.metadata.labels['kubernetes.io/hostname'], 'sim-node-0');
    assert.equal(n0.metadata.labels['kubernetes.io/os'], 'linux');
    assert.equal(n0.metadata.labels['kubernetes.io/arch'], 'amd64');
    assert.equal(n0.metadata.labels['topology.kubernetes.io/zone'], 'zone-a');
    assert.equal(n1.metadata.labels['topology.kubernetes.io/zone'], 'zone-b');
    assert.notEqual(n0.spec.podCIDR, n1.spec.podCIDR);
    assert.deepEqual(n0.status.capacity, { cpu: '8', memory: '32Gi', pods: '110', 'ephemeral-storage': '100Gi', 'hugepages-1Gi': '0', 'hugepages-2Mi': '0' });
    assert.equal(n0.status.allocatable.memory, '33452032Ki', 'memory allocatable leaves the 100Mi hard eviction threshold');
    const ips = nodes.map((n) => n.status.addresses.find((a: KubeObject) => a.type === 'InternalIP').address);
    assert.equal(new Set(ips).size, 3, 'every node has its own InternalIP');
    assert.equal(n0.status.nodeInfo.kubeletVersion, 'v1.33.1');
    assert.equal(n0.status.daemonEndpoints.kubeletEndpoint.Port, 10250);
    assert.deepEqual(n0.status.conditions.map((x: KubeObject) => [x.type, x.status, x.reason]), [
      ['MemoryPressure', 'False', 'KubeletHasSufficientMemory'], ['DiskPressure', 'False', 'KubeletHasNoDiskPressure'],
      ['PIDPressure', 'False', 'KubeletHasSufficientPID'], ['Ready', 'True', 'KubeletReady'],
    ]);
    assert.equal(condition(n0, 'Ready').message, 'kubelet is posting ready status');

    const lease = await c.client.get(LEASES, 'kube-node-lease', 'sim-node-0');
    assert.equal(lease.spec.holderIdentity, 'sim-node-0');
    assert.equal(lease.spec.leaseDurationSeconds, 40);
    assert.equal(lease.metadata.ownerReferences[0].uid, n0.metadata.uid);
    await until('a renewed lease', async () => {
      const l = await c.client.get(LEASES, 'kube-node-lease', 'sim-node-0');
      return l.spec.renewTime > lease.spec.renewTime ? l : undefined;
    }, 3000);

    sim.stopNode('sim-node-0');
    await new Promise((r) => setTimeout(r, 250));
    const frozen = (await c.client.get(LEASES, 'kube-node-lease', 'sim-node-0')).spec.renewTime;
    await new Promise((r) => setTimeout(r, 400));
    assert.equal((await c.client.get(LEASES, 'kube-node-lease', 'sim-node-0')).spec.renewTime, frozen, 'a stopped node renews nothing');
    sim.startNode('sim-node-0');
    await until('renewals after a restart', async () => {
      const l = await c.client.get(LEASES, 'kube-node-lease', 'sim-node-0');
      return l.spec.renewTime > frozen ? l : undefined;
    }, 3000);
  });
});

test('a bound pod runs its init containers in order, starts, and turns Ready after its readiness delay', async () => {
  await withSim({}, async (c) => {
    const created = await bind(c, {
      metadata: { name: 'web' },
      spec: {
        initContainers: [{ name: 'setup', image: 'busybox' }, { name: 'migrate', image: 'busybox:1.36' }],
        containers: [
          { name: 'app', image: 'nginx:1.27', readinessProbe: { httpGet: { path: '/', port: 80 }, initialDelaySeconds: 1 } },
          { name: 'log', image: 'registry.k8s.io/pause:3.10' },
        ],
      },
    }, 'sim-node-0');
    const seenInit: string[] = [];
    let runningSeen = 0;
    const running = await until('Running', async () => {
      const p = await c.client.get(PODS, 'default', 'web');
      for (const s of p.status?.initContainerStatuses ?? []) if (s.state?.terminated && !seenInit.includes(s.name)) seenInit.push(s.name);
      if (p.status?.phase === 'Running') runningSeen = Date.now();
      return p.status?.phase === 'Running' ? p : undefined;
    });
    assert.deepEqual(seenInit, ['setup', 'migrate'], 'init containers complete in order');
    assert.equal(condition(running, 'Ready').status, 'False', 'not Ready before the readiness delay');
    assert.equal(condition(running, 'Ready').reason, 'ContainersNotReady');
    assert.equal(condition(running, 'Ready').message, 'containers with unready status: [app]');
    const ready = await until('Ready', async () => {
      const p = await c.client.get(PODS, 'default', 'web');
      return condition(p, 'Ready')?.status === 'True' ? p : undefined;
    }, 5000);
    assert.ok(Date.now() - runningSeen >= 900, 'Ready no sooner than initialDelaySeconds after the container started');

    const node = await c.client.get(NODES, undefined, 'sim-node-0');
    const s = ready.status;
    assert.equal(s.hostIP, node.status.addresses[0].address);
    assert.deepEqual(s.hostIPs, [{ ip: s.hostIP }]);
    assert.ok(s.podIP.startsWith(node.spec.podCIDR.replace(/0\/24$/, '')), `pod IP ${s.podIP} is from ${node.spec.podCIDR}`);
    assert.deepEqual(s.podIPs, [{ ip: s.podIP }]);
    assert.match(s.startTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.deepEqual(s.conditions.map((x: KubeObject) => [x.type, x.status]), [
      ['PodReadyToStartContainers', 'True'], ['Initialized', 'True'], ['Ready', 'True'], ['ContainersReady', 'True'], ['PodScheduled', 'True'],
    ]);
    const app = s.containerStatuses.find((x: KubeObject) => x.name === 'app');
    assert.equal(app.image, 'docker.io/library/nginx:1.27');
    assert.match(app.imageID, /^docker\.io\/library\/nginx@sha256:[0-9a-f]{64}$/);
    assert.match(app.containerID, /^containerd:\/\/[0-9a-f]{64}$/);
    assert.equal(app.ready, true);
    assert.equal(app.started, true);
    assert.equal(app.restartCount, 0);
    assert.equal(s.initContainerStatuses.length, 2);
    for (const i of s.initContainerStatuses) assert.deepEqual([i.state.terminated.exitCode, i.state.terminated.reason, i.ready], [0, 'Completed', false]);
    assert.equal(ready.metadata.uid, created.metadata.uid);
  });
});

test('pods annotated to complete or fail end Succeeded or Failed, or restart under restartPolicy Always', async () => {
  await withSim({}, async (c) => {
    await bind(c, { metadata: { name: 'job-ok', annotations: { 'sim.navarch.io/complete-after': '300ms' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } }, 'sim-node-0');
    await bind(c, { metadata: { name: 'job-bad', annotations: { 'sim.navarch.io/fail-after': '300ms' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } }, 'sim-node-0');
    await bind(c, { metadata: { name: 'crashy', annotations: { 'sim.navarch.io/fail-after': '200ms' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } }, 'sim-node-0');
    const ok = await until('Succeeded', async () => { const p = await c.client.get(PODS, 'default', 'job-ok'); return p.status?.phase === 'Succeeded' ? p : undefined; });
    assert.deepEqual([ok.status.containerStatuses[0].state.terminated.exitCode, ok.status.containerStatuses[0].state.terminated.reason], [0, 'Completed']);
    assert.equal(condition(ok, 'Ready').reason, 'PodCompleted');
    const bad = await until('Failed', async () => { const p = await c.client.get(PODS, 'default', 'job-bad'); return p.status?.phase === 'Failed' ? p : undefined; });
    assert.deepEqual([bad.status.containerStatuses[0].state.terminated.exitCode, bad.status.containerStatuses[0].state.terminated.reason], [1, 'Error']);
    const crashy = await until('restarts', async () => { const p = await c.client.get(PODS, 'default', 'crashy'); return p.status?.containerStatuses?.[0]?.restartCount >= 1 ? p : undefined; });
    assert.equal(crashy.status.phase, 'Running');
    assert.equal(crashy.status.containerStatuses[0].lastState.terminated.exitCode, 1);
  });
});

test('a deleted pod terminates gracefully and is then removed by its node', async () => {
  await withSim({}, async (c) => {
    const seen: KubeObject[] = [];
    const abort = new AbortController();
    const watcher = new Informer(c.client, PODS, createLogger({ component: 'test' }));
    watcher.addHandler({ update: (_o, p) => seen.push(p), delete: (p) => seen.push({ deleted: true, ...p }) });
    await watcher.start(abort.signal);
    try {
      await bind(c, { metadata: { name: 'p' }, spec: { terminationGracePeriodSeconds: 30, containers: [{ name: 'c', image: 'nginx' }] } }, 'sim-node-0');
      await until('Running', async () => { const p = await c.client.get(PODS, 'default', 'p'); return p.status?.phase === 'Running' ? p : undefined; });
      const deleting = await c.client.delete(PODS, 'default', 'p');
      assert.ok(deleting.metadata.deletionTimestamp, 'a running pod is not removed at once');
      await until('gone', async () => c.client.get(PODS, 'default', 'p').then(() => undefined, (e) => (isNotFound(e) ? true : undefined)));
      await until('the deletion observed', async () => (seen.some((p) => p.deleted) ? true : undefined));
      const terminated = seen.find((p) => p.status?.containerStatuses?.[0]?.state?.terminated);
      assert.ok(terminated, `the containers were reported terminated before the pod went away: ${JSON.stringify(seen.map((p) => [p.metadata.resourceVersion, p.status?.phase, p.status?.containerStatuses?.[0]?.state, p.metadata.deletionTimestamp]))}`);
      assert.equal(terminated.status.containerStatuses[0].state.terminated.exitCode, 143);
      assert.equal(terminated.status.phase, 'Failed');
      assert.ok(seen.indexOf(terminated) < seen.findIndex((p) => p.deleted));
    } finally {
      abort.abort();
    }
  });
});

test('nodes report the simulated usage of their running pods on their leases', async () => {
  await withSim({ leaseRenewMs: 150 }, async (c) => {
    await bind(c, { metadata: { name: 'busy', annotations: { 'sim.navarch.io/cpu-usage': '250m' } }, spec: { containers: [{ name: 'c', image: 'nginx', resources: { requests: { memory: '128Mi' } } }] } }, 'sim-node-0');
    const report = await until('a usage report with the pod', async () => {
      const l = await c.client.get(LEASES, 'kube-node-lease', 'sim-node-0');
      const r = JSON.parse(l.metadata.annotations?.['metrics.navarch.io/usage'] ?? '{}');
      return r.pods?.length ? r : undefined;
    });
    assert.deepEqual(report.pods, [{ namespace: 'default', name: 'busy', containers: [{ name: 'c', cpu: '250m', memory: '65536Ki' }] }]);
    assert.deepEqual(report.node, { cpu: '350m', memory: `${512 * 1024 + 65536}Ki` }, 'the pod plus the system share');
  });
});
