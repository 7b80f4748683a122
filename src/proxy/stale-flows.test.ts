import { test } from 'node:test';
import assert from 'node:assert/strict';
import { staleUdpFlows, conntrackDeleteArgs } from './stale-flows.ts';
import type { ServicePort } from './service-ports.ts';

const dns = (ips: string[], over: Partial<ServicePort> = {}): ServicePort => ({
  id: 'kube-system/dns/udp/dns', namespace: 'kube-system', name: 'dns', portName: 'dns', protocol: 'udp', clusterIP: '10.96.0.10', externalIPs: [], port: 53,
  clusterEndpoints: ips.map((ip) => ({ ip, port: 5353, local: true })), externalEndpoints: [], externalLocal: false, ...over,
});

test('an endpoint leaving a UDP service forgets the flows DNATed to it, on the cluster IP and the node port', () => {
  const prev = new Map([['kube-system/dns/udp/dns', dns(['10.0.0.1', '10.0.0.2'], { nodePort: 30053 })]]);
  const flows = staleUdpFlows(prev, [dns(['10.0.0.2'], { nodePort: 30053 })]);
  assert.deepEqual(flows, [{ address: '10.96.0.10', port: 53, natTo: '10.0.0.1' }, { port: 30053, natTo: '10.0.0.1' }]);
  assert.deepEqual(conntrackDeleteArgs(flows[0]), ['-D', '-p', 'udp', '--orig-dst', '10.96.0.10', '--orig-port-dst', '53', '--dst-nat', '10.0.0.1']);
});

test('a UDP service that gets its first endpoint forgets every flow to it; TCP and unchanged services need nothing', () => {
  assert.deepEqual(staleUdpFlows(new Map([['kube-system/dns/udp/dns', dns([])]]), [dns(['10.0.0.1'])]), [{ address: '10.96.0.10', port: 53 }]);
  assert.deepEqual(staleUdpFlows(new Map([['kube-system/dns/udp/dns', dns(['10.0.0.1'])]]), [dns(['10.0.0.1'])]), []);
  const tcp = dns(['10.0.0.1'], { protocol: 'tcp', id: 'x' });
  assert.deepEqual(staleUdpFlows(new Map([['x', tcp]]), [{ ...tcp, clusterEndpoints: [] }]), []);
});

test('a UDP service that is gone forgets its flows', () => {
  assert.deepEqual(staleUdpFlows(new Map([['kube-system/dns/udp/dns', dns(['10.0.0.1'])]]), []), [{ address: '10.96.0.10', port: 53 }]);
});
