import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestCluster, until } from '../../server/test-cluster.ts';
import { startFakeNode } from '../../server/fake-node.ts';
import { ControllerManager } from '../engine/manager.ts';
import { createLogger } from '../../base/log.ts';
import type { ApiClient, KubeObject } from '../../client/api-client.ts';
import { newEndpointSliceController, ENDPOINT_SLICES } from './index.ts';

const PODS = { group: '', version: 'v1', plural: 'pods', namespaced: true };
const NODES = { group: '', version: 'v1', plural: 'nodes', namespaced: false };
const SERVICES = { group: '', version: 'v1', plural: 'services', namespaced: true };
const NS = 'default';


/** This controller (slices of at most `max` endpoints) and a zoned fake node; pods labelled ready=no stay unready. */
async function withCluster(fn: (client: ApiClient) => Promise<void>, max = 100): Promise<void> {
  const cluster = await startTestCluster();
  const abort = new AbortController();
  let node: { stop(): void } | undefined;
  try {
    node = await startFakeNode(cluster.client, { ready: (p) => p.metadata.labels?.ready !== 'no' });
    await cluster.client.patch(NODES, undefined, 'test-node', { metadata: { labels: { 'topology.kubernetes.io/zone': 'zone-a' } } });
    const config = await cluster.config('system:kube-controller-manager');
    await new ControllerManager([{ name: 'endpointslice', workers: 2, create: () => newEndpointSliceController({ maxEndpointsPerSlice: max }) }], config, createLogger({ component: 'test' })).start(abort.signal);
    await fn(cluster.client);
  } finally {
    node?.stop();
    abort.abort();
    await cluster.stop();
  }
}

const pod = (name: string, labels: Record<string, string>, extra: KubeObject = {}): KubeObject => ({
  metadata: { name, labels, ...(extra.metadata ?? {}) },
  spec: { containers: [{ name: 'c', image: 'nginx', ports: [{ name: 'http', containerPort: 8080 }] }], ...(extra.spec ?? {}) },
});

const slicesOf = async (client: ApiClient, svc: string): Promise<KubeObject[]> =>
  (await client.list(ENDPOINT_SLICES, NS, { labelSelector: `kubernetes.io/service-name=${svc}` })).items;
const endpointsOf = (slices: KubeObject[]) => slices.flatMap((s) => s.endpoints ?? []);
const names = (eps: KubeObject[]) => eps.map((e) => e.targetRef.name).sort().join();

test('a slice per service lists its pods with conditions, node, zone and resolved named ports, and follows readiness and labels', async () => {
  await withCluster(async (client) => {
    const svc = await client.create(SERVICES, NS, {
      metadata: { name: 'web', labels: { tier: 'front' } },
      spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
    });
    await client.create(PODS, NS, pod('web-a', { app: 'web' }));
    await client.create(PODS, NS, pod('web-b', { app: 'web', ready: 'no' }));
    const [slice] = await until('both pods in one slice', async () => {
      const s = await slicesOf(client, 'web');
      return s.length === 1 && names(endpointsOf(s)) === 'web-a,web-b' && endpointsOf(s).every((e) => e.addresses?.length) && s;
    });
    assert.equal(slice!.metadata.generateName, 'web-');
    assert.match(slice!.metadata.name, /^web-[a-z0-9]{5}$/);
    assert.deepEqual(slice!.metadata.labels, { tier: 'front', 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' });
    assert.deepEqual(slice!.metadata.ownerReferences, [{ apiVersion: 'v1', kind: 'Service', name: 'web', uid: svc.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    assert.equal(slice!.addressType, 'IPv4');
    assert.deepEqual(slice!.ports, [{ name: 'http', port: 8080, protocol: 'TCP' }]);
    const a = slice!.endpoints.find((e: KubeObject) => e.targetRef.name === 'web-a');
    const webA = await client.get(PODS, NS, 'web-a');
    assert.deepEqual(a, {
      addresses: [webA.status.podIP], conditions: { ready: true, serving: true, terminating: false },
      targetRef: { kind: 'Pod', namespace: NS, name: 'web-a', uid: webA.metadata.uid }, nodeName: 'test-node', zone: 'zone-a',
    });
    assert.deepEqual(slice!.endpoints.find((e: KubeObject) => e.targetRef.name === 'web-b').conditions, { ready: false, serving: false, terminating: false });

    await client.patch(PODS, NS, 'web-b', { metadata: { labels: { ready: null } } });
    await until('web-b ready', async () => endpointsOf(await slicesOf(client, 'web')).find((e) => e.targetRef.name === 'web-b')?.conditions.ready === true);
    await client.patch(PODS, NS, 'web-a', { metadata: { labels: { app: 'moved' } } });
    await until('web-a gone', async () => names(endpointsOf(await slicesOf(client, 'web'))) === 'web-b');
    assert.equal((await slicesOf(client, 'web')).length, 1, 'the same slice was updated, none added');
    assert.equal((await slicesOf(client, 'web'))[0]!.metadata.name, slice!.metadata.name);
  });
});

test('slices hold at most the maximum endpoints and a removal touches only the slice that held the pod', async () => {
  await withCluster(async (client) => {
    await client.create(SERVICES, NS, { metadata: { name: 'big' }, spec: { selector: { app: 'big' }, ports: [{ port: 80, targetPort: 8080 }] } });
    for (let i = 0; i < 7; i++) await client.create(PODS, NS, pod(`big-${i}`, { app: 'big' }));
    const slices = await until('7 endpoints', async () => {
      const s = await slicesOf(client, 'big');
      return endpointsOf(s).filter((e) => e.addresses?.length).length === 7 && s;
    });
    assert.ok(slices.every((s) => s.endpoints.length <= 3), 'no slice above the maximum');
    assert.equal(slices.length, 3);
    await new Promise((r) => setTimeout(r, 300));
    const before = new Map((await slicesOf(client, 'big')).map((s) => [s.metadata.name, s]));
    const holder = [...before.values()].find((s) => s.endpoints.some((e: KubeObject) => e.targetRef.name === 'big-3'))!;
    await client.delete(PODS, NS, 'big-3');
    await until('big-3 removed', async () => !names(endpointsOf(await slicesOf(client, 'big'))).includes('big-3'));
    await new Promise((r) => setTimeout(r, 300));
    for (const s of await slicesOf(client, 'big')) {
      const old = before.get(s.metadata.name)!;
      if (s.metadata.name === holder.metadata.name) assert.notEqual(s.metadata.resourceVersion, old.metadata.resourceVersion);
      else assert.equal(s.metadata.resourceVersion, old.metadata.resourceVersion, `${s.metadata.name} left untouched`);
    }
  }, 3);
});

test('headless services get the headless label, hostnames and portless slices; empty services a placeholder slice', async () => {
  await withCluster(async (client) => {
    await client.create(SERVICES, NS, { metadata: { name: 'db' }, spec: { clusterIP: 'None', selector: { app: 'db' } } });
    await client.create(PODS, NS, pod('db-0', { app: 'db' }, { spec: { hostname: 'db-0', subdomain: 'db' } }));
    const [slice] = await until('db-0 listed', async () => { const s = await slicesOf(client, 'db'); return endpointsOf(s).some((e) => e.addresses?.length) && s; });
    assert.equal(slice!.metadata.labels['service.kubernetes.io/headless'], '');
    assert.deepEqual(slice!.ports ?? [], []);
    assert.equal(slice!.endpoints[0].hostname, 'db-0');

    await client.create(SERVICES, NS, { metadata: { name: 'empty' }, spec: { selector: { app: 'nothing' }, ports: [{ port: 80 }] } });
    const [placeholder] = await until('placeholder', async () => { const s = await slicesOf(client, 'empty'); return s.length === 1 && s; });
    assert.deepEqual(placeholder!.endpoints ?? [], []);
  });
});

test('a terminating pod stays listed as serving but not ready', async () => {
  await withCluster(async (client) => {
    await client.create(SERVICES, NS, { metadata: { name: 'term' }, spec: { selector: { app: 'term' }, ports: [{ port: 80 }] } });
    await client.create(PODS, NS, pod('t-0', { app: 'term' }, { metadata: { finalizers: ['test.navarch.io/hold'] } }));
    await until('t-0 ready', async () => endpointsOf(await slicesOf(client, 'term'))[0]?.conditions?.ready === true);
    await client.delete(PODS, NS, 't-0');
    const ep = await until('t-0 terminating', async () => { const e = endpointsOf(await slicesOf(client, 'term'))[0]; return e?.conditions?.terminating === true && e; });
    assert.deepEqual(ep.conditions, { ready: false, serving: true, terminating: true });
    await client.patch(PODS, NS, 't-0', { metadata: { finalizers: null } });
  });
});
