// Score: prefer nodes whose cpu and memory would be used in equal proportions after placing
// the pod (1 − standard deviation of the two fractions).
import { MAX_NODE_SCORE, type Plugin, type PluginFactory } from '../../framework/interface.ts';
import type { NodeInfo } from '../../framework/node-info.ts';
import type { PodInfo } from '../../framework/pod-info.ts';
import { Status } from '../../framework/status.ts';

export const NAME = 'NodeResourcesBalancedAllocation';

export function balancedScore(pod: PodInfo, node: NodeInfo): number {
  const fractions: number[] = [];
  for (const r of ['cpu', 'memory']) {
    const alloc = node.allocatable[r] ?? 0;
    if (alloc === 0) continue;
    const requested = (node.requested[r] ?? 0) + (pod.requests.requests[r] ?? 0);
    fractions.push(Math.min(1, requested / alloc));
  }
  const std = fractions.length === 2 ? Math.abs(fractions[0]! - fractions[1]!) / 2 : 0;
  return Math.trunc((1 - std) * MAX_NODE_SCORE);
}

export const newBalancedAllocation: PluginFactory = (): Plugin => ({
  name: NAME,
  preScore(_state, pod) {
    const r = pod.requests.requests;
    if (!(r.cpu ?? 0) && !(r.memory ?? 0)) return Status.skip();
  },
  score(_state, pod, node) { return balancedScore(pod, node); },
});
