// The `kubernetes` service's endpoints: the address pods reach the API server at, written by
// the API server itself (upstream's endpoint reconciler), as an Endpoints object and an
// EndpointSlice. The advertise address defaults as kube-apiserver's --advertise-address does:
// the bind address, or with an unspecified bind this machine's primary address. A loopback
// bind has none: pods cannot reach it, and the service then has no endpoints.
import type { KubeObject } from '../api/registry/resource.ts';
import { primaryIPv4 } from '../kubelet/index.ts';

export function advertiseAddress(bindAddress: string, explicit?: string): string | undefined {
  if (explicit) return explicit;
  const address = bindAddress === '0.0.0.0' || bindAddress === '::' ? primaryIPv4() : bindAddress;
  return /^127\.|^::1$|^localhost$/.test(address) ? undefined : address;
}

const PORT = (port: number) => ({ name: 'https', port, protocol: 'TCP' });

/** The Endpoints and EndpointSlice named `kubernetes` in `default` for address:port. */
export function kubernetesEndpoints(address: string, port: number): { endpoints: KubeObject; slice: KubeObject } {
  return {
    endpoints: {
      metadata: { name: 'kubernetes', namespace: 'default', labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } },
      subsets: [{ addresses: [{ ip: address }], ports: [PORT(port)] }],
    },
    slice: {
      metadata: { name: 'kubernetes', namespace: 'default', labels: { 'kubernetes.io/service-name': 'kubernetes' } },
      addressType: address.includes(':') ? 'IPv6' : 'IPv4',
      endpoints: [{ addresses: [address], conditions: { ready: true } }],
      ports: [PORT(port)],
    },
  };
}
