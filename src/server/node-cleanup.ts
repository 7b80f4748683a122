// `navarch cleanup`: what k3s-killall.sh is to k3s — the node agent's pods, pod network, cgroups
// and mounts of one data directory removed from the host once the server has stopped.
import { cleanUpNodeAgent } from '../kubelet/index.ts';

export function cleanUpNode(dataDir: string): Promise<{ pods: number; containers: number }> {
  return cleanUpNodeAgent(dataDir);
}
