// `navarch cleanup`: what k3s-killall.sh is to k3s — the node agent's pods, pod network, cgroups
// and mounts of one data directory, and the nftables tables of its service proxy and network
// policy enforcer, removed from the host once the server has stopped.
import { cleanUpNodeAgent, hostTag } from '../kubelet/index.ts';
import { NftCli, removeTableScript } from '../nftables/index.ts';

/** The nftables table of the service proxy of the node a data directory belongs to. */
export function serviceTableName(dataDir: string): string {
  return `navarch-svc-${hostTag(dataDir)}`;
}

/** The nftables table of the network policy enforcer of that node. */
export function policyTableName(dataDir: string): string {
  return `navarch-pol-${hostTag(dataDir)}`;
}

export async function cleanUpNode(dataDir: string): Promise<{ pods: number; containers: number }> {
  const removed = await cleanUpNodeAgent(dataDir);
  await new NftCli().apply(removeTableScript(serviceTableName(dataDir)) + removeTableScript(policyTableName(dataDir)));
  return removed;
}
