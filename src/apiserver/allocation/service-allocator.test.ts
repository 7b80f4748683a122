import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestCluster, type TestCluster } from '../../server/test-cluster.ts';
import { isStatusError } from '../../api/status.ts';
import type { KubeObject } from '../../api/registry/resource.ts';

const SERVICES = { group: '', version: 'v1', plural: 'services', namespaced: true };
let cluster: TestCluster;
before(async () => { cluster = await startTestCluster(); });
after(async () => { await cluster.stop(); });

const create = (name: string, spec: KubeObject, dryRun = false) => {
  const body = { apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { ports: [{ port: 80 }], ...spec } };
  return dryRun ? cluster.client.request<KubeObject>('POST', '/api/v1/namespaces/default/services?dryRun=All', body) : cluster.client.create(SERVICES, 'default', body);
};

async function rejection(p: Promise<unknown>): Promise<{ code: number; message: string; causes: KubeObject[] }> {
  try { await p; } catch (e) {
    if (isStatusError(e)) return { code: e.code, message: e.message, causes: e.status.details?.causes ?? [] };
    throw e;
  }
  assert.fail('the write was accepted');
}

test('the kubernetes service holds the first address of the range', async () => {
  const svc = await cluster.client.get(SERVICES, 'default', 'kubernetes');
  assert.equal(svc.spec.clusterIP, '10.96.0.1');
  assert.deepEqual(svc.spec.clusterIPs, ['10.96.0.1']);
  assert.equal(svc.spec.ports[0].port, 443);
});

test('a service gets a free cluster IP from the range with its families, and a taken or foreign IP is a 422 naming the field', async () => {
  const a = await create('alloc-a', {});
  const ip: string = a.spec.clusterIP;
  assert.match(ip, /^10\.(9[6-9]|10\d|11[01])\.\d+\.\d+$/);
  assert.deepEqual(a.spec.clusterIPs, [ip]);
  assert.deepEqual(a.spec.ipFamilies, ['IPv4']);
  assert.equal(a.spec.ipFamilyPolicy, 'SingleStack');
  const taken = await rejection(create('alloc-b', { clusterIP: ip }));
  assert.equal(taken.code, 422);
  assert.equal(taken.message, `Service "alloc-b" is invalid: spec.clusterIPs: Invalid value: []string{"${ip}"}: failed to allocate IP ${ip}: provided IP is already allocated`);
  assert.equal(taken.causes[0].field, 'spec.clusterIPs');
  const foreign = await rejection(create('alloc-b', { clusterIP: '192.168.7.7' }));
  assert.equal(foreign.message, 'Service "alloc-b" is invalid: spec.clusterIPs: Invalid value: []string{"192.168.7.7"}: failed to allocate IP 192.168.7.7: the provided IP (192.168.7.7) is not in the valid range. The range of valid IPs is 10.96.0.0/12');
  const malformed = await rejection(create('alloc-b', { clusterIP: '10.96.0.300' }));
  assert.match(malformed.message, /spec\.clusterIPs\[0\]: Invalid value: "10\.96\.0\.300": must be a valid IP address/);
  // Nothing half-written: the failed name is free and the IP goes back to the pool on delete.
  await assert.rejects(cluster.client.get(SERVICES, 'default', 'alloc-b'), (e: unknown) => isStatusError(e) && e.code === 404);
  await cluster.client.delete(SERVICES, 'default', 'alloc-a');
  const b = await create('alloc-b', { clusterIP: ip });
  assert.equal(b.spec.clusterIP, ip);
  await cluster.client.delete(SERVICES, 'default', 'alloc-b');
});

test('a dry run claims nothing; a failed create gives back what it claimed', async () => {
  const dry = await create('dry', { clusterIP: '10.96.3.3' }, true);
  assert.equal(dry.spec.clusterIP, '10.96.3.3');
  const real = await create('dry', { clusterIP: '10.96.3.3' });
  assert.equal(real.spec.clusterIP, '10.96.3.3');
  // Same name again: AlreadyExists after the IP 10.96.3.4 was claimed, which must be released.
  const dup = await rejection(create('dry', { clusterIP: '10.96.3.4' }));
  assert.equal(dup.code, 409);
  const other = await create('dry-other', { clusterIP: '10.96.3.4' });
  assert.equal(other.spec.clusterIP, '10.96.3.4');
  for (const n of ['dry', 'dry-other']) await cluster.client.delete(SERVICES, 'default', n);
});

test('headless services get no address; ExternalName services get no IP fields', async () => {
  const h = await create('headless', { clusterIP: 'None', selector: { app: 'h' } });
  assert.deepEqual(h.spec.clusterIPs, ['None']);
  assert.equal(h.spec.ipFamilyPolicy, 'SingleStack');
  const e = await cluster.client.create(SERVICES, 'default', { metadata: { name: 'ext' }, spec: { type: 'ExternalName', externalName: 'example.com' } });
  assert.equal(e.spec.clusterIP, undefined);
  assert.equal(e.spec.ipFamilies, undefined);
  const dual = await rejection(create('dual', { ipFamilyPolicy: 'RequireDualStack' }));
  assert.match(dual.message, /spec\.ipFamilyPolicy: Invalid value: "RequireDualStack": this cluster is not configured for dual-stack services/);
  for (const n of ['headless', 'ext']) await cluster.client.delete(SERVICES, 'default', n);
});

test('node ports come from the range, one per service port number, and a taken or out-of-range port is a 422', async () => {
  const np = await create('np', { type: 'NodePort', ports: [{ name: 'tcp', port: 53, protocol: 'TCP' }, { name: 'udp', port: 53, protocol: 'UDP' }, { name: 'web', port: 80 }] });
  const [tcp, udp, web] = np.spec.ports.map((p: KubeObject) => p.nodePort);
  assert.ok(tcp >= 30000 && tcp <= 32767, String(tcp));
  assert.equal(udp, tcp, 'TCP and UDP on one port share the node port');
  assert.notEqual(web, tcp);
  assert.equal(np.spec.externalTrafficPolicy, 'Cluster');
  const taken = await rejection(create('np2', { type: 'NodePort', ports: [{ port: 80, nodePort: web }] }));
  assert.equal(taken.message, `Service "np2" is invalid: spec.ports[0].nodePort: Invalid value: ${web}: provided port is already allocated`);
  const out = await rejection(create('np2', { type: 'NodePort', ports: [{ port: 80, nodePort: 8080 }] }));
  assert.equal(out.message, 'Service "np2" is invalid: spec.ports[0].nodePort: Invalid value: 8080: provided port is not in the valid range. The range of valid ports is 30000-32767');
  // A replace that leaves the allocated values out keeps them.
  const current = await cluster.client.get(SERVICES, 'default', 'np');
  const replaced = await cluster.client.update(SERVICES, 'default', {
    metadata: { name: 'np', resourceVersion: current.metadata.resourceVersion },
    spec: { type: 'NodePort', ports: [{ name: 'tcp', port: 53, protocol: 'TCP' }, { name: 'udp', port: 53, protocol: 'UDP' }, { name: 'web', port: 80 }] },
  });
  assert.equal(replaced.spec.clusterIP, current.spec.clusterIP);
  assert.deepEqual(replaced.spec.ports.map((p: KubeObject) => p.nodePort), [tcp, udp, web]);
  // Turning it into a ClusterIP service drops the node ports and frees them.
  const back = await cluster.client.patch(SERVICES, 'default', 'np', { spec: { type: 'ClusterIP' } }, 'strategic');
  assert.deepEqual(back.spec.ports.map((p: KubeObject) => p.nodePort), [undefined, undefined, undefined]);
  assert.equal(back.spec.externalTrafficPolicy, undefined);
  const reuse = await create('np2', { type: 'NodePort', ports: [{ port: 80, nodePort: web }] });
  assert.equal(reuse.spec.ports[0].nodePort, web);
  for (const n of ['np', 'np2']) await cluster.client.delete(SERVICES, 'default', n);
});

test('a LoadBalancer service with externalTrafficPolicy Local gets a health check node port', async () => {
  const lb = await create('lb', { type: 'LoadBalancer', externalTrafficPolicy: 'Local' });
  assert.ok(lb.spec.ports[0].nodePort >= 30000);
  assert.ok(lb.spec.healthCheckNodePort >= 30000);
  assert.notEqual(lb.spec.healthCheckNodePort, lb.spec.ports[0].nodePort);
  await cluster.client.delete(SERVICES, 'default', 'lb');
});
