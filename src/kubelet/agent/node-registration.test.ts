import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NodeRegistration } from './node-registration.ts';
import { errors } from '../../api/status.ts';
import { NODE_USAGE_ANNOTATION, decodeNodeUsage, type NodeUsageReport } from '../../api/metrics/index.ts';
import { createLogger } from '../../base/log.ts';
import type { ApiClient, KubeObject, ResourceRef } from '../../client/api-client.ts';

/** Just enough of an API server for Leases: create, get and update keep one copy per name. */
function leaseClient() {
  const leases = new Map<string, KubeObject>();
  const client = {
    async create(_r: ResourceRef, _ns: string, obj: KubeObject) {
      if (leases.has(obj.metadata.name)) throw errors.alreadyExists('coordination.k8s.io', 'leases', obj.metadata.name);
      leases.set(obj.metadata.name, structuredClone(obj));
      return structuredClone(obj);
    },
    async get(_r: ResourceRef, _ns: string, name: string) {
      const l = leases.get(name);
      if (!l) throw errors.notFound('coordination.k8s.io', 'leases', name);
      return structuredClone(l);
    },
    async update(_r: ResourceRef, _ns: string, obj: KubeObject) {
      if (!leases.has(obj.metadata.name)) throw errors.notFound('coordination.k8s.io', 'leases', obj.metadata.name);
      leases.set(obj.metadata.name, structuredClone(obj));
      return structuredClone(obj);
    },
  };
  return { leases, client: client as unknown as ApiClient };
}

const HOST = {
  name: 'n1', internalIP: '10.0.0.1', capacity: { cpu: '2', memory: '4Gi', pods: '110', ephemeralStorage: '10Gi' },
  kernelVersion: '6', osImage: 'x', machineID: 'm', bootID: 'b', systemUUID: 'u',
} as never;

const report = (cpu: string): NodeUsageReport => ({ timestamp: '2025-01-01T00:00:00Z', window: '10s', node: { cpu, memory: '1Ki' }, pods: [] });

test('each lease renewal carries the latest usage report; without one the previous report stays', async () => {
  const { leases, client } = leaseClient();
  let latest: NodeUsageReport | undefined;
  const reg = new NodeRegistration({ client, host: HOST, podCIDR: '10.1.0.0/24', runtimeVersion: 'runc://1', logger: createLogger(), usage: () => latest });
  await reg.renewLease();
  assert.equal(leases.get('n1')?.metadata.annotations?.[NODE_USAGE_ANNOTATION], undefined, 'no sample yet, no annotation');
  latest = report('5m');
  await reg.renewLease();
  assert.equal(decodeNodeUsage(leases.get('n1')?.metadata.annotations?.[NODE_USAGE_ANNOTATION])?.node.cpu, '5m');
  assert.ok(leases.get('n1')?.spec.renewTime);
  latest = report('7m');
  await reg.renewLease();
  assert.equal(decodeNodeUsage(leases.get('n1')?.metadata.annotations?.[NODE_USAGE_ANNOTATION])?.node.cpu, '7m');
  latest = undefined;
  await reg.renewLease();
  assert.equal(decodeNodeUsage(leases.get('n1')?.metadata.annotations?.[NODE_USAGE_ANNOTATION])?.node.cpu, '7m');
});

test('a lease made anew (after it vanished) carries the report too', async () => {
  const { leases, client } = leaseClient();
  const reg = new NodeRegistration({ client, host: HOST, podCIDR: '10.1.0.0/24', runtimeVersion: 'runc://1', logger: createLogger(), usage: () => report('9m') });
  await reg.renewLease();
  leases.delete('n1');
  await reg.renewLease();
  assert.equal(decodeNodeUsage(leases.get('n1')?.metadata.annotations?.[NODE_USAGE_ANNOTATION])?.node.cpu, '9m');
});
