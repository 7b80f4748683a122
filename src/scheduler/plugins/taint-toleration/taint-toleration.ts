// Filter: every NoSchedule/NoExecute taint of the node must be tolerated. Score: fewer
// untolerated PreferNoSchedule taints is better.
import type { KubeObject } from '../../../client/index.ts';
import { MAX_NODE_SCORE, type Plugin, type PluginFactory } from '../../framework/interface.ts';
import { firstUntoleratedTaint, tolerates } from '../../framework/node-selection.ts';
import { Status } from '../../framework/status.ts';
import { defaultNormalizeScore } from '../normalize.ts';

export const NAME = 'TaintToleration';
export const untoleratedTaintReason = (taint: KubeObject): string => `node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`;

export const newTaintToleration: PluginFactory = (): Plugin => ({
  name: NAME,
  events: () => [{ resource: 'Node', actions: ['Add', 'UpdateNodeTaint'] }, { resource: 'UnscheduledPod', actions: ['UpdatePodToleration'] }],
  filter(_state, pod, node) {
    const taint = firstUntoleratedTaint(node.node?.spec?.taints ?? [], pod.pod.spec?.tolerations ?? [], ['NoSchedule', 'NoExecute']);
    if (taint) return Status.unresolvable(untoleratedTaintReason(taint));
  },
  score(_state, pod, node) {
    const tolerations: KubeObject[] = (pod.pod.spec?.tolerations ?? []).filter((t: KubeObject) => !t.effect || t.effect === 'PreferNoSchedule');
    let n = 0;
    for (const taint of node.node?.spec?.taints ?? []) {
      if (taint.effect === 'PreferNoSchedule' && !tolerations.some((t) => tolerates(t, taint))) n++;
    }
    return n;
  },
  normalizeScore(_state, _pod, scores) { defaultNormalizeScore(MAX_NODE_SCORE, true, scores); },
});
