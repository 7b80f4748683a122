// Filter: the pod's requests must fit in the node's allocatable minus what its pods request,
// and the node must have a pod slot left. Score (LeastAllocated): the more cpu and memory left
// after placing the pod, the better, counting request-less containers at upstream's defaults.
import type { Plugin, PluginFactory } from '../../framework/interface.ts';
import { MAX_NODE_SCORE } from '../../framework/interface.ts';
import type { NodeInfo } from '../../framework/node-info.ts';
import type { PodInfo } from '../../framework/pod-info.ts';
import { Status } from '../../framework/status.ts';

export const NAME = 'NodeResourcesFit';
export const REASON_TOO_MANY_PODS = 'Too many pods';
export const insufficientReason = (resource: string): string => `Insufficient ${resource}`;

/** The reasons the pod does not fit (empty when it fits), in upstream's order. */
export function insufficientResources(pod: PodInfo, node: NodeInfo): string[] {
  const out: string[] = [];
  const allowedPods = node.allocatable.pods ?? 0;
  if (node.pods.size + 1 > allowedPods) out.push(REASON_TOO_MANY_PODS);
  const req = pod.requests.requests;
  for (const name of pod.requests.requested) {
    const free = (node.allocatable[name] ?? 0) - (node.requested[name] ?? 0);
    if (req[name]! > free) out.push(insufficientReason(name));
  }
  return out;
}

/** (allocatable − requested) × 100 / allocatable per resource, averaged with equal weights. */
export function leastAllocatedScore(pod: PodInfo, node: NodeInfo): number {
  let sum = 0;
  let weights = 0;
  for (const r of ['cpu', 'memory'] as const) {
    const alloc = node.allocatable[r] ?? 0;
    const requested = node.nonZeroRequested[r] + pod.requests.nonZero[r];
    weights++;
    if (alloc === 0 || requested > alloc) continue;
    sum += Math.trunc(((alloc - requested) * MAX_NODE_SCORE) / alloc);
  }
  return weights ? Math.trunc(sum / weights) : 0;
}

export const newNodeResourcesFit: PluginFactory = (): Plugin => ({
  name: NAME,
  events: () => [
    { resource: 'AssignedPod', actions: ['Delete', 'UpdatePodScaleDown'] },
    { resource: 'Node', actions: ['Add', 'UpdateNodeAllocatable'] },
  ],
  filter(_state, pod, node) {
    const reasons = insufficientResources(pod, node);
    if (reasons.length) return Status.unschedulable(...reasons);
  },
  score(_state, pod, node) { return leastAllocatedScore(pod, node); },
});
