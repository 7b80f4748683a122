// The Node a real kubelet registers for the machine it runs on: capacity read off the host (cpus,
// memory, the data directory's filesystem, 110 pods), its addresses, OS and kernel facts, labels,
// and the pod CIDR the agent was given.
import { cpus, hostname, networkInterfaces, release } from 'node:os';
import { readFileSync, statfsSync } from 'node:fs';
import type { KubeObject } from '../../client/api-client.ts';
import { allocatable, healthyConditions, KUBELET_PORT, KUBELET_VERSION, type NodeCapacity } from '../sim/node-shape.ts';

export interface HostFacts {
  name: string;
  internalIP: string;
  capacity: NodeCapacity;
  kernelVersion: string;
  osImage: string;
  machineID: string;
  bootID: string;
  systemUUID: string;
}

function readOr(path: string, fallback: string): string {
  try { return readFileSync(path, 'utf8').trim(); } catch { return fallback; }
}

/** The first IPv4 address of a physical-looking interface (not loopback, bridges or veths). */
export function primaryIPv4(exclude: (ifname: string) => boolean = () => false): string {
  const ifs = networkInterfaces();
  for (const [name, addrs] of Object.entries(ifs)) {
    if (name === 'lo' || /^(veth|cni|docker|br-|virbr|nv)/.test(name) || exclude(name)) continue;
    const v4 = addrs?.find((a) => a.family === 'IPv4' && !a.internal);
    if (v4) return v4.address;
  }
  return '127.0.0.1';
}

export function readHostFacts(dataDir: string, nodeName?: string): HostFacts {
  const memKiB = Number(/MemTotal:\s+(\d+) kB/.exec(readOr('/proc/meminfo', ''))?.[1] ?? 0);
  const fs = statfsSync(dataDir);
  const osRelease = readOr('/etc/os-release', '');
  const pretty = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(osRelease)?.[1] ?? 'Linux';
  const machineID = readOr('/etc/machine-id', '') || readOr('/var/lib/dbus/machine-id', '') || '0'.repeat(32);
  return {
    name: (nodeName ?? hostname()).toLowerCase(),
    internalIP: primaryIPv4(),
    capacity: {
      cpu: String(cpus().length),
      memory: `${memKiB}Ki`,
      pods: '110',
      'ephemeral-storage': `${Math.floor((fs.blocks * fs.bsize) / 1024)}Ki`,
    },
    kernelVersion: release(),
    osImage: pretty,
    machineID,
    bootID: readOr('/proc/sys/kernel/random/boot_id', ''),
    systemUUID: readOr('/sys/class/dmi/id/product_uuid', machineID),
  };
}

export function hostNodeStatus(h: HostFacts, runtimeVersion: string, now: Date, previous: KubeObject[] = [], kubeletPort = KUBELET_PORT): KubeObject {
  return {
    capacity: { ...h.capacity, 'hugepages-1Gi': '0', 'hugepages-2Mi': '0' },
    allocatable: allocatable(h.capacity),
    conditions: healthyConditions(now, previous),
    addresses: [{ type: 'InternalIP', address: h.internalIP }, { type: 'Hostname', address: h.name }],
    daemonEndpoints: { kubeletEndpoint: { Port: kubeletPort } },
    nodeInfo: {
      machineID: h.machineID, systemUUID: h.systemUUID, bootID: h.bootID, kernelVersion: h.kernelVersion, osImage: h.osImage,
      containerRuntimeVersion: runtimeVersion, kubeletVersion: KUBELET_VERSION, kubeProxyVersion: KUBELET_VERSION,
      operatingSystem: 'linux', architecture: process.arch === 'x64' ? 'amd64' : process.arch,
    },
  };
}

export function hostNodeObject(h: HostFacts, podCIDR: string, runtimeVersion: string, now: Date, labels: Record<string, string> = {}, kubeletPort = KUBELET_PORT): KubeObject {
  const arch = process.arch === 'x64' ? 'amd64' : process.arch;
  return {
    apiVersion: 'v1', kind: 'Node',
    metadata: {
      name: h.name,
      labels: {
        'beta.kubernetes.io/arch': arch, 'beta.kubernetes.io/os': 'linux', 'kubernetes.io/arch': arch,
        'kubernetes.io/hostname': h.name, 'kubernetes.io/os': 'linux', ...labels,
      },
      annotations: { 'node.alpha.kubernetes.io/ttl': '0', 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' },
    },
    spec: { podCIDR, podCIDRs: [podCIDR] },
    status: hostNodeStatus(h, runtimeVersion, now, [], kubeletPort),
  };
}
