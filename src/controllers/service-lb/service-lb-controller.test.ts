import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestCluster, until } from '../../server/test-cluster.ts';
import { ControllerManager } from '../engine/manager.ts';
import { createLogger } from '../../base/log.ts';
import { ServiceLoadBalancerController } from './index.ts';

const NODES = { group: '', version: 'v1', plural: 'nodes', namespaced: false };
const SERVICES = { group: '', version: 'v1', plural: 'services', namespaced: true };
const EVENTS = { group: '', version: 'v1', plural: 'events', namespaced: true };

const node = (name: string, ip: string, ready = 'True') => ({
  metadata: { name },
  status: { addresses: [{ type: 'InternalIP', address: ip }, { type: 'Hostname', address: name }], conditions: [{ type: 'Ready', status: ready }] },
});

test('LoadBalancer services get the ready nodes\' addresses; a port already taken stays pending with an event until it frees', async () => {
  const cluster = await startTestCluster();
  const abort = new AbortController();
  try {
    const { client } = cluster;
    await client.create(NODES, undefined, node('a', '192.0.2.10'));
    await client.create(NODES, undefined, node('b', '192.0.2.11'));
    await client.create(NODES, undefined, node('down', '192.0.2.12', 'False'));
    const config = await cluster.config('system:kube-controller-manager');
    await new ControllerManager([{ name: 'service-lb', workers: 2, create: () => new ServiceLoadBalancerController(), eventComponent: 'service-lb-controller' }], config, createLogger({ component: 'test' })).start(abort.signal);
    const lb = (name: string, port: number, extra: Record<string, unknown> = {}) =>
      client.create(SERVICES, 'default', { metadata: { name }, spec: { type: 'LoadBalancer', ports: [{ port }], ...extra } });
    await lb('first', 8080);
    const ingress = await until('first gets the node addresses', async () => (await client.get(SERVICES, 'default', 'first')).status?.loadBalancer?.ingress);
    assert.deepEqual(ingress, [{ ip: '192.0.2.10', ipMode: 'VIP' }, { ip: '192.0.2.11', ipMode: 'VIP' }]);
    await lb('second', 8080);
    await lb('classy', 9090, { loadBalancerClass: 'example.com/other' });
    await until('a PortConflict event for second', async () =>
      (await client.list(EVENTS, 'default')).items.some((e: any) => e.involvedObject.name === 'second' && e.reason === 'PortConflict' && e.message.includes('port TCP/8080 is already used by LoadBalancer service default/first')));
    assert.deepEqual((await client.get(SERVICES, 'default', 'second')).status?.loadBalancer ?? {}, {});
    await client.delete(SERVICES, 'default', 'first');
    await until('second takes the port once first is gone', async () => (await client.get(SERVICES, 'default', 'second')).status?.loadBalancer?.ingress?.length === 2);
    assert.deepEqual((await client.get(SERVICES, 'default', 'classy')).status?.loadBalancer ?? {}, {}, 'another class is not ours');
    // Turning it into a ClusterIP service clears the addresses.
    await client.patch(SERVICES, 'default', 'second', { spec: { type: 'ClusterIP' } }, 'strategic');
    await until('second loses its addresses', async () => !(await client.get(SERVICES, 'default', 'second')).status?.loadBalancer?.ingress);
  } finally {
    abort.abort();
    await cluster.stop();
  }
});
