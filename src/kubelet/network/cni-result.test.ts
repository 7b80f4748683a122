import { test } from 'node:test';
import assert from 'node:assert/strict';
import { podAddresses } from './cni-result.ts';

test('the addresses of the sandbox interface are read from a 1.0.0 bridge result', () => {
  const result = {
    cniVersion: '1.0.0',
    interfaces: [
      { name: 'cni0', mac: 'aa:aa:aa:aa:aa:aa' },
      { name: 'veth1234', mac: 'bb:bb:bb:bb:bb:bb' },
      { name: 'eth0', mac: 'cc:cc:cc:cc:cc:cc', sandbox: '/run/netns/x' },
    ],
    ips: [{ interface: 2, address: '10.244.7.5/24', gateway: '10.244.7.1' }],
    routes: [{ dst: '0.0.0.0/0' }],
    dns: {},
  };
  assert.deepEqual(podAddresses(result, 'eth0'), { ips: ['10.244.7.5'], gateway: '10.244.7.1' });
});

test('addresses on host-side interfaces or other sandbox interfaces are skipped', () => {
  const result = {
    interfaces: [{ name: 'br0' }, { name: 'net1', sandbox: '/run/netns/x' }, { name: 'eth0', sandbox: '/run/netns/x' }],
    ips: [
      { interface: 0, address: '10.0.0.1/24' },
      { interface: 1, address: '192.168.5.2/24', gateway: '192.168.5.1' },
      { interface: 2, address: 'fd00::5/64', gateway: 'fd00::1' },
      { interface: 2, address: '10.0.0.5/24', gateway: '10.0.0.1' },
    ],
  };
  assert.deepEqual(podAddresses(result, 'eth0'), { ips: ['fd00::5', '10.0.0.5'], gateway: 'fd00::1' });
});

test('a 0.4.0 result and one without interface indexes still yield the addresses', () => {
  assert.deepEqual(
    podAddresses({ cniVersion: '0.4.0', ips: [{ version: '4', address: '10.1.2.3/16', gateway: '10.1.0.1' }] }, 'eth0'),
    { ips: ['10.1.2.3'], gateway: '10.1.0.1' },
  );
  assert.deepEqual(podAddresses({}, 'eth0'), { ips: [], gateway: undefined });
});
