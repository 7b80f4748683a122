import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestCluster } from '../../server/test-cluster.ts';
import { reportNodeUsage, type NodeUsageReport } from '../../api/metrics/index.ts';
import { StatusError } from '../../api/status.ts';
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const NODES = { group: '', version: 'v1', plural: 'nodes', namespaced: false };
const PODS = { group: '', version: 'v1', plural: 'pods', namespaced: true };
const stamp = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

async function rejection(p: Promise<unknown>): Promise<StatusError> {
  try { await p; } catch (e) { if (e instanceof StatusError) return e; throw e; }
  assert.fail('expected the request to fail');
}

test('metrics.k8s.io is discoverable with nodes and pods, get and list only', async () => {
  const cluster = await startTestCluster();
  try {
    const groups = await cluster.client.request('GET', '/apis');
    assert.deepEqual(groups.groups.find((g: any) => g.name === 'metrics.k8s.io'), {
      name: 'metrics.k8s.io', versions: [{ groupVersion: 'metrics.k8s.io/v1beta1', version: 'v1beta1' }], preferredVersion: { groupVersion: 'metrics.k8s.io/v1beta1', version: 'v1beta1' },
    });
    const list = await cluster.client.request('GET', '/apis/metrics.k8s.io/v1beta1');
    assert.deepEqual(list.resources.map((r: any) => [r.name, r.kind, r.namespaced, r.verbs]), [['nodes', 'NodeMetrics', false, ['get', 'list']], ['pods', 'PodMetrics', true, ['get', 'list']]]);
    const watch = await rejection(cluster.client.request('GET', '/apis/metrics.k8s.io/v1beta1/pods?watch=true'));
    assert.equal(watch.code, 405);
    // The OpenAPI documents still build with the group in the registry.
    assert.ok((await cluster.client.request('GET', '/openapi/v2')).paths['/apis/metrics.k8s.io/v1beta1/nodes']);
    assert.ok((await cluster.client.request('GET', '/openapi/v3')).paths['apis/metrics.k8s.io/v1beta1']);
  } finally { await cluster.stop(); }
});

test('node and pod metrics come from the usage nodes report on their leases', async () => {
  const cluster = await startTestCluster();
  try {
    const c = cluster.client;
    for (const [name, zone] of [['n1', 'a'], ['n2', 'b'], ['n3', 'a']]) {
      await c.create(NODES, undefined, { metadata: { name, labels: { zone } }, status: { capacity: { cpu: '4', memory: '8Gi' }, allocatable: { cpu: '4', memory: '8Gi' } } });
    }
    await c.create(PODS, 'default', { metadata: { name: 'web-1', labels: { app: 'web' } }, spec: { nodeName: 'n1', containers: [{ name: 'app', image: 'x' }, { name: 'side', image: 'x' }] } });
    await c.create(PODS, 'default', { metadata: { name: 'db-1', labels: { app: 'db' } }, spec: { nodeName: 'n1', containers: [{ name: 'db', image: 'x' }] } });
    await c.create(PODS, 'default', { metadata: { name: 'moved' }, spec: { nodeName: 'n2', containers: [{ name: 'c', image: 'x' }] } });
    const now = Date.now();
    const n1: NodeUsageReport = {
      timestamp: stamp(now), window: '10s', node: { cpu: '1250m', memory: '2Gi' },
      pods: [
        { namespace: 'default', name: 'web-1', containers: [{ name: 'app', cpu: '250m', memory: '64Mi' }, { name: 'side', cpu: '5m', memory: '8Mi' }] },
        { namespace: 'default', name: 'db-1', containers: [{ name: 'db', cpu: '123456789n', memory: '262144Ki' }] },
        { namespace: 'default', name: 'moved', containers: [{ name: 'c', cpu: '1m', memory: '1Mi' }] },
        { namespace: 'default', name: 'gone', containers: [{ name: 'c', cpu: '1m', memory: '1Mi' }] },
      ],
    };
    await reportNodeUsage(c, 'n1', n1);
    // n3 reported long ago: it has no metrics now.
    await reportNodeUsage(c, 'n3', { ...n1, timestamp: stamp(now - 600_000), pods: [] });

    const nodes = await c.request('GET', '/apis/metrics.k8s.io/v1beta1/nodes');
    assert.equal(nodes.kind, 'NodeMetricsList');
    assert.equal(nodes.apiVersion, 'metrics.k8s.io/v1beta1');
    assert.equal(nodes.items.length, 1);
    const { creationTimestamp, ...meta } = nodes.items[0].metadata;
    assert.ok(creationTimestamp);
    assert.deepEqual({ ...nodes.items[0], metadata: meta }, { kind: 'NodeMetrics', apiVersion: 'metrics.k8s.io/v1beta1', metadata: { name: 'n1', labels: { zone: 'a' } }, timestamp: stamp(now), window: '10s', usage: { cpu: '1250m', memory: '2Gi' } });
    assert.equal((await c.request('GET', '/apis/metrics.k8s.io/v1beta1/nodes?labelSelector=zone%3Db')).items.length, 0);
    assert.equal((await c.request('GET', '/apis/metrics.k8s.io/v1beta1/nodes/n1')).usage.cpu, '1250m');
    const missing = await rejection(c.request('GET', '/apis/metrics.k8s.io/v1beta1/nodes/n2'));
    assert.equal(missing.message, 'nodemetrics.metrics.k8s.io "n2" not found');

    const pods = await c.request('GET', '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods');
    assert.equal(pods.kind, 'PodMetricsList');
    // Only pods that exist and run on the node that reported them.
    assert.deepEqual(pods.items.map((p: any) => p.metadata.name), ['db-1', 'web-1']);
    const web = pods.items[1];
    assert.deepEqual([web.metadata.namespace, web.metadata.labels, web.timestamp, web.window], ['default', { app: 'web' }, stamp(now), '10s']);
    assert.deepEqual(web.containers, [{ name: 'app', usage: { cpu: '250m', memory: '64Mi' } }, { name: 'side', usage: { cpu: '5m', memory: '8Mi' } }]);
    const selected = await c.request('GET', '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods?labelSelector=app%3Ddb');
    assert.deepEqual(selected.items.map((p: any) => p.metadata.name), ['db-1']);
    assert.deepEqual((await c.request('GET', '/apis/metrics.k8s.io/v1beta1/pods')).items.map((p: any) => p.metadata.name), ['db-1', 'web-1']);
    assert.equal((await c.request('GET', '/apis/metrics.k8s.io/v1beta1/namespaces/kube-system/pods')).items.length, 0);
    assert.equal((await c.request('GET', '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/db-1')).containers[0].usage.memory, '262144Ki');
    const nopod = await rejection(c.request('GET', '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/moved'));
    assert.equal(nopod.message, 'podmetrics.metrics.k8s.io "default/moved" not found');

    // A newer report replaces the old one.
    await reportNodeUsage(c, 'n1', { ...n1, node: { cpu: '2', memory: '3Gi' } });
    assert.equal((await c.request('GET', '/apis/metrics.k8s.io/v1beta1/nodes/n1')).usage.cpu, '2');
  } finally { await cluster.stop(); }
});

/** The real kubectl of a version, beside the machine's kubectl (as the e2e harness finds it). */
function kubectl(version: string): string {
  const dir = dirname(realpathSync(execFileSync('sh', ['-c', 'command -v kubectl']).toString().trim()));
  return join(dir, `kubectl.${version}`);
}

test('kubectl top node and top pod print the reported usage (kubectl 1.27 and 1.33)', async () => {
  const cluster = await startTestCluster();
  const cache = mkdtempSync(join(tmpdir(), 'navarch-top-'));
  try {
    const c = cluster.client;
    await c.create(NODES, undefined, { metadata: { name: 'n1' }, status: { capacity: { cpu: '4', memory: '8Gi' }, allocatable: { cpu: '4', memory: '8Gi' } } });
    await c.create(NODES, undefined, { metadata: { name: 'n2' }, status: { capacity: { cpu: '2', memory: '4Gi' }, allocatable: { cpu: '2', memory: '4Gi' } } });
    await c.create(PODS, 'default', { metadata: { name: 'web-1', labels: { app: 'web' } }, spec: { nodeName: 'n1', containers: [{ name: 'app', image: 'x' }, { name: 'side', image: 'x' }] } });
    await reportNodeUsage(c, 'n1', {
      timestamp: stamp(Date.now()), window: '10s', node: { cpu: '1250m', memory: '2Gi' },
      pods: [{ namespace: 'default', name: 'web-1', containers: [{ name: 'app', cpu: '250m', memory: '64Mi' }, { name: 'side', cpu: '5m', memory: '8Mi' }] }],
    });
    for (const v of ['1.27', '1.33']) {
      // Asynchronously: the API server runs in this process and must keep answering.
      const run = async (...args: string[]) => (await promisify(execFile)(kubectl(v), ['--kubeconfig', cluster.kubeconfig, '--cache-dir', join(cache, v), ...args], { encoding: 'utf8' })).stdout;
      const nodes = (await run('top', 'node')).split('\n');
      assert.match(nodes[0], v === '1.27' ? /^NAME\s+CPU\(cores\)\s+CPU%\s+MEMORY\(bytes\)\s+MEMORY%/ : /^NAME\s+CPU\(cores\)\s+CPU\(%\)\s+MEMORY\(bytes\)\s+MEMORY\(%\)/);
      assert.match(nodes[1], /^n1\s+1250m\s+31%\s+2048Mi\s+25%\s*$/);
      assert.match(nodes[2], /^n2\s+<unknown>\s+<unknown>\s+<unknown>\s+<unknown>\s*$/);
      const pods = (await run('top', 'pod')).split('\n');
      assert.match(pods[0], /^NAME\s+CPU\(cores\)\s+MEMORY\(bytes\)\s*$/);
      assert.match(pods[1], /^web-1\s+255m\s+72Mi\s*$/);
      const containers = (await run('top', 'pod', '--containers', '-l', 'app=web')).split('\n');
      assert.match(containers[1], /^web-1\s+app\s+250m\s+64Mi\s*$/);
      assert.match(containers[2], /^web-1\s+side\s+5m\s+8Mi\s*$/);
    }
  } finally {
    await cluster.stop();
    rmSync(cache, { recursive: true, force: true });
  }
});
