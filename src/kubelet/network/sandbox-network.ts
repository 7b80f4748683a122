// Public types of the pod network adapter: what the kubelet asks for and what it gets back.
import type { Logger } from '../../base/index.ts';

export interface PodNetworkOptions {
  /** This node's pod range (Node.spec.podCIDR), e.g. 10.244.3.0/24; the bridge's IPAM subnet. */
  podCIDR: string;
  /** Linux bridge the pods attach to (at most 15 characters). */
  bridgeName: string;
  /** Our own state: IPAM leases, per-sandbox CNI state, what ensureHost added. */
  stateDir: string;
  /** Directory of the CNI plugin binaries (CNI_PATH). Default /usr/lib/cni. */
  cniBinDir?: string;
  /** CNI network name (also names host-local's lease folder and portmap chains). Default "navarch". */
  networkName?: string;
  /** Prefix of the network namespaces we create under /run/netns. Default "navarch-". */
  netnsPrefix?: string;
  /** The whole cluster's pod range, made unreachable on the host. Default 10.244.0.0/16. */
  clusterCIDR?: string;
  /** The cluster's service range. Default 10.96.0.0/12. */
  serviceCIDR?: string;
  /**
   * How the service range is kept on the node. "bridge" (default) routes it into the pod bridge, a dead end
   * that still lets host processes connect to ClusterIPs (the kernel picks a route before the OUTPUT DNAT
   * runs, so an unreachable route would fail those connects with "No route to host"). "unreachable" rejects.
   */
  serviceRoute?: 'bridge' | 'unreachable';
  /** Time limit per plugin run. Default 60 s. */
  pluginTimeoutMs?: number;
  logger?: Logger;
}

export type HostPortProtocol = 'TCP' | 'UDP' | 'SCTP';

export interface HostPortMapping {
  containerPort: number;
  hostPort: number;
  /** Kubernetes spelling (TCP, UDP, SCTP); lowered for portmap. Default TCP. */
  protocol?: HostPortProtocol;
  /** Only traffic to this host address is forwarded; empty = every local address. */
  hostIP?: string;
}

export interface SandboxNetworkRequest {
  /** Sandbox (infra container) id: CNI_CONTAINERID and K8S_POD_INFRA_CONTAINER_ID. */
  id: string;
  namespace: string;
  name: string;
  uid: string;
  hostPorts?: HostPortMapping[];
}

export interface SandboxNetworkStatus {
  /** Path of the sandbox's network namespace (/run/netns/<name>); runc joins it. */
  netnsPath: string;
  /** Addresses of the pod's interface (eth0), without prefix length. */
  ips: string[];
  /** The pod's default gateway (the bridge address). */
  gateway: string | undefined;
}
