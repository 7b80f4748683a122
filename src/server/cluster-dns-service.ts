// The kube-dns Service pods use as their nameserver, and the EndpointSlice that points it at the
// address this process's DNS server listens on (the service proxy DNATs to it). Written through
// the API with the DNS server's identity, created or brought up to date at every start.
import type { ApiClient, KubeObject } from '../client/api-client.ts';
import { isStatusError } from '../api/status.ts';

const SERVICES = { group: '', version: 'v1', plural: 'services', namespaced: true };
const SLICES = { group: 'discovery.k8s.io', version: 'v1', plural: 'endpointslices', namespaced: true };
const NAMESPACE = 'kube-system';
const NAME = 'kube-dns';
const MANAGER = 'navarch-dns';

export interface ClusterDNSAddress { serviceIP: string; address: string; port: number; nodeName: string }

async function createOrReplace(client: ApiClient, ref: typeof SERVICES, obj: KubeObject, keep: (current: KubeObject, next: KubeObject) => void): Promise<void> {
  try {
    await client.create(ref, NAMESPACE, obj);
  } catch (err) {
    if (!(isStatusError(err) && err.code === 409)) throw err;
    const current = await client.get(ref, NAMESPACE, obj.metadata.name);
    keep(current, obj);
    await client.update(ref, NAMESPACE, { ...obj, metadata: { ...obj.metadata, resourceVersion: current.metadata.resourceVersion } });
  }
}

export async function publishClusterDNS(client: ApiClient, a: ClusterDNSAddress): Promise<void> {
  const ports = [{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, protocol: 'TCP' }];
  // No selector: the endpoints are ours, not the endpoint controllers'.
  await createOrReplace(client, SERVICES, {
    apiVersion: 'v1', kind: 'Service',
    metadata: { name: NAME, labels: { 'k8s-app': 'kube-dns', 'kubernetes.io/cluster-service': 'true', 'kubernetes.io/name': 'Navarch-DNS' } },
    spec: { clusterIP: a.serviceIP, ports: ports.map((p) => ({ ...p, targetPort: a.port })) },
  }, (current, next) => { next.spec.clusterIP = current.spec.clusterIP; });
  await createOrReplace(client, SLICES, {
    apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', addressType: 'IPv4',
    metadata: { name: `${NAME}-${MANAGER}`, labels: { 'kubernetes.io/service-name': NAME, 'endpointslice.kubernetes.io/managed-by': MANAGER } },
    endpoints: [{ addresses: [a.address], conditions: { ready: true, serving: true, terminating: false }, nodeName: a.nodeName }],
    ports: ports.map((p) => ({ ...p, port: a.port })),
  }, () => undefined);
}
