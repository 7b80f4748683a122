// What a simulated node looks like through the API: the Node a kubelet registers (labels,
// addresses, capacity, nodeInfo, conditions with upstream reasons) and its Lease in
// kube-node-lease. Pure: the simulator decides when to write them.
import { createHash } from 'node:crypto';
import type { KubeObject } from '../../client/api-client.ts';
import { Quantity } from '../../api/quantity/index.ts';
import { stamp } from './pod-stages.ts';

export const KUBELET_VERSION = 'v1.33.1';
export const LEASE_NAMESPACE = 'kube-node-lease';
export const LEASE_DURATION_SECONDS = 40;
export const KUBELET_PORT = 10250;

export interface NodeCapacity {
  cpu: string;
  memory: string;
  pods: string;
  'ephemeral-storage': string;
}

export const DEFAULT_CAPACITY: NodeCapacity = { cpu: '8', memory: '32Gi', pods: '110', 'ephemeral-storage': '100Gi' };

/** Identity of one simulated node: its number fixes its addresses and pod CIDR. */
export interface NodeIdentity {
  name: string;
  index: number;
  zone?: string;
  region?: string;
  instanceType: string;
  labels: Record<string, string>;
  capacity: NodeCapacity;
}

/** A host address in 172.16.0.0/12, one per node number (last octet 2–251). */
export function nodeIP(index: number): string {
  const block = Math.floor(index / 250);
  return `172.${16 + ((block >> 8) & 15)}.${block & 255}.${(index % 250) + 2}`;
}

/** A /24 per node out of 10.244.0.0/14 (1,024 nodes) and on up through 10.255.0.0/16. */
export function podCIDR(index: number): string {
  const second = 244 + (index >> 8);
  if (second > 255) throw new RangeError(`no pod CIDR left for node number ${index}`);
  return `10.${second}.${index & 255}.0/24`;
}

/** The pod address with host number `host` (1–254) in a /24 CIDR. */
export const podAddress = (cidr: string, host: number) => cidr.replace(/\.0\/24$/, `.${host}`);

/** Allocatable as the kubelet computes it with no reservations and its default hard eviction thresholds. */
export function allocatable(c: NodeCapacity): Record<string, string> {
  const memory = Quantity.parse(c.memory).sub(Quantity.parse('100Mi'));
  const storage = Quantity.parse(c['ephemeral-storage']);
  const storageBytes = (storage.scaledValue(0) * 9n) / 10n;
  return {
    cpu: c.cpu, memory: `${memory.scaledValue(0) / 1024n}Ki`, pods: c.pods,
    'ephemeral-storage': String(storageBytes), 'hugepages-1Gi': '0', 'hugepages-2Mi': '0',
  };
}

const hex = (s: string, n: number) => createHash('sha256').update(s).digest('hex').slice(0, n);
const uuid = (s: string) => { const h = hex(s, 32); return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`; };

/** The conditions of a healthy node, with the kubelet's reasons and messages. */
export function healthyConditions(now: Date, previous: KubeObject[] = []): KubeObject[] {
  const cond = (type: string, status: string, reason: string, message: string) => {
    const prev = previous.find((c) => c.type === type);
    return { type, status, lastHeartbeatTime: stamp(now), lastTransitionTime: prev?.status === status ? prev.lastTransitionTime : stamp(now), reason, message };
  };
  return [
    cond('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
    cond('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
    cond('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
    cond('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
  ];
}

export function nodeStatus(id: NodeIdentity, now: Date, previous: KubeObject[] = []): KubeObject {
  const capacity = { ...id.capacity, 'hugepages-1Gi': '0', 'hugepages-2Mi': '0' };
  return {
    capacity,
    allocatable: allocatable(id.capacity),
    conditions: healthyConditions(now, previous),
    addresses: [{ type: 'InternalIP', address: nodeIP(id.index) }, { type: 'Hostname', address: id.name }],
    daemonEndpoints: { kubeletEndpoint: { Port: KUBELET_PORT } },
    nodeInfo: {
      machineID: hex(`machine/${id.name}`, 32), systemUUID: uuid(`system/${id.name}`), bootID: uuid(`boot/${id.name}`),
      kernelVersion: '6.8.0-sim', osImage: 'Navarch simulated node', containerRuntimeVersion: 'containerd://1.7.27',
      kubeletVersion: KUBELET_VERSION, kubeProxyVersion: KUBELET_VERSION, operatingSystem: 'linux', architecture: 'amd64',
    },
  };
}

/** The Node object a kubelet registers. */
export function nodeObject(id: NodeIdentity, now: Date): KubeObject {
  const cidr = podCIDR(id.index);
  const labels: Record<string, string> = {
    'beta.kubernetes.io/arch': 'amd64', 'beta.kubernetes.io/os': 'linux',
    'kubernetes.io/arch': 'amd64', 'kubernetes.io/hostname': id.name, 'kubernetes.io/os': 'linux',
    'node.kubernetes.io/instance-type': id.instanceType,
    ...(id.region ? { 'topology.kubernetes.io/region': id.region } : {}),
    ...(id.zone ? { 'topology.kubernetes.io/zone': id.zone } : {}),
    ...id.labels,
  };
  return {
    apiVersion: 'v1', kind: 'Node',
    metadata: {
      name: id.name, labels,
      annotations: { 'node.alpha.kubernetes.io/ttl': '0', 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' },
    },
    spec: { podCIDR: cidr, podCIDRs: [cidr], providerID: `sim://${id.name}` },
    status: nodeStatus(id, now),
  };
}

/** MicroTime as a Lease carries it. */
export const microTime = (d: Date) => d.toISOString().replace(/Z$/, '000Z');

export function leaseObject(node: { name: string; uid?: string }, now: Date): KubeObject {
  return {
    apiVersion: 'coordination.k8s.io/v1', kind: 'Lease',
    metadata: {
      name: node.name, namespace: LEASE_NAMESPACE,
      ...(node.uid ? { ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: node.name, uid: node.uid }] } : {}),
    },
    spec: { holderIdentity: node.name, leaseDurationSeconds: LEASE_DURATION_SECONDS, renewTime: microTime(now) },
  };
}
