// Pod network adapter of the node agent: network namespaces (lo up), CNI (bridge + host-local + portmap),
// host routes and sysctls. The only part of the kubelet that touches host networking.
export {
  PodNetwork, portMapping, POD_IFNAME, DEFAULT_CNI_BIN_DIR, DEFAULT_NETNS_PREFIX, DEFAULT_CLUSTER_CIDR, DEFAULT_SERVICE_CIDR,
} from './pod-network.ts';
export type {
  PodNetworkOptions, HostPortMapping, HostPortProtocol, SandboxNetworkRequest, SandboxNetworkStatus,
} from './sandbox-network.ts';
export { CniPluginError, type CniCommand } from './cni-error.ts';
export { CniInvoker, type CniResult, type CniRuntimeConfig, type CniInvokerOptions } from './cni-invoker.ts';
export { CNI_VERSION, podNetworkConfig, type CniNetworkConfigList, type CniPluginConfig } from './cni-config.ts';
export { podAddresses, type PodAddresses } from './cni-result.ts';
export { HostNetwork, type HostNetworkOptions, type HostRoute } from './host-network.ts';
export { createNetns, deleteNetns, listNetns, netnsExists, netnsPath, NETNS_RUN_DIR } from './network-namespaces.ts';
