import { test } from 'node:test';
import assert from 'node:assert/strict';
import { envFromServices, serviceEnvFor } from './service-env.ts';

const svc = (namespace: string, name: string, clusterIP: string, ports: Record<string, unknown>[]) => ({
  metadata: { namespace, name }, spec: { clusterIP, ports },
});

const kubernetes = svc('default', 'kubernetes', '10.96.0.1', [{ name: 'https', port: 443, protocol: 'TCP' }]);
const web = svc('shop', 'web-front', '10.96.0.20', [{ port: 80 }, { name: 'metrics-port', port: 9090, protocol: 'TCP' }, { name: 'dns', port: 53, protocol: 'UDP' }]);
const headless = svc('shop', 'db', 'None', [{ port: 5432 }]);
const other = svc('elsewhere', 'cache', '10.96.0.30', [{ port: 6379 }]);

test('writes the host, port, named ports and link variables of a service', () => {
  assert.deepEqual(envFromServices([web]), [
    { name: 'WEB_FRONT_SERVICE_HOST', value: '10.96.0.20' },
    { name: 'WEB_FRONT_SERVICE_PORT', value: '80' },
    { name: 'WEB_FRONT_SERVICE_PORT_METRICS_PORT', value: '9090' },
    { name: 'WEB_FRONT_SERVICE_PORT_DNS', value: '53' },
    { name: 'WEB_FRONT_PORT', value: 'tcp://10.96.0.20:80' },
    { name: 'WEB_FRONT_PORT_80_TCP', value: 'tcp://10.96.0.20:80' },
    { name: 'WEB_FRONT_PORT_80_TCP_PROTO', value: 'tcp' },
    { name: 'WEB_FRONT_PORT_80_TCP_PORT', value: '80' },
    { name: 'WEB_FRONT_PORT_80_TCP_ADDR', value: '10.96.0.20' },
    { name: 'WEB_FRONT_PORT_9090_TCP', value: 'tcp://10.96.0.20:9090' },
    { name: 'WEB_FRONT_PORT_9090_TCP_PROTO', value: 'tcp' },
    { name: 'WEB_FRONT_PORT_9090_TCP_PORT', value: '9090' },
    { name: 'WEB_FRONT_PORT_9090_TCP_ADDR', value: '10.96.0.20' },
    { name: 'WEB_FRONT_PORT_53_UDP', value: 'udp://10.96.0.20:53' },
    { name: 'WEB_FRONT_PORT_53_UDP_PROTO', value: 'udp' },
    { name: 'WEB_FRONT_PORT_53_UDP_PORT', value: '53' },
    { name: 'WEB_FRONT_PORT_53_UDP_ADDR', value: '10.96.0.20' },
  ]);
});

test('brackets IPv6 cluster IPs in URLs', () => {
  const env = envFromServices([svc('a', 'v6', 'fd00::1', [{ port: 80 }])]);
  assert.equal(env.find((e) => e.name === 'V6_PORT')?.value, 'tcp://[fd00::1]:80');
  assert.equal(env.find((e) => e.name === 'V6_SERVICE_HOST')?.value, 'fd00::1');
});

test('skips services without a cluster IP', () => {
  assert.deepEqual(envFromServices([headless, svc('shop', 'x', '', [{ port: 1 }])]), []);
});

test('a pod sees its namespace services and the kubernetes service', () => {
  const env = serviceEnvFor('shop', true, [kubernetes, web, headless, other]);
  assert.equal(env.get('KUBERNETES_SERVICE_HOST'), '10.96.0.1');
  assert.equal(env.get('KUBERNETES_SERVICE_PORT'), '443');
  assert.equal(env.get('KUBERNETES_SERVICE_PORT_HTTPS'), '443');
  assert.equal(env.get('KUBERNETES_PORT'), 'tcp://10.96.0.1:443');
  assert.equal(env.get('WEB_FRONT_SERVICE_HOST'), '10.96.0.20');
  assert.equal(env.has('DB_SERVICE_HOST'), false);
  assert.equal(env.has('CACHE_SERVICE_HOST'), false);
});

test('enableServiceLinks false leaves only the kubernetes service', () => {
  const env = serviceEnvFor('shop', false, [kubernetes, web]);
  assert.deepEqual([...env.keys()].filter((k) => !k.startsWith('KUBERNETES_')), []);
  assert.equal(env.get('KUBERNETES_SERVICE_HOST'), '10.96.0.1');
});

test('a kubernetes service in the pod namespace wins over default/kubernetes', () => {
  const own = svc('shop', 'kubernetes', '10.96.9.9', [{ port: 8443 }]);
  assert.equal(serviceEnvFor('shop', true, [kubernetes, own]).get('KUBERNETES_SERVICE_HOST'), '10.96.9.9');
  assert.equal(serviceEnvFor('shop', false, [kubernetes, own]).get('KUBERNETES_SERVICE_HOST'), '10.96.0.1');
});
