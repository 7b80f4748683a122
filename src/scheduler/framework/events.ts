// Cluster events that can make an unschedulable pod schedulable. Plugins name the ones that can
// undo their rejections; the queue moves a pod only on an event one of its rejecters named.
import type { KubeObject } from '../../client/index.ts';

export type EventResource = 'Node' | 'AssignedPod' | 'UnscheduledPod' | 'Namespace' | 'PodDisruptionBudget';

export type ActionType =
  | 'Add' | 'Delete'
  | 'UpdateNodeAllocatable' | 'UpdateNodeLabel' | 'UpdateNodeTaint' | 'UpdateNodeCondition' | 'UpdateNodeAnnotation'
  | 'UpdatePodLabel' | 'UpdatePodScaleDown' | 'UpdatePodToleration' | 'UpdatePod';

/** What a plugin registers: a resource and the actions on it that matter ('All' for any). */
export interface ClusterEventSpec { resource: EventResource; actions: (ActionType | 'Update' | 'All')[] }

/** One event that happened. */
export interface ClusterEvent { resource: EventResource | 'Periodic'; action: ActionType | 'Flush'; label: string }

export function eventMatches(spec: ClusterEventSpec, e: ClusterEvent): boolean {
  if (spec.resource !== e.resource) return false;
  return spec.actions.some((a) => a === 'All' || a === e.action || (a === 'Update' && e.action.startsWith('Update')));
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** Which scheduling-relevant parts of a Node changed (upstream's node update event types). */
export function nodeUpdateActions(oldNode: KubeObject, newNode: KubeObject): ActionType[] {
  const out: ActionType[] = [];
  if (!same(oldNode.status?.allocatable, newNode.status?.allocatable)) out.push('UpdateNodeAllocatable');
  if (!same(oldNode.metadata?.labels, newNode.metadata?.labels)) out.push('UpdateNodeLabel');
  if (!same(oldNode.spec?.taints, newNode.spec?.taints) || !!oldNode.spec?.unschedulable !== !!newNode.spec?.unschedulable) out.push('UpdateNodeTaint');
  const conds = (n: KubeObject) => (n.status?.conditions ?? []).map((c: KubeObject) => `${c.type}=${c.status}`).join(',');
  if (conds(oldNode) !== conds(newNode)) out.push('UpdateNodeCondition');
  if (!same(oldNode.metadata?.annotations, newNode.metadata?.annotations)) out.push('UpdateNodeAnnotation');
  return out;
}

/** Which parts of a bound pod changed that could free room or change matching. */
export function assignedPodUpdateActions(oldPod: KubeObject, newPod: KubeObject): ActionType[] {
  const out: ActionType[] = [];
  if (!same(oldPod.metadata?.labels, newPod.metadata?.labels)) out.push('UpdatePodLabel');
  const req = (p: KubeObject) => JSON.stringify((p.spec?.containers ?? []).map((c: KubeObject) => c.resources?.requests ?? {}));
  if (req(oldPod) !== req(newPod)) out.push('UpdatePodScaleDown');
  return out.length ? out : ['UpdatePod'];
}
