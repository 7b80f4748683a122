// Filter: a cordoned node (spec.unschedulable) takes only pods tolerating its unschedulable taint.
import type { Plugin, PluginFactory } from '../../framework/interface.ts';
import { tolerates } from '../../framework/node-selection.ts';
import { Status } from '../../framework/status.ts';

export const NAME = 'NodeUnschedulable';
export const ERR_REASON_UNSCHEDULABLE = 'node(s) were unschedulable';
export const ERR_REASON_UNKNOWN_CONDITION = 'node(s) had unknown conditions';
const UNSCHEDULABLE_TAINT = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' };

export const newNodeUnschedulable: PluginFactory = (): Plugin => ({
  name: NAME,
  events: () => [{ resource: 'Node', actions: ['Add', 'UpdateNodeTaint'] }, { resource: 'UnscheduledPod', actions: ['UpdatePodToleration'] }],
  filter(_state, pod, node) {
    if (!node.node) return Status.unresolvable(ERR_REASON_UNKNOWN_CONDITION);
    if (!node.node.spec?.unschedulable) return;
    if ((pod.pod.spec?.tolerations ?? []).some((t: Record<string, unknown>) => tolerates(t, UNSCHEDULABLE_TAINT))) return;
    return Status.unresolvable(ERR_REASON_UNSCHEDULABLE);
  },
});
