// Streaming pod subresources (logs, exec, attach, port-forward) between kubectl and kubelets.
export { PodStreaming, type PodStreamingOptions } from './pod-streaming.ts';
export { KubeletClient, KubeletRejected, KubeletUnreachable, type KubeletClientConfig, type KubeletEndpoint } from './kubelet-client.ts';
export { kubeletEndpoint, validateContainer, DEFAULT_KUBELET_PORT } from './pod-target.ts';
