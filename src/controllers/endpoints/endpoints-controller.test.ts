import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestCluster, until } from '../../server/test-cluster.ts';
import { startFakeNode } from '../../server/fake-node.ts';
import { ControllerManager } from '../engine/manager.ts';
import { createLogger } from '../../base/log.ts';
import type { ApiClient, KubeObject } from '../../client/api-client.ts';
import { newEndpointsController } from './index.ts';

const PODS = { group: '', version: 'v1', plural: 'pods', namespaced: true };
const SERVICES = { group: '', version: 'v1', plural: 'services', namespaced: true };
const ENDPOINTS = { group: '', version: 'v1', plural: 'endpoints', namespaced: true };
const NS = 'default';


/** A cluster running only this controller and a fake node that keeps pods labelled ready=no unready. */
async function withCluster(fn: (client: ApiClient) => Promise<void>): Promise<void> {
  const cluster = await startTestCluster();
  const abort = new AbortController();
  let node: { stop(): void } | undefined;
  try {
    const config = await cluster.config('system:kube-controller-manager');
    await new ControllerManager([{ name: 'endpoints', workers: 2, create: newEndpointsController }], config, createLogger({ component: 'test' })).start(abort.signal);
    node = await startFakeNode(cluster.client, { ready: (p) => p.metadata.labels?.ready !== 'no' });
    await fn(cluster.client);
  } finally {
    node?.stop();
    abort.abort();
    await cluster.stop();
  }
}

const pod = (name: string, labels: Record<string, string>, extra: KubeObject = {}): KubeObject => ({
  metadata: { name, labels, ...(extra.metadata ?? {}) },
  spec: { containers: [{ name: 'c', image: 'nginx', ports: [{ name: 'http', containerPort: 8080 }, { name: 'metrics', containerPort: 9090 }] }], ...(extra.spec ?? {}) },
});

const endpointsOf = (client: ApiClient, name: string) => client.get(ENDPOINTS, NS, name).catch(() => undefined);
const ips = (list: KubeObject[] | undefined) => (list ?? []).map((a) => a.targetRef?.name).sort();

test('endpoints list ready and not-ready pods, resolve named target ports, and follow readiness changes', async () => {
  await withCluster(async (client) => {
    await client.create(SERVICES, NS, {
      metadata: { name: 'web', labels: { tier: 'front' } },
      // No IP allocator runs in this test cluster, so the Service is given its ClusterIP.
      spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }, { name: 'raw', port: 81, targetPort: 7000 }] },
    });
    await client.create(PODS, NS, pod('web-a', { app: 'web' }));
    await client.create(PODS, NS, pod('web-b', { app: 'web', ready: 'no' }));
    await client.create(PODS, NS, pod('other', { app: 'other' }));

    const ep = await until('both pods in endpoints', async () => {
      const e = await endpointsOf(client, 'web');
      const s = e?.subsets?.[0];
      return s && ips(s.addresses).join() === 'web-a' && ips(s.notReadyAddresses).join() === 'web-b' && e;
    });
    assert.equal(ep.subsets.length, 1, 'both pods offer the same ports, so one subset');
    const a = ep.subsets[0].addresses[0];
    const webA = await client.get(PODS, NS, 'web-a');
    assert.equal(a.ip, webA.status.podIP);
    assert.equal(a.nodeName, 'test-node');
    assert.deepEqual(a.targetRef, { kind: 'Pod', namespace: NS, name: 'web-a', uid: webA.metadata.uid });
    assert.deepEqual(ep.subsets[0].ports.map((p: KubeObject) => [p.name, p.port, p.protocol]).sort(), [['http', 8080, 'TCP'], ['raw', 7000, 'TCP']]);
    assert.deepEqual(ep.metadata.labels, { tier: 'front' }, 'labels mirror the Service; no headless label on a ClusterIP Service');
    assert.match(ep.metadata.annotations['endpoints.kubernetes.io/last-change-trigger-time'], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);

    // web-b becomes ready, web-a stops being ready.
    await client.patch(PODS, NS, 'web-b', { metadata: { labels: { ready: null } } });
    await client.patch(PODS, NS, 'web-a', { metadata: { labels: { ready: 'no' } } });
    await until('readiness swapped', async () => {
      const s = (await endpointsOf(client, 'web'))?.subsets?.[0];
      return s && ips(s.addresses).join() === 'web-b' && ips(s.notReadyAddresses).join() === 'web-a';
    });
  });
});

test('pods join and leave as their labels change, and pods per port set get their own subsets', async () => {
  await withCluster(async (client) => {
    await client.create(SERVICES, NS, { metadata: { name: 'api' }, spec: { selector: { app: 'api' }, ports: [{ port: 80, targetPort: 'metrics' }] } });
    await client.create(PODS, NS, pod('api-1', { app: 'api' }));
    // This pod has no port named "metrics": it cannot serve the Service and is left out.
    await client.create(PODS, NS, { metadata: { name: 'api-noport', labels: { app: 'api' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
    await until('api-1 listed', async () => ips((await endpointsOf(client, 'api'))?.subsets?.[0]?.addresses).join() === 'api-1');
    const ep = await endpointsOf(client, 'api');
    assert.deepEqual(ep!.subsets[0].ports, [{ port: 9090, protocol: 'TCP' }]);

    // A second Service port only one pod offers: addresses are grouped by the ports they serve.
    await client.create(SERVICES, NS, { metadata: { name: 'admin' }, spec: { selector: { app: 'api' }, ports: [{ name: 'm', port: 80, targetPort: 'metrics' }, { name: 'a', port: 81, targetPort: 'admin' }] } });
    await client.create(PODS, NS, { metadata: { name: 'api-admin', labels: { app: 'api' } }, spec: { containers: [{ name: 'c', image: 'nginx', ports: [{ name: 'metrics', containerPort: 9090 }, { name: 'admin', containerPort: 9443 }] }] } });
    const grouped = await until('two subsets', async () => { const e = await endpointsOf(client, 'admin'); return e?.subsets?.length === 2 && e.subsets.every((x: KubeObject) => x.addresses) && e; });
    const layout = grouped.subsets.map((x: KubeObject) => `${x.ports.map((p: KubeObject) => p.name).join('+')}:${ips(x.addresses).join('+')}`).sort();
    assert.deepEqual(layout, ['a:api-admin', 'm:api-1+api-admin']);
    await client.delete(PODS, NS, 'api-admin');

    await client.create(PODS, NS, pod('api-2', { app: 'other' }));
    await client.patch(PODS, NS, 'api-2', { metadata: { labels: { app: 'api' } } });
    await until('api-2 joined', async () => ips((await endpointsOf(client, 'api'))?.subsets?.[0]?.addresses).join() === 'api-1,api-2');
    await client.patch(PODS, NS, 'api-1', { metadata: { labels: { app: 'gone' } } });
    await until('api-1 left', async () => ips((await endpointsOf(client, 'api'))?.subsets?.[0]?.addresses).join() === 'api-2');
    await client.delete(PODS, NS, 'api-2');
    await until('no addresses left', async () => (await endpointsOf(client, 'api'))?.subsets === undefined || (await endpointsOf(client, 'api'))?.subsets?.length === 0);

    // The Service goes, and its Endpoints with it.
    await client.delete(SERVICES, NS, 'api');
    await until('endpoints deleted', async () => (await endpointsOf(client, 'api')) === undefined);
  });
});

test('headless services get the headless label, hostnames for their subdomain, and addresses without ports', async () => {
  await withCluster(async (client) => {
    await client.create(SERVICES, NS, { metadata: { name: 'db' }, spec: { clusterIP: 'None', selector: { app: 'db' } } });
    await client.create(PODS, NS, pod('db-0', { app: 'db' }, { spec: { hostname: 'db-0', subdomain: 'db' } }));
    await client.create(PODS, NS, pod('db-x', { app: 'db' }, { spec: { hostname: 'x', subdomain: 'elsewhere' } }));
    const ep = await until('both addresses', async () => {
      const e = await endpointsOf(client, 'db');
      return e?.subsets?.[0]?.addresses?.length === 2 && e;
    });
    assert.equal(ep.metadata.labels['service.kubernetes.io/headless'], '');
    assert.equal(ep.subsets[0].ports, undefined);
    const byName = Object.fromEntries(ep.subsets[0].addresses.map((a: KubeObject) => [a.targetRef.name, a]));
    assert.equal(byName['db-0'].hostname, 'db-0');
    assert.equal(byName['db-x'].hostname, undefined, 'a pod of another subdomain gets no hostname here');
  });
});

test('publishNotReadyAddresses lists unready pods as ready; terminating pods are dropped', async () => {
  await withCluster(async (client) => {
    await client.create(SERVICES, NS, { metadata: { name: 'peers' }, spec: { selector: { app: 'peers' }, publishNotReadyAddresses: true, ports: [{ port: 80 }] } });
    await client.create(SERVICES, NS, { metadata: { name: 'plain' }, spec: { selector: { app: 'peers' }, ports: [{ port: 80 }] } });
    await client.create(PODS, NS, pod('p-0', { app: 'peers', ready: 'no' }));
    await client.create(PODS, NS, pod('p-1', { app: 'peers' }, { metadata: { finalizers: ['test.navarch.io/hold'] } }));
    await until('unready pod published', async () => ips((await endpointsOf(client, 'peers'))?.subsets?.[0]?.addresses).join() === 'p-0,p-1');
    await until('plain service sees p-1 ready', async () => ips((await endpointsOf(client, 'plain'))?.subsets?.[0]?.addresses).join() === 'p-1');

    // p-1 is being deleted (held by its finalizer): out of the plain Service, kept where unready pods are published.
    await client.delete(PODS, NS, 'p-1');
    await until('terminating pod dropped', async () => ips((await endpointsOf(client, 'plain'))?.subsets?.[0]?.addresses).length === 0);
    assert.equal(ips((await endpointsOf(client, 'peers'))?.subsets?.[0]?.addresses).join(), 'p-0,p-1');
    await client.patch(PODS, NS, 'p-1', { metadata: { finalizers: null } });
  });
});

test('services without a selector keep their hand-made endpoints', async () => {
  await withCluster(async (client) => {
    await client.create(SERVICES, NS, { metadata: { name: 'external' }, spec: { ports: [{ port: 5432 }] } });
    await client.create(ENDPOINTS, NS, { metadata: { name: 'external' }, subsets: [{ addresses: [{ ip: '192.0.2.10' }], ports: [{ port: 5432 }] }] });
    // A selector Service created afterwards proves the controller is running and has synced.
    await client.create(SERVICES, NS, { metadata: { name: 'probe' }, spec: { selector: { app: 'none' }, ports: [{ port: 1 }] } });
    await until('probe endpoints', async () => (await endpointsOf(client, 'probe')) !== undefined);
    const ep = await endpointsOf(client, 'external');
    assert.deepEqual(ep!.subsets, [{ addresses: [{ ip: '192.0.2.10' }], ports: [{ port: 5432, protocol: 'TCP' }] }]);
  });
});
