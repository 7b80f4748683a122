import { test } from 'node:test';
import assert from 'node:assert/strict';
import { servicePorts } from './service-ports.ts';

const svc = (name: string, spec: Record<string, unknown>, status: Record<string, unknown> = {}) => ({ metadata: { namespace: 'ns', name }, spec: { clusterIP: '10.96.0.10', ports: [{ name: 'http', port: 80, protocol: 'TCP' }], ...spec }, status });
const ep = (ip: string, conditions: Record<string, boolean>, nodeName = 'me') => ({ addresses: [ip], conditions, nodeName });
const slice = (endpoints: unknown[], port = 8080) => ({ addressType: 'IPv4', ports: [{ name: 'http', port, protocol: 'TCP' }], endpoints });

test('ready endpoints are used; terminating-but-serving ones only when none is ready; headless and ExternalName services are skipped', () => {
  const slices = new Map([['ns/web', [slice([ep('10.0.0.1', { ready: true }), ep('10.0.0.2', { ready: false }), ep('10.0.0.3', { ready: false, serving: true, terminating: true })])]]]);
  const [p] = servicePorts([svc('web', {}), svc('headless', { clusterIP: 'None' }), svc('ext', { type: 'ExternalName' })], slices, 'me');
  assert.equal(p.id, 'ns/web/tcp/http');
  assert.deepEqual(p.clusterEndpoints.map((e) => `${e.ip}:${e.port}`), ['10.0.0.1:8080']);
  const onlyTerminating = new Map([['ns/web', [slice([ep('10.0.0.3', { ready: false, serving: true, terminating: true })])]]]);
  assert.deepEqual(servicePorts([svc('web', {})], onlyTerminating, 'me')[0].clusterEndpoints.map((e) => e.ip), ['10.0.0.3']);
  assert.equal(servicePorts([svc('web', {}), svc('headless', { clusterIP: 'None' })], new Map(), 'me').length, 1);
});

test('traffic policies Local keep only this node\'s endpoints; node ports, load balancer IPs and affinity are carried', () => {
  const slices = new Map([['ns/web', [slice([ep('10.0.0.1', { ready: true }, 'me'), ep('10.0.0.2', { ready: true }, 'other')])]]]);
  const [p] = servicePorts([svc('web', {
    type: 'LoadBalancer', externalTrafficPolicy: 'Local', internalTrafficPolicy: 'Cluster', sessionAffinity: 'ClientIP',
    sessionAffinityConfig: { clientIP: { timeoutSeconds: 60 } }, ports: [{ name: 'http', port: 80, protocol: 'TCP', nodePort: 30080 }],
  }, { loadBalancer: { ingress: [{ ip: '192.0.2.2' }] } })], slices, 'me');
  assert.deepEqual(p.clusterEndpoints.map((e) => e.ip), ['10.0.0.1', '10.0.0.2']);
  assert.deepEqual(p.externalEndpoints.map((e) => e.ip), ['10.0.0.1']);
  assert.equal(p.externalLocal, true);
  assert.equal(p.nodePort, 30080);
  assert.deepEqual(p.externalIPs, ['192.0.2.2']);
  assert.equal(p.affinitySeconds, 60);
  const [internalLocal] = servicePorts([svc('web', { internalTrafficPolicy: 'Local' })], slices, 'me');
  assert.deepEqual(internalLocal.clusterEndpoints.map((e) => e.ip), ['10.0.0.1']);
});

test('a slice port is matched by name and protocol', () => {
  const slices = new Map([['ns/web', [{ addressType: 'IPv4', ports: [{ name: 'other', port: 9000, protocol: 'TCP' }], endpoints: [ep('10.0.0.1', { ready: true })] }]]]);
  assert.deepEqual(servicePorts([svc('web', {})], slices, 'me')[0].clusterEndpoints, []);
});
