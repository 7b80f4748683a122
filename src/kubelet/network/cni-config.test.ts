import { test } from 'node:test';
import assert from 'node:assert/strict';
import { podNetworkConfig } from './cni-config.ts';
import { portMapping } from './pod-network.ts';

test('the pod network is a bridge with host-local IPAM over the node range, then portmap', () => {
  const list = podNetworkConfig({ networkName: 'navarch', bridgeName: 'cni0', podCIDR: '10.244.3.0/24', ipamDataDir: '/var/lib/navarch/network/ipam' });
  assert.equal(list.cniVersion, '1.0.0');
  assert.deepEqual(list.plugins.map((p) => p.type), ['bridge', 'portmap']);
  assert.deepEqual(list.plugins[0], {
    type: 'bridge', bridge: 'cni0', isGateway: true, ipMasq: false, hairpinMode: true,
    ipam: {
      type: 'host-local', ranges: [[{ subnet: '10.244.3.0/24' }]], routes: [{ dst: '0.0.0.0/0' }],
      dataDir: '/var/lib/navarch/network/ipam',
    },
  });
  assert.deepEqual(list.plugins[1], { type: 'portmap', capabilities: { portMappings: true }, snat: true });
});

test('hostPorts become portmap entries with lower-case protocols', () => {
  assert.deepEqual(portMapping({ containerPort: 80, hostPort: 8080 }), { hostPort: 8080, containerPort: 80, protocol: 'tcp' });
  assert.deepEqual(portMapping({ containerPort: 53, hostPort: 5353, protocol: 'UDP', hostIP: '127.0.0.1' }), {
    hostPort: 5353, containerPort: 53, protocol: 'udp', hostIP: '127.0.0.1',
  });
});
