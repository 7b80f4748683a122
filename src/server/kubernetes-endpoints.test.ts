import { test } from 'node:test';
import assert from 'node:assert/strict';
import { advertiseAddress, kubernetesEndpoints } from './kubernetes-endpoints.ts';

test('the advertise address: explicit, else a specific bind address, else the primary address; never loopback', () => {
  assert.equal(advertiseAddress('0.0.0.0', '10.1.2.3'), '10.1.2.3');
  assert.equal(advertiseAddress('192.168.5.5'), '192.168.5.5');
  assert.equal(advertiseAddress('127.0.0.1'), undefined);
  const primary = advertiseAddress('0.0.0.0');
  assert.ok(primary === undefined || /^\d+\.\d+\.\d+\.\d+$/.test(primary) && !primary.startsWith('127.'), String(primary));
});

test('the endpoints name the kubernetes service and its https port', () => {
  const { endpoints, slice } = kubernetesEndpoints('10.1.2.3', 6443);
  assert.deepEqual(endpoints.subsets, [{ addresses: [{ ip: '10.1.2.3' }], ports: [{ name: 'https', port: 6443, protocol: 'TCP' }] }]);
  assert.equal(slice.metadata.labels['kubernetes.io/service-name'], 'kubernetes');
  assert.deepEqual(slice.endpoints, [{ addresses: ['10.1.2.3'], conditions: { ready: true } }]);
});
