// `navarch cleanup`: what k3s-killall.sh is to k3s — the node agent's pods, pod network, cgroups
// and mounts of one data directory, and its service proxy's nftables table, removed from the
// host once the server has stopped.
import { cleanUpNodeAgent, hostTag } from '../kubelet/index.ts';
import { NftCli, removeTableScript } from '../proxy/index.ts';

/** The nftables table of the service proxy of the node a data directory belongs to. */
export function serviceTableName(dataDir: string): string {
  return `navarch-svc-${hostTag(dataDir)}`;
}

export async function cleanUpNode(dataDir: string): Promise<{ pods: number; containers: number }> {
  const removed = await cleanUpNodeAgent(dataDir);
  await new NftCli().apply(removeTableScript(serviceTableName(dataDir)));
  return removed;
}
